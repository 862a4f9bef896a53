import type { Expr } from "./ast";

/** Writes an expression back as text, the inverse of parseExpression. */
export function printExpression(e: Expr): string {
  switch (e.kind) {
    case "string":
      return `'${e.value.replace(/'/g, "''")}'`;
    case "number":
      return String(e.value);
    case "bool":
      return e.value ? "true" : "false";
    case "null":
      return "null";
    case "call":
      return `${e.name}(${e.args.map(printExpression).join(", ")})`;
    case "index":
      return `${printExpression(e.target)}${e.safe ? "?" : ""}[${printExpression(e.key)}]`;
  }
}

/** Every node of an expression, depth first. */
export function* nodes(e: Expr): Generator<Expr> {
  yield e;
  if (e.kind === "call") for (const a of e.args) yield* nodes(a);
  if (e.kind === "index") {
    yield* nodes(e.target);
    yield* nodes(e.key);
  }
}
