/**
 * Small builders for the OpenAPI 2.0 document. They exist so every property and parameter gets
 * the maker-facing `x-ms-summary` and description in one call: a field without them shows up in
 * the flow designer as a bare technical name, which is exactly what the connector must avoid.
 */

export type Visibility = "important" | "advanced" | "internal";
export type JsonType = "object" | "array" | "string" | "integer" | "number" | "boolean";

export interface SchemaObject {
  type?: JsonType;
  format?: string;
  title?: string;
  description?: string;
  "x-ms-summary"?: string;
  "x-ms-visibility"?: Visibility;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: boolean | SchemaObject;
  items?: SchemaObject;
  enum?: Array<string | number>;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  default?: string | number | boolean;
  $ref?: string;
}

export interface DynamicValues {
  operationId: string;
  parameters?: Record<string, { parameter: string } | { value: string | number }>;
  "value-collection"?: string;
  "value-path": string;
  "value-title": string;
}

export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header" | "body";
  required?: boolean;
  type?: Exclude<JsonType, "object">;
  format?: string;
  enum?: Array<string | number>;
  default?: string | number | boolean;
  minimum?: number;
  maximum?: number;
  items?: SchemaObject;
  schema?: SchemaObject;
  description: string;
  "x-ms-summary": string;
  "x-ms-visibility"?: Visibility;
  "x-ms-dynamic-values"?: DynamicValues;
  "x-ms-url-encoding"?: "single" | "double";
}

export interface ResponseObject {
  description: string;
  schema?: SchemaObject;
}

export interface OperationObject {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  "x-ms-visibility"?: Visibility;
  parameters: ParameterObject[];
  responses: Record<string, ResponseObject>;
}

export type HttpMethod = "get" | "post" | "put" | "delete";
export type PathItem = Partial<Record<HttpMethod, OperationObject>>;

interface FieldExtra {
  visibility?: Visibility;
  format?: string;
  enum?: Array<string | number>;
  minimum?: number;
  maximum?: number;
  default?: string | number | boolean;
  minLength?: number;
}

function field(type: JsonType, summary: string, description: string, extra: FieldExtra = {}): SchemaObject {
  const s: SchemaObject = { type, "x-ms-summary": summary, description };
  if (extra.format) s.format = extra.format;
  if (extra.enum) s.enum = extra.enum;
  if (extra.minimum !== undefined) s.minimum = extra.minimum;
  if (extra.maximum !== undefined) s.maximum = extra.maximum;
  if (extra.default !== undefined) s.default = extra.default;
  if (extra.minLength !== undefined) s.minLength = extra.minLength;
  if (extra.visibility) s["x-ms-visibility"] = extra.visibility;
  return s;
}

export const str = (summary: string, description: string, extra?: FieldExtra): SchemaObject => field("string", summary, description, extra);
export const int = (summary: string, description: string, extra?: FieldExtra): SchemaObject =>
  field("integer", summary, description, { format: "int64", ...extra });
export const num = (summary: string, description: string, extra?: FieldExtra): SchemaObject =>
  field("number", summary, description, { format: "double", ...extra });
export const bool = (summary: string, description: string, extra?: FieldExtra): SchemaObject => field("boolean", summary, description, extra);
/**
 * A point in time as CleverReach sends it: whole seconds since 1970-01-01 UTC. In answers 0 means
 * "not set"; a field that is written can give 0 a meaning of its own (`zero`).
 */
export const unixTime = (summary: string, description: string, extra: FieldExtra & { zero?: string } = {}): SchemaObject => {
  const { zero = "0 means not set.", ...rest } = extra;
  return int(summary, `${description} Unix time in seconds (UTC); ${zero}`, rest);
};

export function obj(
  summary: string,
  description: string,
  properties: Record<string, SchemaObject>,
  options: { required?: string[]; closed?: boolean; visibility?: Visibility } = {},
): SchemaObject {
  const s: SchemaObject = { type: "object", "x-ms-summary": summary, description, properties };
  if (options.required && options.required.length > 0) s.required = options.required;
  // Closed request bodies make the fake (and therefore the tests) refuse fields CleverReach would not store.
  if (options.closed) s.additionalProperties = false;
  if (options.visibility) s["x-ms-visibility"] = options.visibility;
  return s;
}

/** Free-form name → value map, e.g. receiver attributes keyed by attribute name. */
export function dictionary(summary: string, description: string, visibility?: Visibility): SchemaObject {
  const s: SchemaObject = { type: "object", "x-ms-summary": summary, description, additionalProperties: { type: "string" } };
  if (visibility) s["x-ms-visibility"] = visibility;
  return s;
}

export function arr(summary: string, description: string, items: SchemaObject, limits: { maxItems?: number; minItems?: number } = {}): SchemaObject {
  const s: SchemaObject = { type: "array", "x-ms-summary": summary, description, items };
  if (limits.minItems !== undefined) s.minItems = limits.minItems;
  if (limits.maxItems !== undefined) s.maxItems = limits.maxItems;
  return s;
}

export const ref = (definition: string): SchemaObject => ({ $ref: `#/definitions/${definition}` });

type ParamExtra = Partial<Omit<ParameterObject, "name" | "in" | "description" | "x-ms-summary">>;

export function pathParam(name: string, summary: string, description: string, extra: ParamExtra = {}): ParameterObject {
  return { name, in: "path", required: true, type: "string", description, "x-ms-summary": summary, ...extra };
}

export function queryParam(name: string, summary: string, description: string, extra: ParamExtra = {}): ParameterObject {
  return { name, in: "query", required: false, type: "string", description, "x-ms-summary": summary, ...extra };
}

export function bodyParam(summary: string, description: string, schema: SchemaObject): ParameterObject {
  return { name: "body", in: "body", required: true, schema, description, "x-ms-summary": summary };
}

export const ok = (description: string, schema?: SchemaObject): Record<string, ResponseObject> => ({
  "200": schema ? { description, schema } : { description },
  default: { description: "CleverReach refused the request (see the error message).", schema: ref("Error") },
});
