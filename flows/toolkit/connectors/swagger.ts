import { readFileSync } from "node:fs";

/** What flows need to know about one connector operation, read from its OpenAPI 2.0 definition. */
export interface OperationInfo {
  operationId: string;
  method: string;
  /** Path template relative to the base path, e.g. `/{connectionId}/api/data/v9.1/{entityName}`. */
  path: string;
  parameters: ParameterInfo[];
}

export interface ParameterInfo {
  name: string;
  in: "path" | "query" | "header" | "body" | "formData";
  required: boolean;
  visibility?: string;
  /** For the body parameter: its top-level property names, when the schema lists them. */
  bodyProperties?: Set<string>;
  /** For the body parameter: true when the schema is dynamic or open (no fixed property list). */
  openBody?: boolean;
  default?: unknown;
}

export interface ConnectorDefinition {
  host?: string;
  basePath?: string;
  operations: Map<string, OperationInfo>;
}

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => typeof v === "object" && v !== null && !Array.isArray(v);

/** Finds the swagger document inside a file (the Dataverse schema file wraps it in API metadata). */
function findSwagger(o: unknown): J | undefined {
  if (!isObj(o)) return undefined;
  if (typeof o.swagger === "string" && isObj(o.paths)) return o;
  for (const v of Object.values(o)) {
    const found = findSwagger(v);
    if (found) return found;
  }
  return undefined;
}

function resolveRef(doc: J, node: unknown): unknown {
  if (isObj(node) && typeof node.$ref === "string") {
    const parts = node.$ref.replace(/^#\//, "").split("/");
    let cur: unknown = doc;
    for (const p of parts) cur = isObj(cur) ? cur[p.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
    return resolveRef(doc, cur);
  }
  return node;
}

export function readConnectorDefinition(path: string): ConnectorDefinition {
  return connectorDefinition(JSON.parse(readFileSync(path, "utf8")) as unknown);
}

export function connectorDefinition(json: unknown): ConnectorDefinition {
  const doc = findSwagger(json);
  if (!doc) throw new Error("no OpenAPI 2.0 document found");
  const operations = new Map<string, OperationInfo>();
  for (const [path, item] of Object.entries(doc.paths as J)) {
    if (!isObj(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const [method, op] of Object.entries(item)) {
      if (!isObj(op) || typeof op.operationId !== "string") continue;
      const params = [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])].map((p) => resolveRef(doc, p));
      const parameters: ParameterInfo[] = [];
      for (const p of params) {
        if (!isObj(p) || typeof p.name !== "string") continue;
        const info: ParameterInfo = {
          name: p.name,
          in: p.in as ParameterInfo["in"],
          required: p.required === true,
          visibility: typeof p["x-ms-visibility"] === "string" ? p["x-ms-visibility"] : undefined,
          default: p.default,
        };
        if (p.in === "body") {
          const schema = resolveRef(doc, p.schema);
          const props = isObj(schema) && isObj(schema.properties) ? Object.keys(schema.properties) : undefined;
          info.bodyProperties = props ? new Set(props) : undefined;
          info.openBody = !props || (isObj(schema) && (schema["x-ms-dynamic-schema"] !== undefined || schema.additionalProperties !== undefined));
        }
        parameters.push(info);
      }
      operations.set(op.operationId, { operationId: op.operationId, method: method.toUpperCase(), path, parameters });
    }
  }
  return {
    host: typeof doc.host === "string" ? doc.host : undefined,
    basePath: typeof doc.basePath === "string" ? doc.basePath : undefined,
    operations,
  };
}

/**
 * Whether a parameter key as a flow writes it (`entityName`, `item/column`,
 * `subscriptionRequest/message`) names a parameter of the operation.
 */
export function parameterKnown(op: OperationInfo, key: string): boolean {
  const direct = op.parameters.find((p) => p.name === key);
  if (direct) return true;
  const slash = key.indexOf("/");
  if (slash < 0) return false;
  const head = key.slice(0, slash);
  const rest = key.slice(slash + 1);
  const body = op.parameters.find((p) => p.in === "body" && p.name === head);
  if (!body) return false;
  if (body.openBody) return true;
  return body.bodyProperties?.has(rest.split("/")[0] ?? "") ?? false;
}
