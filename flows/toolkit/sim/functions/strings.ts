import { randomUUID } from "node:crypto";
import { ExpressionFunctionError } from "./errors";
import { culture } from "./locales";
import { FormatError, formatDotNetNumber } from "./numberFormat";
import { int, num, optional, str, toWdlString } from "./values";

type Fn = (args: unknown[]) => unknown;

/**
 * Case-insensitive search (the reference says indexOf, lastIndexOf, startsWith and endsWith ignore
 * case). Lower-casing both sides keeps indexes aligned for every character our data contains; the
 * few characters whose lower case changes length (e.g. 'İ') would shift indexes, as noted.
 */
const fold = (s: string) => s.toLowerCase();

function guid(args: unknown[]): string {
  const format = optional(args, 0, str, "guid") ?? "D";
  const d = randomUUID();
  const n = d.replace(/-/g, "");
  switch (format.toUpperCase()) {
    case "D":
      return d;
    case "N":
      return n;
    case "B":
      return `{${d}}`;
    case "P":
      return `(${d})`;
    case "X": {
      const hex = (from: number, to: number) => `0x${n.slice(from, to)}`;
      const bytes = Array.from({ length: 8 }, (_, i) => hex(16 + 2 * i, 18 + 2 * i));
      return `{${hex(0, 8)},${hex(8, 12)},${hex(12, 16)},{${bytes.join(",")}}}`;
    }
    default:
      throw new ExpressionFunctionError("guid", `'${format}' is not a GUID format; use N, D, B, P or X.`);
  }
}

export const STRING_FUNCTIONS: Record<string, Fn> = {
  // The reference asks for strings; the runtime converts other values the way string() does, and
  // a null argument contributes nothing (same rule as string(null) = "").
  concat: (args) => args.map(toWdlString).join(""),

  substring: (args) => {
    const text = str("substring", args, 0);
    const start = int("substring", args, 1);
    const length = optional(args, 2, int, "substring");
    if (start < 0 || start > text.length) {
      throw new ExpressionFunctionError("substring", `the start index ${start} is outside the string of length ${text.length}.`);
    }
    if (length === undefined) return text.slice(start);
    if (length < 0) throw new ExpressionFunctionError("substring", `the length ${length} is negative.`);
    // Documented: unlike most languages, running past the end is an error, not a shorter result.
    if (start + length > text.length) {
      throw new ExpressionFunctionError("substring", `start index ${start} plus length ${length} is past the end of the string (length ${text.length}).`);
    }
    return text.substr(start, length);
  },

  // Negative indexes count from the end and out-of-range indexes clamp, as in the reference examples.
  slice: (args) => {
    const text = str("slice", args, 0);
    const start = int("slice", args, 1);
    const end = optional(args, 2, int, "slice");
    return text.slice(start, end);
  },

  replace: (args) => {
    const text = str("replace", args, 0);
    const oldText = str("replace", args, 1);
    const newText = str("replace", args, 2);
    // .NET String.Replace rejects an empty search string.
    if (oldText === "") throw new ExpressionFunctionError("replace", "the text to replace must not be empty.");
    return text.split(oldText).join(newText);
  },

  guid,
  toLower: (args) => str("toLower", args, 0).toLowerCase(),
  toUpper: (args) => str("toUpper", args, 0).toUpperCase(),

  indexOf: (args) => fold(str("indexOf", args, 0)).indexOf(fold(str("indexOf", args, 1))),

  lastIndexOf: (args) => {
    const text = fold(str("lastIndexOf", args, 0));
    const search = fold(str("lastIndexOf", args, 1));
    // The three documented empty-string rules.
    if (search === "") return text === "" ? 0 : text.length - 1;
    return text.lastIndexOf(search);
  },

  nthIndexOf: (args) => {
    const text = fold(str("nthIndexOf", args, 0));
    const search = fold(str("nthIndexOf", args, 1));
    const occurrence = int("nthIndexOf", args, 2);
    // The reference only shows positive occurrences; anything below 1 has no documented meaning.
    if (occurrence < 1) throw new ExpressionFunctionError("nthIndexOf", `the occurrence ${occurrence} must be 1 or more.`);
    let from = 0;
    let found = -1;
    for (let i = 0; i < occurrence; i++) {
      found = text.indexOf(search, from);
      if (found < 0) return -1;
      from = found + Math.max(search.length, 1);
    }
    return found;
  },

  startsWith: (args) => fold(str("startsWith", args, 0)).startsWith(fold(str("startsWith", args, 1))),
  endsWith: (args) => fold(str("endsWith", args, 0)).endsWith(fold(str("endsWith", args, 1))),

  split: (args) => {
    const text = str("split", args, 0);
    const delimiter = str("split", args, 1);
    // .NET Split with an empty separator returns the whole string; JS would split into characters.
    return delimiter === "" ? [text] : text.split(delimiter);
  },

  trim: (args) => str("trim", args, 0).trim(),

  formatNumber: (args) => {
    const value = num("formatNumber", args, 0);
    const format = str("formatNumber", args, 1);
    const locale = optional(args, 2, str, "formatNumber");
    const c = culture(locale);
    if (!c) throw new ExpressionFunctionError("formatNumber", `the locale '${locale}' is not modelled by the simulator.`);
    try {
      return formatDotNetNumber(value, format, c);
    } catch (e) {
      if (e instanceof FormatError) throw new ExpressionFunctionError("formatNumber", `the format '${format}' is not valid: ${e.message}.`);
      throw e;
    }
  },
};
