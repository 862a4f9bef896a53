import { ExpressionSyntaxError, type Expr, type Template } from "./ast";

/**
 * Parser for the workflow definition expression language: literals, function calls, property and
 * index access with the null-safe `?` form. Written from the language rules (a function name is an
 * identifier; strings use single quotes with '' as escape; `@@` at the start of a value is a
 * literal `@`).
 */
export function parseExpression(source: string): Expr {
  const p = new Parser(source);
  const e = p.expression();
  p.skipSpace();
  if (!p.atEnd()) p.fail(`unexpected "${source[p.pos]}"`);
  return e;
}

class Parser {
  pos = 0;
  constructor(readonly src: string) {}

  atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  fail(problem: string): never {
    throw new ExpressionSyntaxError(this.src, this.pos, problem);
  }

  skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.src[this.pos] ?? "")) this.pos++;
  }

  private peek(): string {
    return this.src[this.pos] ?? "";
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.peek() !== ch) this.fail(this.atEnd() ? `expected "${ch}" but the expression ended` : `expected "${ch}" but found "${this.peek()}"`);
    this.pos++;
  }

  expression(): Expr {
    this.skipSpace();
    let e = this.primary();
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      const safe = c === "?";
      const next = safe ? (this.src[this.pos + 1] ?? "") : c;
      if (next === "[") {
        this.pos += safe ? 2 : 1;
        const key = this.expression();
        this.expect("]");
        e = { kind: "index", target: e, key, safe };
      } else if (next === ".") {
        this.pos += safe ? 2 : 1;
        const name = this.identifier();
        e = { kind: "index", target: e, key: { kind: "string", value: name }, safe };
      } else {
        return e;
      }
    }
  }

  private identifier(): string {
    const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(this.src.slice(this.pos));
    if (!m) this.fail(this.atEnd() ? "expected a name but the expression ended" : `expected a name but found "${this.peek()}"`);
    this.pos += m[0].length;
    return m[0];
  }

  private primary(): Expr {
    const c = this.peek();
    if (c === "'") return this.stringLiteral();
    if (/[0-9]/.test(c) || (c === "-" && /[0-9.]/.test(this.src[this.pos + 1] ?? "")) || (c === "." && /[0-9]/.test(this.src[this.pos + 1] ?? ""))) {
      return this.numberLiteral();
    }
    if (/[A-Za-z_]/.test(c)) {
      const start = this.pos;
      const name = this.identifier();
      this.skipSpace();
      if (this.peek() === "(") {
        this.pos++;
        const args: Expr[] = [];
        this.skipSpace();
        if (this.peek() === ")") {
          this.pos++;
          return { kind: "call", name, args };
        }
        for (;;) {
          args.push(this.expression());
          this.skipSpace();
          if (this.peek() === ",") {
            this.pos++;
            continue;
          }
          this.expect(")");
          return { kind: "call", name, args };
        }
      }
      if (name === "true" || name === "false") return { kind: "bool", value: name === "true" };
      if (name === "null") return { kind: "null" };
      this.pos = start;
      this.fail(`"${name}" is not a function call (missing parentheses) or a literal`);
    }
    if (this.atEnd()) this.fail("the expression ended where a value was expected");
    this.fail(`unexpected "${c}"`);
  }

  private stringLiteral(): Expr {
    this.pos++;
    let value = "";
    for (;;) {
      if (this.atEnd()) this.fail("unterminated string literal");
      const c = this.src[this.pos] ?? "";
      if (c === "'") {
        if (this.src[this.pos + 1] === "'") {
          value += "'";
          this.pos += 2;
          continue;
        }
        this.pos++;
        return { kind: "string", value };
      }
      value += c;
      this.pos++;
    }
  }

  private numberLiteral(): Expr {
    const m = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(this.src.slice(this.pos));
    if (!m) this.fail("malformed number");
    this.pos += m[0].length;
    return { kind: "number", value: Number(m[0]) };
  }
}

/**
 * Reads a JSON string value of a definition. `@expr` is one expression; `@@…` a literal starting
 * with `@`; `…@{expr}…` interpolation (`@@{` stays literal). Anything else is plain text.
 */
export function parseTemplate(value: string): Template {
  if (value.startsWith("@@")) return { kind: "literal", text: value.slice(1) };
  if (value.startsWith("@") && !value.startsWith("@{")) return { kind: "expression", expr: parseExpression(value.slice(1)) };
  if (!value.includes("@{")) return { kind: "literal", text: value };
  const parts: Array<string | Expr> = [];
  let text = "";
  let i = 0;
  while (i < value.length) {
    if (value.startsWith("@@{", i)) {
      text += "@{";
      i += 3;
      continue;
    }
    if (value.startsWith("@{", i)) {
      const end = closingBrace(value, i + 2);
      if (end < 0) throw new ExpressionSyntaxError(value, i, "unterminated @{ … }");
      if (text) parts.push(text);
      text = "";
      parts.push(parseExpression(value.slice(i + 2, end)));
      i = end + 1;
      continue;
    }
    text += value[i];
    i++;
  }
  if (text) parts.push(text);
  return { kind: "interpolation", parts };
}

/** Index of the `}` closing an interpolation, skipping braces inside string literals. */
function closingBrace(s: string, from: number): number {
  let inString = false;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === "'" && s[i + 1] === "'") i++;
      else if (c === "'") inString = false;
    } else if (c === "'") inString = true;
    else if (c === "}") return i;
  }
  return -1;
}
