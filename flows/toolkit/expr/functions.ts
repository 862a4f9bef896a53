import { call, type Arg, type Ex } from "./build";

/**
 * The workflow functions as named, typed helpers: `not(equals(length(x), 0))` prints exactly as
 * the designer's expression text `not(equals(length(x), 0))`, where `call("not", call("equals", …))`
 * read as a chain of strings.
 *
 * Why named helpers and not an `` expr`not(empty(${x}))` `` template parsed at build time: the
 * helpers are checked by the compiler as they are typed (a misspelt name or a missing argument
 * does not compile, the editor completes them), they nest Ex values without printing and
 * re-parsing them, and one way of writing expressions is easier to read than two. A template
 * would only fail when the flows are built.
 *
 * One helper per function, named as the function (so the text a maker sees in the designer is
 * what the builder says), except `if`, a reserved word in TypeScript: `ifElse`. The argument
 * counts follow the catalog (catalog.ts); tests/toolkit/functions.test.ts checks every helper
 * against it. Functions not here are still reachable through `call`.
 */

/** A call whose trailing optional arguments are left out when not given (not written as null). */
const optional = (name: string, ...args: Array<Arg | undefined>): Ex => call(name, ...args.filter((a): a is Arg => a !== undefined));

// Logical
export const and = (a: Arg, b: Arg, ...more: Arg[]): Ex => call("and", a, b, ...more);
export const or = (a: Arg, b: Arg, ...more: Arg[]): Ex => call("or", a, b, ...more);
export const not = (a: Arg): Ex => call("not", a);
export const equals = (a: Arg, b: Arg): Ex => call("equals", a, b);
export const greater = (a: Arg, b: Arg): Ex => call("greater", a, b);
export const greaterOrEquals = (a: Arg, b: Arg): Ex => call("greaterOrEquals", a, b);
export const less = (a: Arg, b: Arg): Ex => call("less", a, b);
export const lessOrEquals = (a: Arg, b: Arg): Ex => call("lessOrEquals", a, b);
/** `if(condition, whenTrue, whenFalse)`: both branches are evaluated, whichever is returned. */
export const ifElse = (condition: Arg, whenTrue: Arg, whenFalse: Arg): Ex => call("if", condition, whenTrue, whenFalse);

// Collections
export const contains = (collection: Arg, value: Arg): Ex => call("contains", collection, value);
export const length = (collection: Arg): Ex => call("length", collection);
export const empty = (collection: Arg): Ex => call("empty", collection);
export const first = (collection: Arg): Ex => call("first", collection);
export const last = (collection: Arg): Ex => call("last", collection);
export const join = (collection: Arg, delimiter: Arg): Ex => call("join", collection, delimiter);
export const union = (a: Arg, b: Arg, ...more: Arg[]): Ex => call("union", a, b, ...more);
export const intersection = (a: Arg, b: Arg, ...more: Arg[]): Ex => call("intersection", a, b, ...more);
export const chunk = (collection: Arg, size: Arg): Ex => call("chunk", collection, size);
export const sort = (collection: Arg, key?: Arg): Ex => optional("sort", collection, key);
export const skip = (collection: Arg, count: Arg): Ex => call("skip", collection, count);
export const take = (collection: Arg, count: Arg): Ex => call("take", collection, count);

// Strings
export const concat = (a: Arg, ...more: Arg[]): Ex => call("concat", a, ...more);
export const replace = (text: Arg, old: Arg, replacement: Arg): Ex => call("replace", text, old, replacement);
export const split = (text: Arg, delimiter: Arg): Ex => call("split", text, delimiter);
export const trim = (text: Arg): Ex => call("trim", text);
export const toLower = (text: Arg): Ex => call("toLower", text);
export const toUpper = (text: Arg): Ex => call("toUpper", text);
export const startsWith = (text: Arg, prefix: Arg): Ex => call("startsWith", text, prefix);
export const endsWith = (text: Arg, suffix: Arg): Ex => call("endsWith", text, suffix);
export const indexOf = (text: Arg, search: Arg): Ex => call("indexOf", text, search);
export const substring = (text: Arg, start: Arg, count?: Arg): Ex => optional("substring", text, start, count);

// Conversions
export const json = (value: Arg): Ex => call("json", value);
export const string = (value: Arg): Ex => call("string", value);
export const int = (value: Arg): Ex => call("int", value);
export const isInt = (text: Arg): Ex => call("isInt", text);
export const float = (value: Arg): Ex => call("float", value);
export const bool = (value: Arg): Ex => call("bool", value);
export const createArray = (a: Arg, ...more: Arg[]): Ex => call("createArray", a, ...more);

// Math
export const add = (a: Arg, b: Arg): Ex => call("add", a, b);
export const sub = (a: Arg, b: Arg): Ex => call("sub", a, b);
export const mul = (a: Arg, b: Arg): Ex => call("mul", a, b);
export const div = (a: Arg, b: Arg): Ex => call("div", a, b);
export const mod = (a: Arg, b: Arg): Ex => call("mod", a, b);
export const min = (a: Arg, ...more: Arg[]): Ex => call("min", a, ...more);
export const max = (a: Arg, ...more: Arg[]): Ex => call("max", a, ...more);

// Objects
export const coalesce = (a: Arg, ...more: Arg[]): Ex => call("coalesce", a, ...more);
export const addProperty = (object: Arg, property: Arg, value: Arg): Ex => call("addProperty", object, property, value);
export const setProperty = (object: Arg, property: Arg, value: Arg): Ex => call("setProperty", object, property, value);
export const removeProperty = (object: Arg, property: Arg): Ex => call("removeProperty", object, property);

// Date and time
export const utcNow = (format?: Arg): Ex => optional("utcNow", format);
export const ticks = (timestamp: Arg): Ex => call("ticks", timestamp);
export const formatDateTime = (timestamp: Arg, format?: Arg): Ex => optional("formatDateTime", timestamp, format);
export const addSeconds = (timestamp: Arg, seconds: Arg, format?: Arg): Ex => optional("addSeconds", timestamp, seconds, format);
export const startOfDay = (timestamp: Arg, format?: Arg): Ex => optional("startOfDay", timestamp, format);
export const addDays = (timestamp: Arg, days: Arg, format?: Arg): Ex => optional("addDays", timestamp, days, format);
