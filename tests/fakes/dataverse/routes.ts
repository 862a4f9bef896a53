import { badRequest, resourceNotFound } from "./errors";
import { tableByEntitySet, type TableSpec } from "./metadata";
import { GUID } from "./values";

/** A Web API path after the connection id, taken apart: table, optional row, optional $ref. */
export interface Route {
  version: string;
  table: TableSpec;
  id?: string;
  /** `…(<id>)/<relationship>/$ref` or `…(<id>)/<relationship>(<otherId>)/$ref` */
  ref?: { relationship: string; otherId?: string };
}

export type OperationId =
  | "ListRecords"
  | "GetItem"
  | "CreateRecord"
  | "UpdateRecord"
  | "UpdateOnlyRecord"
  | "DeleteRecord"
  | "AssociateEntities"
  | "DisassociateEntities"
  | "PerformUnboundAction"
  | "Unknown";

/**
 * The Dataverse connector's "Perform an unbound action": POST `/flow/api/data/v9.1/{actionName}`
 * (flows/toolkit/facts/dataverse-connector.json, PerformUnboundAction). Returns the action's name.
 */
export function unboundAction(method: string, path: string): string | undefined {
  const m = /^\/flow\/api\/data\/v\d+\.\d+\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(path);
  return method === "POST" && m ? m[1] : undefined;
}

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

const ID = "\\{?([0-9a-fA-F-]{36})\\}?";
const ROUTE = new RegExp(`^/api/data/(v\\d+\\.\\d+)/([A-Za-z_][A-Za-z0-9_]*)(?:\\(${ID}\\)(?:/([A-Za-z_][A-Za-z0-9_]*)(?:\\(${ID}\\))?/\\$ref)?)?/?$`);

export function parseRoute(path: string): Route {
  const m = ROUTE.exec(path);
  if (!m) {
    const segment = path.split("/").filter(Boolean).pop() ?? path;
    if (/\(([^)]*)\)/.test(segment) && !/\(\{?[0-9a-fA-F-]{36}\}?\)/.test(segment)) {
      throw badRequest(`The fake Dataverse only addresses rows by GUID, not '${segment}'.`);
    }
    throw resourceNotFound(segment);
  }
  const [, version = "", set = "", id, relationship, otherId] = m;
  const table = tableByEntitySet(set);
  if (!table) throw resourceNotFound(set);
  for (const g of [id, otherId]) if (g !== undefined && !GUID.test(g)) throw badRequest(`'${g}' is not a valid GUID.`);
  return {
    version,
    table,
    id: id?.toLowerCase(),
    ref: relationship ? { relationship, otherId: otherId?.toLowerCase() } : undefined,
  };
}

/**
 * The connector operation a request stands for. A v9.2 PATCH is UpdateOnlyRecord: the connector
 * only ever sends PATCH to v9.2 for that operation (with `If-Match: *`), so it never creates.
 */
export function operationOf(method: HttpMethod, route: Route | undefined, headers: Record<string, string>): OperationId {
  if (!route) return "Unknown";
  if (route.ref) return method === "POST" ? "AssociateEntities" : method === "DELETE" ? "DisassociateEntities" : "Unknown";
  if (route.id === undefined) return method === "GET" ? "ListRecords" : method === "POST" ? "CreateRecord" : "Unknown";
  switch (method) {
    case "GET":
      return "GetItem";
    case "PATCH":
      return route.version === "v9.2" || headers["if-match"] !== undefined ? "UpdateOnlyRecord" : "UpdateRecord";
    case "DELETE":
      return "DeleteRecord";
    default:
      return "Unknown";
  }
}
