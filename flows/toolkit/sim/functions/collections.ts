import { ExpressionFunctionError } from "./errors";
import { arr, deepEqual, int, isObject, JsonObject, optional, str, toWdlString, typeName, wrongType } from "./values";

type Fn = (args: unknown[]) => unknown;

function stringOrArray(fn: string, args: unknown[], i: number): string | unknown[] {
  const v = args[i];
  if (typeof v === "string" || Array.isArray(v)) return v;
  throw wrongType(fn, i, "a string or an array", v);
}

function nonNegative(fn: string, args: unknown[], i: number): number {
  const n = int(fn, args, i);
  if (n < 0) throw new ExpressionFunctionError(fn, `the count ${n} must not be negative.`);
  return n;
}

/** union/intersection take either all arrays or all objects, never a mix. */
function collections(fn: string, args: unknown[]): { kind: "array"; items: unknown[][] } | { kind: "object"; items: JsonObject[] } {
  if (args.every(Array.isArray)) return { kind: "array", items: args as unknown[][] };
  if (args.every(isObject)) return { kind: "object", items: args as JsonObject[] };
  const bad = args.findIndex((a) => !Array.isArray(a) && !isObject(a));
  if (bad >= 0) throw wrongType(fn, bad, "an array or an object", args[bad]);
  throw new ExpressionFunctionError(fn, "its arguments must be all arrays or all objects, not a mix.");
}

/**
 * Drops items deepEqual to an earlier one. Keyed by a canonical text that is equal exactly when
 * deepEqual is (booleans as 0/1, object keys sorted), so that union() of two 100,000-row arrays is
 * linear instead of comparing every pair.
 */
function distinct(items: unknown[]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const item of items) {
    const key = canonicalKey(item);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

function canonical(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    // Tagged so that an object never collides with an array of pairs (objects become { $o: … },
    // and no canonical value is ever a plain object otherwise).
    return {
      $o: Object.keys(o)
        .sort()
        .map((k) => [k, canonical(o[k])]),
    };
  }
  return v;
}

const canonicalKey = (v: unknown): string => JSON.stringify(canonical(v));

type SortKey = string | number;

function sortKey(fn: string, v: unknown): SortKey {
  if (typeof v === "string" || typeof v === "number") return v;
  throw new ExpressionFunctionError(fn, `can only sort strings or numbers, found a value of type '${typeName(v)}'.`);
}

export const COLLECTION_FUNCTIONS: Record<string, Fn> = {
  contains: (args) => {
    const collection = args[0];
    const value = args[1];
    // Documented as case-sensitive for strings; dictionaries are searched by key.
    if (typeof collection === "string") {
      if (typeof value !== "string") throw wrongType("contains", 1, "a string when searching a string", value);
      return collection.includes(value);
    }
    if (Array.isArray(collection)) return collection.some((item) => deepEqual(item, value));
    if (isObject(collection)) {
      if (typeof value !== "string") throw wrongType("contains", 1, "a key (string) when searching an object", value);
      return Object.prototype.hasOwnProperty.call(collection, value);
    }
    throw wrongType("contains", 0, "a string, an array or an object", collection);
  },

  length: (args) => stringOrArray("length", args, 0).length,

  empty: (args) => {
    const v = args[0];
    // A missing value (null, e.g. from `?['x']`) counts as empty; that is how flows test for absence.
    if (v === null || v === undefined) return true;
    if (typeof v === "string" || Array.isArray(v)) return v.length === 0;
    if (isObject(v)) return Object.keys(v).length === 0;
    throw wrongType("empty", 0, "a string, an array, an object or null", v);
  },

  // Empty inputs give null for arrays and "" for strings; the reference does not say, we chose the
  // value a later `?[...]` or coalesce() handles gracefully.
  first: (args) => {
    const c = stringOrArray("first", args, 0);
    return typeof c === "string" ? c.slice(0, 1) : c.length ? c[0] : null;
  },
  last: (args) => {
    const c = stringOrArray("last", args, 0);
    return typeof c === "string" ? c.slice(-1) : c.length ? c[c.length - 1] : null;
  },

  take: (args) => stringOrArray("take", args, 0).slice(0, nonNegative("take", args, 1)),
  skip: (args) => arr("skip", args, 0).slice(nonNegative("skip", args, 1)),

  join: (args) => {
    const items = arr("join", args, 0);
    const delimiter = str("join", args, 1);
    return items.map(toWdlString).join(delimiter);
  },

  union: (args) => {
    const c = collections("union", args);
    if (c.kind === "array") return distinct(c.items.flat());
    return Object.assign({}, ...c.items) as JsonObject;
  },

  intersection: (args) => {
    const c = collections("intersection", args);
    if (c.kind === "array") {
      const [head = [], ...rest] = c.items;
      return distinct(head.filter((x) => rest.every((other) => other.some((y) => deepEqual(x, y)))));
    }
    // Objects meet on property names; the reference says the last collection's value wins.
    const [head = {}, ...rest] = c.items;
    const out: JsonObject = {};
    for (const key of Object.keys(head)) {
      if (rest.every((o) => Object.prototype.hasOwnProperty.call(o, key))) {
        out[key] = (c.items[c.items.length - 1] as JsonObject)[key];
      }
    }
    return out;
  },

  chunk: (args) => {
    const c = stringOrArray("chunk", args, 0);
    const size = int("chunk", args, 1);
    if (size < 1) throw new ExpressionFunctionError("chunk", `the chunk length ${size} must be 1 or more.`);
    const out: (string | unknown[])[] = [];
    for (let i = 0; i < c.length; i += size) out.push(c.slice(i, i + size));
    return out;
  },

  reverse: (args) => [...arr("reverse", args, 0)].reverse(),

  sort: (args) => {
    const items = arr("sort", args, 0);
    const by = optional(args, 1, str, "sort");
    const keyed = items.map((item) => {
      if (by === undefined) return { item, key: sortKey("sort", item) };
      if (!isObject(item)) throw new ExpressionFunctionError("sort", "sorting by a property needs an array of objects.");
      return { item, key: sortKey("sort", item[by]) };
    });
    const kinds = new Set(keyed.map((k) => typeof k.key));
    if (kinds.size > 1) throw new ExpressionFunctionError("sort", "cannot sort a mix of strings and numbers.");
    // Ordinal (code unit) order for strings: culture-aware ordering is not documented.
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return keyed.map((k) => k.item);
  },
};
