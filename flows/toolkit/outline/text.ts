import type { Json } from "../wdl";

const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The expression a definition field holds, as the designer shows it: `@expr` loses its `@`;
 * `@{…}` templates and plain values stay as written (a template mixes text and expressions).
 */
export function expressionText(v: Json | undefined): string {
  if (typeof v === "string") return v.startsWith("@") && !v.startsWith("@{") ? v.slice(1) : v;
  return JSON.stringify(v ?? null);
}

/** One operand of a condition object: an expression argument, or a `@{…}` template as written. */
function operandText(v: Json): string {
  if (typeof v !== "string") return JSON.stringify(v);
  if (v.startsWith("@{")) return v;
  return v.startsWith("@") ? v.slice(1) : `'${v.replace(/'/g, "''")}'`;
}

/**
 * An If action's condition (the designer's condition object, or an expression string) as one
 * expression. `equals(x, true)` reads as `x`, and an `and`/`or` of one item as that item, because
 * that is how a plain boolean condition is stored.
 */
export function conditionText(c: Json | undefined): string {
  if (typeof c === "string") return expressionText(c);
  if (isObject(c)) {
    const entries = Object.entries(c);
    const [op, args] = entries[0] ?? [];
    if (entries.length === 1 && op !== undefined && args !== undefined) {
      if (op === "not") return `not(${conditionText(Array.isArray(args) ? args[0] : args)})`;
      if (Array.isArray(args)) {
        if (op === "and" || op === "or") return args.length === 1 ? conditionText(args[0]) : `${op}(${args.map(conditionText).join(", ")})`;
        const [first, second] = args;
        if (op === "equals" && args.length === 2 && first !== undefined && second === true) return operandText(first);
        return `${op}(${args.map(operandText).join(", ")})`;
      }
    }
  }
  return JSON.stringify(c ?? null);
}

/** A Markdown code span that holds any text on one line (a line break is shown as `\n`). */
export function code(text: string): string {
  const oneLine = text.replace(/\r?\n/g, "\\n");
  const longestRun = Math.max(0, ...[...oneLine.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longestRun + 1);
  const pad = oneLine.startsWith("`") || oneLine.endsWith("`") ? " " : "";
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/** Text for a Markdown table cell: a pipe would end the cell, even inside a code span. */
export const tableCell = (text: string): string => text.replace(/\|/g, "\\|");

/** Text made of plain words and code (names, expressions), so Markdown and diagrams can each set it. */
export type Piece = string | { code: string };

export const markdown = (pieces: Piece[]): string => pieces.map((p) => (typeof p === "string" ? p : code(p.code))).join("");
export const plain = (pieces: Piece[]): string => pieces.map((p) => (typeof p === "string" ? p : p.code)).join("");

/** Cuts `text` to `max` characters, marking the cut. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Text inside a quoted Mermaid label. A quote would end the label, `#…;` is Mermaid's entity
 * syntax, and `<`, `>`, `&` and a leading backtick would be read as HTML or Markdown, so each is
 * written as an entity code; `#` first, so the codes themselves stay intact.
 */
export function mermaidText(text: string): string {
  return text
    .replace(/\r?\n/g, " ")
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/&/g, "#amp;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/`/g, "#96;");
}
