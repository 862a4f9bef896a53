/**
 * The Workflow Definition Language function catalog, as data.
 *
 * Sources (facts only, no code): the function list and argument counts follow
 * Azure/LogicAppsUX `libs/designer-ui/src/lib/workflow/languageservice/templatefunctions.ts` (MIT)
 * and Microsoft's "Reference guide to workflow expression functions" (Logic Apps / Power Automate).
 * Where the two disagree the entry says which one won and why.
 *
 * Casing: function names are looked up with their documented casing (`FUNCTION_CATALOG.get`).
 * The runtime is generally believed to match names case-insensitively (Azure Data Factory, which
 * shares this expression language, does; microsoft/data-factory-testing-framework#8 changed its
 * evaluator for that reason), but no Microsoft page states it for Power Automate, so we could not
 * verify it. The linter therefore requires the documented casing, and `findFunctionIgnoringCase`
 * exists so it can suggest the right spelling.
 */

export type FunctionCategory = "string" | "collection" | "logical" | "conversion" | "math" | "dateTime" | "workflow" | "uriParsing" | "manipulation";

export interface FunctionSignature {
  readonly name: string;
  readonly minArgs: number;
  /** `Infinity` for variadic functions. */
  readonly maxArgs: number;
  readonly category: FunctionCategory;
  /** True when the value depends on the run (actions, trigger, loops, variables, parameters…). */
  readonly contextual: boolean;
}

const V = Infinity;

// [name, minArgs, maxArgs, contextual?]
type Row = readonly [string, number, number, boolean?];

const ROWS: Readonly<Record<FunctionCategory, readonly Row[]>> = {
  string: [
    ["concat", 1, V],
    ["substring", 2, 3],
    ["slice", 2, 3],
    ["replace", 3, 3],
    ["guid", 0, 1],
    ["toLower", 1, 1],
    ["toUpper", 1, 1],
    ["indexOf", 2, 2],
    ["nthIndexOf", 3, 3],
    ["lastIndexOf", 2, 2],
    ["startsWith", 2, 2],
    ["endsWith", 2, 2],
    ["split", 2, 2],
    ["trim", 1, 1],
    ["formatNumber", 2, 3],
  ],
  collection: [
    ["contains", 2, 2],
    ["length", 1, 1],
    ["sort", 1, 2],
    ["reverse", 1, 1],
    ["empty", 1, 1],
    // Both sources ask for at least two collections; the designer lists union's second as optional
    // in its default signature but every concrete signature has two, so 2 is the safe minimum.
    ["intersection", 2, V],
    ["union", 2, V],
    ["first", 1, 1],
    ["last", 1, 1],
    ["take", 2, 2],
    ["skip", 2, 2],
    ["join", 2, 2],
    ["chunk", 2, 2],
  ],
  logical: [
    ["if", 3, 3],
    ["equals", 2, 2],
    // The designer shows two parameters; Microsoft's reference documents `and(e1, e2, ...)`.
    ["and", 2, V],
    ["or", 2, V],
    ["not", 1, 1],
    ["less", 2, 2],
    ["lessOrEquals", 2, 2],
    ["greater", 2, 2],
    ["greaterOrEquals", 2, 2],
    ["isInt", 1, 1],
    ["isFloat", 1, 2],
  ],
  conversion: [
    ["json", 1, 1],
    ["xml", 1, 1],
    ["int", 1, 1],
    ["string", 1, 1],
    // The designer shows one parameter; Microsoft's current reference adds an optional locale.
    ["float", 1, 2],
    ["bool", 1, 1],
    ["base64", 1, 1],
    ["base64ToBinary", 1, 1],
    ["base64ToString", 1, 1],
    ["binary", 1, 1],
    ["dataUriToBinary", 1, 1],
    ["dataUriToString", 1, 1],
    ["dataUri", 1, 1],
    ["decodeBase64", 1, 1],
    ["encodeUriComponent", 1, 1],
    ["decodeUriComponent", 1, 1],
    ["decodeDataUri", 1, 1],
    ["uriComponent", 1, 1],
    ["uriComponentToBinary", 1, 1],
    ["uriComponentToString", 1, 1],
    ["array", 1, 1],
    ["createArray", 1, V],
    ["decimal", 1, 1],
  ],
  math: [
    ["min", 1, V],
    ["max", 1, V],
    ["rand", 2, 2],
    ["add", 2, 2],
    ["sub", 2, 2],
    ["mul", 2, 2],
    ["div", 2, 2],
    ["mod", 2, 2],
    ["range", 2, 2],
  ],
  dateTime: [
    // The designer lists utcNow() without arguments; the reference documents utcNow('<format>').
    ["utcNow", 0, 1],
    ["getFutureTime", 2, 3],
    ["getPastTime", 2, 3],
    ["addToTime", 3, 4],
    ["subtractFromTime", 3, 4],
    ["addSeconds", 2, 3],
    ["addMinutes", 2, 3],
    ["addHours", 2, 3],
    ["addDays", 2, 3],
    ["dateDifference", 2, 2],
    ["convertTimeZone", 3, 4],
    ["convertToUtc", 2, 3],
    ["convertFromUtc", 2, 3],
    ["formatDateTime", 1, 3],
    ["parseDateTime", 1, 3],
    ["startOfHour", 1, 2],
    ["startOfDay", 1, 2],
    ["startOfMonth", 1, 2],
    ["dayOfWeek", 1, 1],
    ["dayOfMonth", 1, 1],
    ["dayOfYear", 1, 1],
    ["ticks", 1, 1],
  ],
  workflow: [
    ["action", 0, 0, true],
    ["actionBody", 1, 1, true],
    ["actionOutputs", 1, 1, true],
    ["actions", 1, 1, true],
    ["body", 1, 1, true],
    ["outputs", 1, 1, true],
    ["parameters", 1, 1, true],
    // The reference marks the scope name as required; the designer as optional. The designer is
    // what makers use, so a call without it is accepted.
    ["result", 0, 1, true],
    ["trigger", 0, 0, true],
    ["triggerBody", 0, 0, true],
    ["triggerOutputs", 0, 0, true],
    ["triggerFormDataValue", 1, 1, true],
    ["triggerFormDataMultiValues", 1, 1, true],
    ["triggerMultipartBody", 1, 1, true],
    ["formDataValue", 2, 2, true],
    ["formDataMultiValues", 2, 2, true],
    ["multipartBody", 2, 2, true],
    ["item", 0, 0, true],
    ["items", 1, 1, true],
    ["iterationIndexes", 1, 1, true],
    ["variables", 1, 1, true],
    ["listCallbackUrl", 0, 0, true],
    ["workflow", 0, 0, true],
    // Logic Apps Standard only (app settings of the host); kept so the linter can name it.
    ["appsetting", 1, 1, true],
  ],
  uriParsing: [
    ["uriHost", 1, 1],
    ["uriPath", 1, 1],
    ["uriPathAndQuery", 1, 1],
    ["uriPort", 1, 1],
    ["uriScheme", 1, 1],
    ["uriQuery", 1, 1],
  ],
  manipulation: [
    ["coalesce", 1, V],
    ["addProperty", 3, 3],
    ["setProperty", 3, 3],
    ["removeProperty", 2, 2],
    ["xpath", 2, 2],
  ],
};

