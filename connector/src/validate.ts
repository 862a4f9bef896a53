import type { SchemaObject, SwaggerDocument } from "./operations";
import { resolveSchema } from "./operations";

/**
 * Checks a JSON value against a schema of the connector definition: the subset of JSON Schema the
 * definition uses (types, required, closed objects, enums, array and number limits, $ref). The fake
 * CleverReach runs every request body and every answer through this, so the definition and the fake
 * cannot drift apart. Returns one message per problem, empty when the value fits.
 */
export function checkValue(doc: SwaggerDocument, schema: SchemaObject, value: unknown, at = "body"): string[] {
  const s = resolveSchema(doc, schema);
  const problems: string[] = [];
  if (s.type && !hasType(value, s.type)) return [`${at} must be ${s.type === "integer" ? "an integer" : `a${/^[aeiou]/.test(s.type) ? "n" : ""} ${s.type}`}`];
  if (s.enum && !s.enum.includes(value as string | number)) problems.push(`${at} must be one of ${s.enum.join(", ")}`);
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) problems.push(`${at} must be at least ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) problems.push(`${at} must be at most ${s.maximum}`);
  }
  if (typeof value === "string" && s.minLength !== undefined && value.length < s.minLength) problems.push(`${at} must have at least ${s.minLength} characters`);
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) problems.push(`${at} must have at least ${s.minItems} entries`);
    if (s.maxItems !== undefined && value.length > s.maxItems) problems.push(`${at} must have at most ${s.maxItems} entries (it has ${value.length})`);
    if (s.items) value.forEach((v, i) => problems.push(...checkValue(doc, s.items as SchemaObject, v, `${at}[${i}]`)));
  }
  if (isRecord(value) && (s.type === "object" || s.properties)) {
    for (const name of s.required ?? []) if (value[name] === undefined) problems.push(`${at}.${name} is required`);
    for (const [name, v] of Object.entries(value)) {
      const prop = s.properties?.[name];
      if (prop) problems.push(...checkValue(doc, prop, v, `${at}.${name}`));
      else if (s.additionalProperties === false) problems.push(`${at}.${name} is not a field CleverReach accepts here`);
      else if (typeof s.additionalProperties === "object") problems.push(...checkValue(doc, s.additionalProperties, v, `${at}.${name}`));
    }
  }
  return problems;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function hasType(v: unknown, type: NonNullable<SchemaObject["type"]>): boolean {
  switch (type) {
    case "object":
      return isRecord(v);
    case "array":
      return Array.isArray(v);
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "string":
      return typeof v === "string";
    case "boolean":
      return typeof v === "boolean";
  }
}

/** Converts a query or path string to the parameter's declared type; undefined when it does not fit. */
export function coerceParam(raw: string, type: string | undefined): string | number | boolean | undefined {
  if (type === "integer") return /^-?\d+$/.test(raw) ? Number(raw) : undefined;
  if (type === "number") return raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : undefined;
  if (type === "boolean") return raw === "true" ? true : raw === "false" ? false : undefined;
  return raw;
}
