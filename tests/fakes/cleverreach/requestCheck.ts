import { listOperations, resolveSchema, type ConnectorOperation, type SwaggerDocument } from "../../../connector/src/operations";
import { checkValue, coerceParam } from "../../../connector/src/validate";
import { ApiError, badRequest, notFound } from "./errors";

export type Args = Record<string, string | number | boolean>;

export interface CheckedRequest {
  operation: ConnectorOperation;
  args: Args;
  body: unknown;
}

interface Route {
  operation: ConnectorOperation;
  pattern: RegExp;
  names: string[];
}

/** Routes built from the connector definition: the fake answers exactly the operations the connector has. */
export function routesOf(doc: SwaggerDocument): Route[] {
  return (
    listOperations(doc)
      .map((operation) => {
        const names: string[] = [];
        const source = operation.path.replace(/[.]/g, "\\.").replace(/\{([^}]+)\}/g, (_, name: string) => {
          names.push(name);
          return "([^/]+)";
        });
        return { operation, pattern: new RegExp(`^${source}$`), names };
      })
      // Literal segments win over placeholders (…/receivers/upsertplus before …/receivers/{pool_id}).
      .sort((a, b) => a.names.length - b.names.length)
  );
}

/**
 * Matches a request to a connector operation and checks it against the definition: required and
 * typed parameters, no unknown query parameters, and a body that fits the body schema (closed
 * schemas refuse unknown fields). No source says whether CleverReach refuses or ignores an unknown
 * parameter or field; refusing is the stricter choice. Refusals answer 400 in CleverReach's error
 * shape `{"error":{"code","message"}}` (the SDK maps 400 to ValidationException; the integration
 * core's validateResponse reads error.message and error.code).
 */
export function checkRequest(doc: SwaggerDocument, routes: Route[], method: string, path: string, query: URLSearchParams, rawBody: string): CheckedRequest {
  const m = method.toLowerCase();
  let pathMatched = false;
  for (const route of routes) {
    const hit = route.pattern.exec(path);
    if (!hit) continue;
    pathMatched = true;
    if (route.operation.method !== m) continue;
    const op = route.operation;
    const args: Args = {};
    const problems: string[] = [];
    route.names.forEach((name, i) => {
      const raw = decodeURIComponent(hit[i + 1] ?? "");
      const p = op.parameters.find((x) => x.in === "path" && x.name === name);
      const v = coerceParam(raw, p?.type);
      if (v === undefined) problems.push(`${name} must be ${p?.type}`);
      else args[name] = v;
    });
    for (const [name, raw] of query.entries()) {
      const p = op.parameters.find((x) => x.in === "query" && x.name === name);
      if (!p) {
        problems.push(`unknown query parameter ${name}`);
        continue;
      }
      const v = coerceParam(raw, p.type);
      if (v === undefined) problems.push(`${name} must be ${p.type}`);
      else args[name] = v;
    }
    for (const p of op.parameters) {
      if (p.in === "body") continue;
      const v = args[p.name];
      if (v === undefined) {
        if (p.required) problems.push(`${p.name} is required`);
        continue;
      }
      if (p.enum && !p.enum.includes(v as string | number)) problems.push(`${p.name} must be one of ${p.enum.join(", ")}`);
      if (typeof v === "number" && p.minimum !== undefined && v < p.minimum) problems.push(`${p.name} must be at least ${p.minimum}`);
      if (typeof v === "number" && p.maximum !== undefined && v > p.maximum) problems.push(`${p.name} must be at most ${p.maximum}`);
    }
    let body: unknown;
    if (op.body) {
      if (rawBody.trim() === "") problems.push("a JSON body is required");
      else {
        try {
          body = JSON.parse(rawBody);
        } catch {
          throw badRequest("the body is not valid JSON");
        }
        // A batch above the limit is refused with 413 before anything else: the integration core
        // names 413 HTTP_STATUS_CODE_NOT_SUCCESSFUL_FOR_DEFINED_BATCH_SIZE and retries with a smaller
        // batch; the limit itself (1000 rows) is Apteco's (invoke-upload.ps1).
        const limit = resolveSchema(doc, op.body).maxItems;
        if (Array.isArray(body) && limit !== undefined && body.length > limit) {
          throw new ApiError(413, `Request Entity Too Large: at most ${limit} entries per call (it has ${body.length})`);
        }
        problems.push(...checkValue(doc, op.body, body));
      }
    } else if (rawBody.trim() !== "") {
      problems.push("this call takes no body");
    }
    if (problems.length > 0) throw badRequest(problems.join("; "));
    return { operation: op, args, body };
  }
  if (pathMatched) throw new ApiError(405, `Method Not Allowed: ${method} ${path}`);
  throw notFound(`no such resource ${path}`);
}
