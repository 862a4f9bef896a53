import { ExpressionFunctionError } from "./errors";
import { culture } from "./locales";
import { bool, deepEqual, optional, str, typeName } from "./values";

type Fn = (args: unknown[]) => unknown;

/** Documented: logical comparisons see null as the empty string. */
const nullAsEmpty = (v: unknown) => (v === null || v === undefined ? "" : v);

function compare(fn: string, args: unknown[]): number {
  const a = nullAsEmpty(args[0]);
  const b = nullAsEmpty(args[1]);
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") {
    // Ordinal comparison; the reference's examples ('apple' < 'banana', 'apply' > 'apple') agree
    // with it and culture-aware ordering is not documented.
    return a < b ? -1 : a > b ? 1 : 0;
  }
  throw new ExpressionFunctionError(fn, `can only compare two numbers or two strings, not '${typeName(args[0])}' with '${typeName(args[1])}'.`);
}

const INT_TEXT = /^\s*[+-]?\d+\s*$/;

/** A float in the culture's notation: optional sign, grouped or plain digits, optional fraction and exponent. */
function floatPattern(group: string, decimal: string): RegExp {
  const g = group.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const d = decimal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^\\s*[+-]?(\\d{1,3}(${g}\\d{3})+|\\d+)?(${d}\\d+)?([eE][+-]?\\d+)?\\s*$`);
}

export function parseLocaleFloat(fn: string, text: string, locale: string | undefined): number | undefined {
  const c = culture(locale);
  if (!c) throw new ExpressionFunctionError(fn, `the locale '${locale}' is not modelled by the simulator.`);
  const m = floatPattern(c.group, c.decimal).exec(text);
  if (!m || !/\d/.test(text)) return undefined;
  const normal = text.trim().split(c.group).join("").replace(c.decimal, ".");
  const n = Number(normal);
  return Number.isFinite(n) ? n : undefined;
}

export const LOGICAL_FUNCTIONS: Record<string, Fn> = {
  and: (args) => args.map((_, i) => bool("and", args, i)).every(Boolean),
  or: (args) => args.map((_, i) => bool("or", args, i)).some(Boolean),
  not: (args) => !bool("not", args, 0),
  if: (args) => (bool("if", args, 0) ? args[1] : args[2]),
  // Case-sensitive, structural, and null equal to "" (documented note on logical functions).
  equals: (args) => deepEqual(nullAsEmpty(args[0]), nullAsEmpty(args[1])),
  less: (args) => compare("less", args) < 0,
  lessOrEquals: (args) => compare("lessOrEquals", args) <= 0,
  greater: (args) => compare("greater", args) > 0,
  greaterOrEquals: (args) => compare("greaterOrEquals", args) >= 0,
  isInt: (args) => INT_TEXT.test(str("isInt", args, 0)),
  isFloat: (args) => parseLocaleFloat("isFloat", str("isFloat", args, 0), optional(args, 1, str, "isFloat")) !== undefined,
};
