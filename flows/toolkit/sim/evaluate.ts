import type { Expr, Template } from "../expr/ast";
import { parseTemplate } from "../expr/parser";
import { LIMIT_MESSAGES, RUN_LIMITS } from "./limits";

/** A failure while evaluating an expression; fails the action that evaluates it. */
export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExpressionError";
  }
}

export type PureFunction = (args: unknown[]) => unknown;

/** What an expression can see while an action runs. */
export interface EvaluationScope {
  /** Run-context functions (body, outputs, items, variables, …) bound to the current action. */
  context: Record<string, (args: unknown[]) => unknown>;
  /** The pure workflow functions. */
  functions: Record<string, PureFunction>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function index(target: unknown, key: unknown, safe: boolean): unknown {
  if (target === null || target === undefined) {
    if (safe) return null;
    throw new ExpressionError(`cannot read [${JSON.stringify(key)}] of null`);
  }
  if (Array.isArray(target)) {
    if (typeof key !== "number" || !Number.isInteger(key)) throw new ExpressionError(`an array is indexed by an integer, not ${JSON.stringify(key)}`);
    if (key < 0 || key >= target.length) {
      if (safe) return null;
      throw new ExpressionError(`index ${key} is outside the array (length ${target.length})`);
    }
    return target[key];
  }
  if (isObject(target)) {
    const k = String(key);
    if (k in target) return target[k];
    // outputs('X')?['body/value'] reads a path, as the designer writes it.
    if (k.includes("/")) {
      let cur: unknown = target;
      for (const part of k.split("/")) {
        if (!isObject(cur) || !(part in cur)) {
          if (safe) return null;
          throw new ExpressionError(`the property path '${k}' does not exist`);
        }
        cur = cur[part];
      }
      return cur;
    }
    if (safe) return null;
    throw new ExpressionError(`the property '${k}' does not exist; available: ${Object.keys(target).slice(0, 10).join(", ")}`);
  }
  if (safe) return null;
  throw new ExpressionError(`cannot read [${JSON.stringify(key)}] of a ${typeof target}`);
}

export function evaluateExpr(e: Expr, scope: EvaluationScope): unknown {
  switch (e.kind) {
    case "string":
    case "number":
    case "bool":
      return e.value;
    case "null":
      return null;
    case "index":
      return index(evaluateExpr(e.target, scope), evaluateExpr(e.key, scope), e.safe);
    case "call": {
      const args = e.args.map((a) => evaluateExpr(a, scope));
      const contextual = scope.context[e.name];
      if (contextual) return contextual(args);
      const fn = scope.functions[e.name];
      if (!fn) throw new ExpressionError(`the function '${e.name}' is not available in the simulator`);
      return fn(args);
    }
  }
}

/** Text form of a value inside `@{…}`: strings as they are, other values as JSON. */
export function interpolationText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

const templateCache = new Map<string, Template>();

export function evaluateString(value: string, scope: EvaluationScope): unknown {
  if (!value.includes("@")) return value;
  let t = templateCache.get(value);
  if (!t) {
    t = parseTemplate(value);
    templateCache.set(value, t);
  }
  switch (t.kind) {
    case "literal":
      return t.text;
    case "expression":
      return evaluateExpr(t.expr, scope);
    case "interpolation": {
      const text = t.parts.map((p) => (typeof p === "string" ? p : interpolationText(evaluateExpr(p, scope)))).join("");
      // Interpolation builds one string as concat() does; held to the same limit (see RUN_LIMITS).
      if (text.length > RUN_LIMITS.expressionResultCharacters)
        throw new ExpressionError(LIMIT_MESSAGES.expressionResult("The interpolated string", text.length));
      return text;
    }
  }
}

/** Evaluates every string inside a JSON value (action inputs), keeping the shape. */
export function evaluateValue(v: unknown, scope: EvaluationScope): unknown {
  if (typeof v === "string") return evaluateString(v, scope);
  if (Array.isArray(v)) return v.map((x) => evaluateValue(x, scope));
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = evaluateValue(x, scope);
    return out;
  }
  return v;
}
