import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SwaggerDocument } from "./definition/index";
import type { HttpMethod, OperationObject, ParameterObject, SchemaObject } from "./definition/dsl";

export type { SwaggerDocument } from "./definition/index";
export type { HttpMethod, OperationObject, ParameterObject, SchemaObject } from "./definition/dsl";

export const SWAGGER_PATH = join(__dirname, "..", "apiDefinition.swagger.json");

/** One connector action as later code (flow builders, the fake, the smoke test) needs it. */
export interface ConnectorOperation {
  operationId: string;
  method: HttpMethod;
  /** Path template below the base path, e.g. `/groups/{group_id}`. */
  path: string;
  summary: string;
  description: string;
  parameters: ParameterObject[];
  /** The body schema, when the operation takes a body. */
  body?: SchemaObject;
  /** The schema of a successful answer, when it has one. */
  response?: SchemaObject;
}

const METHODS: HttpMethod[] = ["get", "post", "put", "delete"];

/** Reads the committed connector definition (the file the solution zip carries). */
export function loadSwagger(path = SWAGGER_PATH): SwaggerDocument {
  return JSON.parse(readFileSync(path, "utf8")) as SwaggerDocument;
}

export function listOperations(doc: SwaggerDocument): ConnectorOperation[] {
  const out: ConnectorOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op: OperationObject | undefined = item[method];
      if (!op) continue;
      const body = op.parameters.find((p) => p.in === "body")?.schema;
      const response = op.responses["200"]?.schema;
      out.push({
        operationId: op.operationId,
        method,
        path,
        summary: op.summary,
        description: op.description,
        parameters: op.parameters,
        ...(body ? { body } : {}),
        ...(response ? { response } : {}),
      });
    }
  }
  return out;
}

export function getOperation(doc: SwaggerDocument, operationId: string): ConnectorOperation {
  const op = listOperations(doc).find((o) => o.operationId === operationId);
  if (!op) throw new Error(`the connector has no operation "${operationId}"`);
  return op;
}

/** Follows a local `#/definitions/…` reference; other schemas come back unchanged. */
export function resolveSchema(doc: SwaggerDocument, schema: SchemaObject): SchemaObject {
  let s = schema;
  for (let hops = 0; s.$ref; hops++) {
    const name = s.$ref.replace(/^#\/definitions\//, "");
    const target = doc.definitions[name];
    if (!target || hops > 20) throw new Error(`unresolvable $ref ${s.$ref}`);
    s = target;
  }
  return s;
}

export interface BuiltRequest {
  method: string;
  /** Base path + filled path + query string, e.g. `/v3/groups/5/receivers?page=0`. */
  url: string;
  body?: string;
}

/**
 * Turns an operation and its argument values into the HTTP request the connector would send.
 * E-mail addresses in paths keep their `@`, as CleverReach's clients send them.
 */
export function buildRequest(doc: SwaggerDocument, operationId: string, args: Record<string, unknown> = {}, body?: unknown): BuiltRequest {
  const op = getOperation(doc, operationId);
  let path = op.path;
  const query = new URLSearchParams();
  for (const p of op.parameters) {
    if (p.in === "body") continue;
    const value = args[p.name];
    if (value === undefined || value === null || value === "") {
      if (p.required) throw new Error(`${operationId}: parameter ${p.name} is required`);
      continue;
    }
    if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(String(value)).replace(/%40/g, "@"));
    else if (p.in === "query") query.set(p.name, String(value));
  }
  for (const name of Object.keys(args)) {
    if (!op.parameters.some((p) => p.name === name && p.in !== "body")) throw new Error(`${operationId}: unknown parameter ${name}`);
  }
  const qs = query.toString();
  const hasBody = op.parameters.some((p) => p.in === "body");
  if (hasBody && body === undefined) throw new Error(`${operationId}: a body is required`);
  return {
    method: op.method.toUpperCase(),
    url: `${doc.basePath}${path}${qs ? `?${qs}` : ""}`,
    ...(hasBody ? { body: JSON.stringify(body) } : {}),
  };
}
