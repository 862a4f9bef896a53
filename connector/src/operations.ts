import { readFileSync } from "node:fs";
import { join } from "node:path";
import { operationRequest, requestUrl } from "../../flows/toolkit/connectors/request";
import { connectorDefinition, type ConnectorDefinition } from "../../flows/toolkit/connectors/swagger";
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

const definitions = new WeakMap<SwaggerDocument, ConnectorDefinition>();

/** The document read as the flow toolkit reads every connector (one reader for all). */
function definitionOf(doc: SwaggerDocument): ConnectorDefinition {
  let def = definitions.get(doc);
  if (!def) definitions.set(doc, (def = connectorDefinition(doc)));
  return def;
}

/**
 * Turns an operation and its argument values into the HTTP request the connector would send,
 * through the same request builder the simulator uses for flow actions. Checks first what a
 * direct caller (tests, the smoke script) can get wrong and a flow cannot: required or unknown
 * arguments and a missing body.
 */
export function buildRequest(doc: SwaggerDocument, operationId: string, args: Record<string, unknown> = {}, body?: unknown): BuiltRequest {
  const op = definitionOf(doc).operations.get(operationId);
  if (!op) throw new Error(`the connector has no operation "${operationId}"`);
  const bodyParameter = op.parameters.find((p) => p.in === "body");
  for (const p of op.parameters) {
    if (p.in === "body" || !p.required) continue;
    const value = args[p.name];
    if (value === undefined || value === null || value === "") throw new Error(`${operationId}: parameter ${p.name} is required`);
  }
  for (const name of Object.keys(args)) {
    if (!op.parameters.some((p) => p.name === name && p.in !== "body")) throw new Error(`${operationId}: unknown parameter ${name}`);
  }
  if (bodyParameter && body === undefined) throw new Error(`${operationId}: a body is required`);
  const request = operationRequest(op, bodyParameter ? { ...args, [bodyParameter.name]: body } : args, doc.basePath);
  return {
    method: request.method,
    url: requestUrl(request),
    ...(bodyParameter ? { body: JSON.stringify(request.body) } : {}),
  };
}
