import type { OperationInfo } from "./swagger";

/**
 * The one way a connector operation becomes an HTTP request, shared by the simulator (flow actions)
 * and the CleverReach connector's own client (tests against the fake, the smoke test).
 */
export interface HttpRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: unknown;
}

/** A parameter the operation needs is missing. */
export class RequestError extends Error {}

/**
 * Turns an action's `parameters` into the HTTP request the connector would send, using only what
 * the connector definition declares: path, query and header parameters by name, and the body
 * parameter either whole or assembled from `body/<property>` keys. Path values are percent-encoded
 * whole (an e-mail's `@` becomes `%40`): the one encoding both the simulator and the connector's own
 * client use, so the smoke test against a real account sends what the flows send.
 */
export function operationRequest(op: OperationInfo, parameters: Record<string, unknown>, basePath = ""): HttpRequest {
  const query: Record<string, string> = {};
  const headers: Record<string, string> = {};
  let body: unknown;
  let path = op.path;
  for (const p of op.parameters) {
    const direct = parameters[p.name];
    if (p.in === "path") {
      if (p.name === "connectionId") {
        path = path.replace("/{connectionId}", "");
        continue;
      }
      if (direct === undefined || direct === null || direct === "") throw new RequestError(`the path parameter "${p.name}" is missing`);
      path = path.replace(`{${p.name}}`, encodeURIComponent(String(direct)));
    } else if (p.in === "query") {
      if (direct !== undefined && direct !== null && direct !== "") query[p.name] = String(direct);
    } else if (p.in === "header") {
      const v = direct ?? p.default;
      if (v !== undefined && v !== null) headers[p.name] = String(v);
    } else if (p.in === "body") {
      if (direct !== undefined) body = direct;
      const prefix = `${p.name}/`;
      for (const [k, v] of Object.entries(parameters)) {
        if (!k.startsWith(prefix)) continue;
        body ??= {};
        setPath(body as Record<string, unknown>, k.slice(prefix.length), v);
      }
    }
  }
  return { method: op.method, path: `${basePath}${path}`, query, headers, body };
}

/** `item/a/b` writes `{a:{b:v}}`; a key with an OData annotation (`x@odata.bind`) stays whole. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.includes("@") ? [path] : path.split("/");
  let cur = target;
  parts.slice(0, -1).forEach((p) => {
    if (typeof cur[p] !== "object" || cur[p] === null) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  });
  cur[parts[parts.length - 1] as string] = value;
}

/** Path and query string as one URL path, e.g. `/v3/groups/7/receivers?page=2`. */
export function requestUrl(request: HttpRequest): string {
  const qs = new URLSearchParams(request.query).toString();
  return `${request.path}${qs ? `?${qs}` : ""}`;
}