function build(): ReadonlyMap<string, FunctionSignature> {
  const map = new Map<string, FunctionSignature>();
  for (const [category, rows] of Object.entries(ROWS) as [FunctionCategory, readonly Row[]][]) {
    for (const [name, minArgs, maxArgs, contextual] of rows) {
      if (map.has(name)) throw new Error(`catalog lists '${name}' twice`);
      map.set(name, Object.freeze({ name, minArgs, maxArgs, category, contextual: contextual ?? false }));
    }
  }
  return map;
}

/** Every WDL function, keyed by its documented name (exact casing). */
export const FUNCTION_CATALOG: ReadonlyMap<string, FunctionSignature> = build();

const BY_LOWER_NAME: ReadonlyMap<string, FunctionSignature> = new Map([...FUNCTION_CATALOG.values()].map((s) => [s.name.toLowerCase(), s]));

/** Case-insensitive lookup, for "did you mean 'toLower'?" messages. */
export function findFunctionIgnoringCase(name: string): FunctionSignature | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

/** Null when `count` arguments are acceptable for `sig`, otherwise a human-readable reason. */
export function arityProblem(sig: FunctionSignature, count: number): string | null {
  if (count >= sig.minArgs && count <= sig.maxArgs) return null;
  const expected =
    sig.maxArgs === Infinity ? `at least ${sig.minArgs}` : sig.minArgs === sig.maxArgs ? `exactly ${sig.minArgs}` : `${sig.minArgs} to ${sig.maxArgs}`;
  return `'${sig.name}' takes ${expected} argument(s) but was given ${count}`;
}
