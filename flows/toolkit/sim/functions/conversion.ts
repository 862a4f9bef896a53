import { ExpressionFunctionError } from "./errors";
import { parseLocaleFloat } from "./logical";
import { optional, str, toWdlString, wrongType } from "./values";

type Fn = (args: unknown[]) => unknown;

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** .NET Uri.EscapeDataString leaves only RFC 3986 unreserved characters; JS also keeps !'()*. */
function escapeDataString(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function unescape(fn: string, s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new ExpressionFunctionError(fn, `'${s}' is not a valid URI-encoded string.`);
  }
}

function fromBase64(fn: string, s: string): string {
  const compact = s.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new ExpressionFunctionError(fn, `'${s}' is not a valid base64 string.`);
  }
  return Buffer.from(compact, "base64").toString("utf8");
}

function dataUriToString(fn: string, uri: string): string {
  const m = /^data:([^,]*?)(;base64)?,(.*)$/s.exec(uri);
  if (!m) throw new ExpressionFunctionError(fn, `'${uri}' is not a data URI.`);
  const payload = m[3] ?? "";
  return m[2] ? fromBase64(fn, payload) : unescape(fn, payload);
}

export const CONVERSION_FUNCTIONS: Record<string, Fn> = {
  int: (args) => {
    const v = args[0];
    // Integral numbers pass through; a float is rejected rather than silently truncated (the
    // reference only documents strings, and we would rather fail a test than hide a fraction).
    if (typeof v === "number") {
      if (Number.isInteger(v)) return v;
      throw new ExpressionFunctionError("int", `the value ${v} is not an integer.`);
    }
    if (typeof v !== "string") throw wrongType("int", 0, "a string holding an integer", v);
    if (!/^\s*[+-]?\d+\s*$/.test(v)) throw new ExpressionFunctionError("int", `the string '${v}' cannot be converted to an integer.`);
    const big = BigInt(v.trim());
    if (big > INT64_MAX || big < INT64_MIN) throw new ExpressionFunctionError("int", `'${v}' is outside the 64-bit integer range.`);
    return Number(big);
  },

  float: (args) => {
    const v = args[0];
    if (typeof v === "number") return v;
    if (typeof v !== "string") throw wrongType("float", 0, "a string holding a number", v);
    const n = parseLocaleFloat("float", v, optional(args, 1, str, "float"));
    if (n === undefined) throw new ExpressionFunctionError("float", `the string '${v}' cannot be converted to a float.`);
    return n;
  },

  // JS has one number type, so decimal() gives a double: precision beyond 15-17 digits is lost,
  // which the reference warns about for outputs anyway.
  decimal: (args) => {
    const v = args[0];
    if (typeof v === "number") return v;
    const n = typeof v === "string" ? parseLocaleFloat("decimal", v, undefined) : undefined;
    if (n === undefined) throw new ExpressionFunctionError("decimal", `the value '${toWdlString(v)}' cannot be converted to a decimal.`);
    return n;
  },

  string: (args) => toWdlString(args[0]),

  bool: (args) => {
    const v = args[0];
    if (typeof v === "boolean") return v;
    if (typeof v === "number") return v !== 0;
    if (typeof v === "string") {
      const t = v.trim().toLowerCase();
      if (t === "true") return true;
      if (t === "false") return false;
    }
    throw new ExpressionFunctionError("bool", `the value '${toWdlString(v)}' cannot be converted to a boolean.`);
  },

  json: (args) => {
    const v = args[0];
    // Documented: a null string gives an empty object.
    if (v === null || v === undefined) return {};
    // Already-parsed values (an action body) come back unchanged, which is how flows use json(body(...)).
    if (typeof v !== "string") return v;
    if (v.trimStart().startsWith("<")) throw new ExpressionFunctionError("json", "converting XML to JSON is not simulated.");
    try {
      return JSON.parse(v) as unknown;
    } catch {
      throw new ExpressionFunctionError("json", `the string '${v}' is not valid JSON.`);
    }
  },

  // array() of anything wraps it; the reference only shows a string, this is the evident reading.
  array: (args) => [args[0] ?? null],
  createArray: (args) => args.map((a) => a ?? null),

  base64: (args) => Buffer.from(toWdlString(args[0]), "utf8").toString("base64"),
  base64ToString: (args) => fromBase64("base64ToString", str("base64ToString", args, 0)),
  decodeBase64: (args) => fromBase64("decodeBase64", str("decodeBase64", args, 0)),

  dataUri: (args) => `data:text/plain;charset=utf-8;base64,${Buffer.from(str("dataUri", args, 0), "utf8").toString("base64")}`,
  dataUriToString: (args) => dataUriToString("dataUriToString", str("dataUriToString", args, 0)),

  encodeUriComponent: (args) => escapeDataString(toWdlString(args[0])),
  uriComponent: (args) => escapeDataString(toWdlString(args[0])),
  decodeUriComponent: (args) => unescape("decodeUriComponent", str("decodeUriComponent", args, 0)),
  uriComponentToString: (args) => unescape("uriComponentToString", str("uriComponentToString", args, 0)),
};
