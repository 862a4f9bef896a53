import type { Expr } from "./ast";
import { printExpression } from "./print";

/** A value an expression helper accepts: another expression or a JSON literal. */
export type Arg = Ex | string | number | boolean | null;

function toExpr(a: Arg): Expr {
  if (a instanceof Ex) return a.expr;
  if (a === null) return { kind: "null" };
  if (typeof a === "string") return { kind: "string", value: a };
  if (typeof a === "number") return { kind: "number", value: a };
  return { kind: "bool", value: a };
}

/**
 * An expression under construction. Flows are written with these helpers instead of hand-typed
 * strings, so names and quoting cannot go wrong; the result is rendered as `@…` or `@{…}`.
 */
export class Ex {
  constructor(readonly expr: Expr) {}

  /** Null-safe property access `x?['key']` (the form the designer writes). */
  get(key: string | number | Ex): Ex {
    return new Ex({ kind: "index", target: this.expr, key: toExpr(key), safe: true });
  }

  /** Strict property access `x['key']`: fails the action when the property is missing. */
  strict(key: string | number | Ex): Ex {
    return new Ex({ kind: "index", target: this.expr, key: toExpr(key), safe: false });
  }

  /** The expression text without the leading `@`. */
  toString(): string {
    return printExpression(this.expr);
  }

  /** The JSON string value `@expr` that makes a definition field evaluate this expression. */
  get value(): string {
    return `@${this.toString()}`;
  }
}

/** A call of any workflow function: `call("concat", a, b)`. */
export function call(name: string, ...args: Arg[]): Ex {
  return new Ex({ kind: "call", name, args: args.map(toExpr) });
}

export const lit = (a: Arg): Ex => new Ex(toExpr(a));

/** A string with interpolated expressions: tpl`Group ${x}` → "Group @{x}". */
export function tpl(strings: TemplateStringsArray, ...values: Ex[]): string {
  // A literal "@" is only special at the very start or right before "{".
  if (strings[0]?.startsWith("@")) throw new Error("a template may not start with a literal @");
  let out = "";
  strings.forEach((s, i) => {
    out += s.replace(/@\{/g, "@@{");
    const v = values[i];
    if (v) out += `@{${v.toString()}}`;
  });
  return out;
}

// The run-context functions, named so that a typo is a compile error rather than a lint finding.
export const body = (action: string): Ex => call("body", action);
export const outputs = (action: string): Ex => call("outputs", action);
export const actions = (action: string): Ex => call("actions", action);
export const items = (loop: string): Ex => call("items", loop);
export const item = (): Ex => call("item");
export const variables = (name: string): Ex => call("variables", name);
export const parameters = (name: string): Ex => call("parameters", name);
export const result = (scope: string): Ex => call("result", scope);
export const triggerOutputs = (): Ex => call("triggerOutputs");
export const triggerBody = (): Ex => call("triggerBody");
export const workflow = (): Ex => call("workflow");
