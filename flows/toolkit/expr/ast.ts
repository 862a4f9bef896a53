/** The expression language of workflow definitions, as a syntax tree. */
export type Expr =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "null" }
  | { kind: "call"; name: string; args: Expr[] }
  /** `x['key']`, `x?['key']`, `x[0]`, `x.key`, `x?.key` */
  | { kind: "index"; target: Expr; key: Expr; safe: boolean };

/**
 * A JSON string value of a definition: plain text, one whole expression (`@…`), or text with
 * interpolated expressions (`…@{…}…`), which always yields a string.
 */
export type Template = { kind: "literal"; text: string } | { kind: "expression"; expr: Expr } | { kind: "interpolation"; parts: Array<string | Expr> };

export class ExpressionSyntaxError extends Error {
  constructor(
    readonly source: string,
    readonly position: number,
    problem: string,
  ) {
    super(`${problem} at position ${position} in "${source.length > 120 ? `${source.slice(0, 117)}...` : source}"`);
    this.name = "ExpressionSyntaxError";
  }
}
