/**
 * Simulated WDL functions that need no run context, keyed by their catalog name.
 * Run-context functions (body, items, variables, …) belong to the simulator's evaluator.
 */
import { arityProblem, FUNCTION_CATALOG } from "../../expr/catalog";
import { COLLECTION_FUNCTIONS } from "./collections";
import { CONVERSION_FUNCTIONS } from "./conversion";
import { DATETIME_FUNCTIONS } from "./datetime";
import { ExpressionFunctionError } from "./errors";
import { LOGICAL_FUNCTIONS } from "./logical";
import { MANIPULATION_FUNCTIONS } from "./manipulation";
import { MATH_FUNCTIONS } from "./math";
import { STRING_FUNCTIONS } from "./strings";
import { URI_FUNCTIONS } from "./uri";
import { XML_FUNCTIONS } from "./xml";
import { LIMIT_MESSAGES, RUN_LIMITS } from "../limits";

export { ExpressionFunctionError } from "./errors";
export { setClock } from "./datetime";

export type WdlFunction = (args: unknown[]) => unknown;

/** The function fails, as the platform fails it, when the string it builds is over the evaluation limit. */
function lengthLimited(name: string, fn: WdlFunction): WdlFunction {
  return (args) => {
    const result = fn(args);
    if (typeof result === "string" && result.length > RUN_LIMITS.expressionResultCharacters) {
      throw new ExpressionFunctionError(name, LIMIT_MESSAGES.expressionResult("its result", result.length));
    }
    return result;
  };
}

const ALL_FUNCTIONS: Record<string, WdlFunction> = {
  ...STRING_FUNCTIONS,
  ...COLLECTION_FUNCTIONS,
  ...LOGICAL_FUNCTIONS,
  ...CONVERSION_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...DATETIME_FUNCTIONS,
  ...URI_FUNCTIONS,
  ...MANIPULATION_FUNCTIONS,
  ...XML_FUNCTIONS,
};

export const FUNCTIONS: Record<string, WdlFunction> = Object.fromEntries(
  Object.entries(ALL_FUNCTIONS).map(([name, fn]) => [name, RUN_LIMITS.lengthLimitedFunctions.includes(name) ? lengthLimited(name, fn) : fn]),
);

/** Non-contextual catalog functions the simulator does not run, and why. */
export const NOT_IMPLEMENTED: ReadonlyMap<string, string> = new Map([
  ["parseDateTime", "locale- and format-driven parsing; our flows only handle ISO 8601 timestamps"],
  ["binary", "binary content envelopes ($content-type/$content) are not modelled"],
  ["base64ToBinary", "binary content envelopes are not modelled"],
  ["dataUriToBinary", "binary content envelopes are not modelled"],
  ["decodeDataUri", "binary content envelopes are not modelled"],
  ["uriComponentToBinary", "binary content envelopes are not modelled"],
]);

/** Calls a function by catalog name after checking that it exists and its argument count fits. */
export function callFunction(name: string, args: unknown[]): unknown {
  const sig = FUNCTION_CATALOG.get(name);
  if (!sig) throw new ExpressionFunctionError(name, "is not a workflow expression function.");
  const problem = arityProblem(sig, args.length);
  if (problem) throw new ExpressionFunctionError(name, `${problem}.`);
  const fn = FUNCTIONS[name];
  if (!fn) {
    const reason = sig.contextual ? "needs the run context, which the evaluator provides" : NOT_IMPLEMENTED.get(name);
    throw new ExpressionFunctionError(name, `is not simulated (${reason ?? "no reason recorded"}).`);
  }
  return fn(args);
}
