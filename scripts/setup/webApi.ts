import { DynamicsWebApi } from "dynamics-web-api";
import type { TokenSource } from "./auth";

/** A Web API answer that was not a success, in the service's own terms (status, 0x… code, message). */
export class WebApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "WebApiError";
  }
}

export type Row = Record<string, unknown> & { "@odata.etag"?: string };

/** The Web API calls setup makes; one implementation over dynamics-web-api, faked nowhere (tests use the fake service). */
export interface Dataverse {
  whoAmI(): Promise<{ UserId: string }>;
  list(set: string, options: { select: string[]; filter?: string }): Promise<Row[]>;
  get(set: string, id: string, select: string[]): Promise<Row>;
  create(set: string, data: Record<string, unknown>): Promise<void>;
  /** PATCH; with `ifMatch` the write fails (412) when the row changed since it was read. */
  update(set: string, id: string, data: Record<string, unknown>, ifMatch?: string): Promise<void>;
  action<T>(name: string, parameters: Record<string, unknown>): Promise<T>;
  /** The rows a many-to-many relationship links to one row (GET <set>(<id>)/<relationship>). */
  related(set: string, id: string, relationship: string, select: string[]): Promise<Row[]>;
  /** Links two rows through a many-to-many relationship (POST <set>(<id>)/<relationship>/$ref). */
  associate(set: string, id: string, relationship: string, relatedSet: string, relatedId: string): Promise<void>;
}

/** The Web API version setup speaks (ImportSolutionAsync and the tables it uses are all in 9.2). */
export const WEB_API_VERSION = "9.2";

/** Requests can be slow while an import runs on the same environment; the default would cut them off. */
const REQUEST_TIMEOUT_MS = 120_000;

function asWebApiError(e: unknown): unknown {
  if (e instanceof WebApiError) return e;
  const err = e as { status?: number; code?: string; message?: string };
  if (typeof err?.status === "number") return new WebApiError(err.status, err.code ?? "", err.message ?? "");
  return e;
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw asWebApiError(e);
  }
}

/**
 * The Dataverse Web API through dynamics-web-api (a maintained client: OData paths, headers,
 * paging, errors), with the token asked from `tokens` before each request.
 */
export function dataverseWebApi(environmentUrl: string, tokens: TokenSource): Dataverse {
  const api = new DynamicsWebApi({
    serverUrl: new URL(environmentUrl).origin,
    dataApi: { version: WEB_API_VERSION },
    onTokenRefresh: () => tokens.token(),
    // Errors reach the caller instead of becoming `false` results (the library's legacy default).
    propagateErrors: true,
    timeout: REQUEST_TIMEOUT_MS,
  });
  return {
    whoAmI: () => call(() => api.callFunction<{ UserId: string }>({ name: "WhoAmI" })),
    list: (set, { select, filter }) => call(async () => (await api.retrieveAll<Row>({ collection: set, select, filter })).value),
    get: (set, id, select) => call(() => api.retrieve<Row>({ collection: set, key: id, select })),
    create: (set, data) => call(async () => void (await api.create({ collection: set, data }))),
    update: (set, id, data, ifMatch) => call(async () => void (await api.update({ collection: set, key: id, data, ifmatch: ifMatch }))),
    action: <T>(name: string, parameters: Record<string, unknown>) => call(() => api.callAction<T>({ actionName: name, action: parameters })),
    related: (set, id, relationship, select) =>
      call(async () => (await api.retrieve<{ value: Row[] }>({ collection: set, key: id, navigationProperty: relationship, select })).value),
    associate: (set, id, relationship, relatedSet, relatedId) =>
      call(() => api.associate({ collection: set, primaryKey: id, relationshipName: relationship, relatedCollection: relatedSet, relatedKey: relatedId })),
  };
}
