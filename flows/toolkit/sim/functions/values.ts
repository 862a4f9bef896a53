import { ExpressionFunctionError } from "./errors";

export type JsonObject = { [key: string]: unknown };

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return "Null";
  if (Array.isArray(v)) return "Array";
  switch (typeof v) {
    case "string":
      return "String";
    case "boolean":
      return "Boolean";
    case "number":
      return Number.isInteger(v) ? "Integer" : "Float";
    case "object":
      return "Object";
    default:
      return typeof v;
  }
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describeArg(index: number): string {
  return ["first", "second", "third", "fourth"][index] ?? `#${index + 1}`;
}

export function wrongType(fn: string, index: number, expected: string, got: unknown): ExpressionFunctionError {
  return new ExpressionFunctionError(fn, `its ${describeArg(index)} argument must be ${expected}, but a value of type '${typeName(got)}' was given.`);
}

export function str(fn: string, args: unknown[], i: number): string {
  const v = args[i];
  if (typeof v !== "string") throw wrongType(fn, i, "a string", v);
  return v;
}

export function num(fn: string, args: unknown[], i: number): number {
  const v = args[i];
  if (typeof v !== "number" || !Number.isFinite(v)) throw wrongType(fn, i, "an integer or float", v);
  return v;
}

export function int(fn: string, args: unknown[], i: number): number {
  const v = args[i];
  if (typeof v !== "number" || !Number.isInteger(v)) throw wrongType(fn, i, "an integer", v);
  return v;
}

export function bool(fn: string, args: unknown[], i: number): boolean {
  const v = args[i];
  if (typeof v !== "boolean") throw wrongType(fn, i, "a boolean", v);
  return v;
}

export function arr(fn: string, args: unknown[], i: number): unknown[] {
  const v = args[i];
  if (!Array.isArray(v)) throw wrongType(fn, i, "an array", v);
  return v;
}

export function obj(fn: string, args: unknown[], i: number): JsonObject {
  const v = args[i];
  if (!isObject(v)) throw wrongType(fn, i, "an object", v);
  return v;
}

export function optional<T>(args: unknown[], i: number, read: (fn: string, a: unknown[], i: number) => T, fn: string): T | undefined {
  return args.length > i && args[i] !== undefined ? read(fn, args, i) : undefined;
}

/**
 * Structural equality as `equals()` and `contains()` see it: arrays by position, objects by key set,
 * strings case-sensitively, and a boolean equal to the number 1/0 (documented: equals(true, 1) is true).
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (typeof a === "boolean" && typeof b === "number") return (a ? 1 : 0) === b;
  if (typeof a === "number" && typeof b === "boolean") return a === (b ? 1 : 0);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  const ka = Object.keys(a as JsonObject);
  const kb = Object.keys(b as JsonObject);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as JsonObject)[k], (b as JsonObject)[k]));
}

/**
 * An XML value as Logic Apps keeps non-JSON content in JSON (MicrosoftDocs/azure-docs,
 * articles/logic-apps/logic-apps-content-type.md): the content type and the content in base64.
 */
export const XML_CONTENT_TYPE = "application/xml;charset=utf-8";

export interface XmlValue {
  "$content-type": string;
  $content: string;
}

export const xmlValue = (text: string): XmlValue => ({ "$content-type": XML_CONTENT_TYPE, $content: Buffer.from(text, "utf8").toString("base64") });

export function isXmlValue(v: unknown): v is XmlValue {
  return isObject(v) && v["$content-type"] === XML_CONTENT_TYPE && typeof v.$content === "string";
}

/** The text of an XML value. */
export const xmlText = (v: XmlValue): string => Buffer.from(v.$content, "base64").toString("utf8");

/**
 * The text form a value takes in string(), concat(), join() and `@{...}` interpolation:
 * null is empty (documented for string()), objects and arrays are compact JSON.
 */
export function toWdlString(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  // string(xml('<a/>')) is the XML's text, not its JSON envelope.
  if (isXmlValue(v)) return xmlText(v);
  return JSON.stringify(v);
}
