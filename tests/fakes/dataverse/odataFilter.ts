import { badRequest } from "./errors";
import { GUID, compareValues, valuesEqual, type FieldValue } from "./values";

/**
 * The `$filter` subset the flows use: comparisons, and/or/not, parentheses, literals (null, booleans,
 * numbers, quoted strings with '' escapes, GUIDs, dates), contains/startswith/endswith and
 * Microsoft.Dynamics.CRM.In / NotIn. Property paths may go through one single-valued navigation
 * property (`parentcustomerid_account/name`).
 */

/** How a literal was written: a GUID and a quoted string both become text, but Dataverse types them apart. */
export type LiteralType = "string" | "guid" | "number" | "bool" | "null" | "date";
export type Operand = { kind: "property"; path: string[] } | { kind: "literal"; value: FieldValue; type: LiteralType };
export type ComparisonOp = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
export type StringFunction = "contains" | "startswith" | "endswith";

export type FilterExpr =
  | { kind: "and" | "or"; left: FilterExpr; right: FilterExpr }
  | { kind: "not"; expr: FilterExpr }
  | { kind: "compare"; op: ComparisonOp; left: Operand; right: Operand }
  | { kind: "function"; name: StringFunction; args: [Operand, Operand] }
  | { kind: "in"; property: string[]; values: string[]; negate: boolean };

type Token = { kind: "punct"; text: "(" | ")" | "," | "[" | "]" | "=" } | { kind: "string"; text: string } | { kind: "word"; text: string };

const COMPARISONS = new Set<string>(["eq", "ne", "gt", "ge", "lt", "le"]);
const FUNCTIONS = new Set<string>(["contains", "startswith", "endswith"]);
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "(" || ch === ")" || ch === "," || ch === "[" || ch === "]" || ch === "=") {
      tokens.push({ kind: "punct", text: ch });
      i++;
    } else if (ch === "'") {
      let value = "";
      i++;
      for (;;) {
        // A lone quote inside a value ends the literal early; the quote that closed nothing then runs
        // to the end: "There is an unterminated string literal at position 17 in 'region eq 'filter'."
        // (Microsoft.OData's ExpressionLexer, quoted in Azure/data-api-builder#2674 and
        // azzlack/Microsoft.AspNet.OData.Extensions.ODataQueryMapper#1).
        if (i >= text.length) throw badRequest(`There is an unterminated string literal at position ${text.length} in '${text}'.`);
        if (text.charAt(i) === "'") {
          if (text.charAt(i + 1) === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text.charAt(i++);
      }
      tokens.push({ kind: "string", text: value });
    } else {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_.\-:+/@$]/.test(text.charAt(i))) i++;
      if (i === start) throw badRequest(`Syntax error at position ${i} in $filter '${text}'.`);
      // A word directly followed by a quote is read as a type-prefixed literal (binary'…'); the flows
      // write none, and what the rest of an unescaped value makes of it is refused in Microsoft's words
      // for `lastname eq 'O'Bryan'`: "There is an unterminated literal at position 21 in
      // 'lastname eq 'O'Bryan''." (powerapps-docs developer/data-platform/webapi/query/filter-rows.md,
      // "Manage single quotes"; position: the last character, as there).
      if (text.charAt(i) === "'") throw badRequest(`There is an unterminated literal at position ${text.length - 1} in '${text}'.`);
      tokens.push({ kind: "word", text: text.slice(start, i) });
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): FilterExpr {
    const expr = this.or();
    if (this.pos < this.tokens.length) this.fail("unexpected input");
    return expr;
  }

  private fail(what: string): never {
    const at = this.tokens[this.pos];
    throw badRequest(`Syntax error: ${what}${at ? ` at '${at.text}'` : " at end"} in $filter '${this.source}'.`);
  }

  private peekWord(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.kind === "word" ? t.text : undefined;
  }

  private expectPunct(text: string): void {
    const t = this.tokens[this.pos];
    if (t?.kind !== "punct" || t.text !== text) this.fail(`expected '${text}'`);
    this.pos++;
  }

  private isPunct(text: string): boolean {
    const t = this.tokens[this.pos];
    return t?.kind === "punct" && t.text === text;
  }

  private or(): FilterExpr {
    let left = this.and();
    while (this.peekWord() === "or") {
      this.pos++;
      left = { kind: "or", left, right: this.and() };
    }
    return left;
  }

  private and(): FilterExpr {
    let left = this.unary();
    while (this.peekWord() === "and") {
      this.pos++;
      left = { kind: "and", left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterExpr {
    if (this.peekWord() === "not") {
      this.pos++;
      return { kind: "not", expr: this.unary() };
    }
    if (this.isPunct("(")) {
      this.pos++;
      const inner = this.or();
      this.expectPunct(")");
      return inner;
    }
    const word = this.peekWord();
    if (word && FUNCTIONS.has(word)) return this.stringFunction(word as StringFunction);
    if (word === "Microsoft.Dynamics.CRM.In" || word === "Microsoft.Dynamics.CRM.NotIn") return this.inFunction(word.endsWith("NotIn"));
    if (word?.startsWith("Microsoft.Dynamics.CRM.")) this.fail(`the query function ${word} is not supported by the fake`);
    const left = this.operand();
    const op = this.peekWord();
    if (!op || !COMPARISONS.has(op)) this.fail("expected a comparison operator");
    this.pos++;
    return { kind: "compare", op: op as ComparisonOp, left, right: this.operand() };
  }

  private stringFunction(name: StringFunction): FilterExpr {
    this.pos++;
    this.expectPunct("(");
    const a = this.operand();
    this.expectPunct(",");
    const b = this.operand();
    this.expectPunct(")");
    return { kind: "function", name, args: [a, b] };
  }

  /** Microsoft.Dynamics.CRM.In(PropertyName='x',PropertyValues=['a','b']) */
  private inFunction(negate: boolean): FilterExpr {
    this.pos++;
    this.expectPunct("(");
    let property: string[] | undefined;
    let values: string[] | undefined;
    for (;;) {
      const name = this.peekWord();
      this.pos++;
      this.expectPunct("=");
      if (name === "PropertyName") {
        const t = this.tokens[this.pos++];
        if (t?.kind !== "string") this.fail("PropertyName must be a string");
        property = t.text.split("/");
      } else if (name === "PropertyValues") {
        this.expectPunct("[");
        values = [];
        while (!this.isPunct("]")) {
          const t = this.tokens[this.pos++];
          if (t?.kind !== "string") this.fail("PropertyValues must be strings");
          values.push(t.text);
          if (this.isPunct(",")) this.pos++;
        }
        this.pos++;
      } else {
        this.fail("expected PropertyName or PropertyValues");
      }
      if (this.isPunct(",")) {
        this.pos++;
        continue;
      }
      break;
    }
    this.expectPunct(")");
    if (!property || !values) this.fail("In needs PropertyName and PropertyValues");
    return { kind: "in", property, values, negate };
  }

  private operand(): Operand {
    const t = this.tokens[this.pos];
    if (!t) this.fail("expected a value");
    if (t.kind === "string") {
      this.pos++;
      return { kind: "literal", value: t.text, type: "string" };
    }
    if (t.kind !== "word") this.fail("expected a value");
    this.pos++;
    const w = t.text;
    if (w === "null") return { kind: "literal", value: null, type: "null" };
    if (w === "true" || w === "false") return { kind: "literal", value: w === "true", type: "bool" };
    if (GUID.test(w)) return { kind: "literal", value: w.toLowerCase(), type: "guid" };
    if (DATE.test(w)) return { kind: "literal", value: w, type: "date" };
    if (NUMBER.test(w)) return { kind: "literal", value: Number(w.replace(/[mMdDfFlL]$/, "")), type: "number" };
    if (/^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)?$/.test(w)) return { kind: "property", path: w.split("/") };
    this.fail(`unrecognised token '${w}'`);
  }
}

export function parseFilter(text: string): FilterExpr {
  return new Parser(tokenize(text), text).parse();
}

/** Every property path the expression reads, for validation against metadata before evaluation. */
export function filterProperties(expr: FilterExpr): string[][] {
  switch (expr.kind) {
    case "and":
    case "or":
      return [...filterProperties(expr.left), ...filterProperties(expr.right)];
    case "not":
      return filterProperties(expr.expr);
    case "compare":
      return [expr.left, expr.right].flatMap((o) => (o.kind === "property" ? [o.path] : []));
    case "function":
      return expr.args.flatMap((o) => (o.kind === "property" ? [o.path] : []));
    case "in":
      return [expr.property];
  }
}

export type PropertyResolver = (path: string[]) => FieldValue;

export function evaluateFilter(expr: FilterExpr, resolve: PropertyResolver): boolean {
  const value = (o: Operand): FieldValue => (o.kind === "literal" ? o.value : resolve(o.path));
  switch (expr.kind) {
    case "and":
      return evaluateFilter(expr.left, resolve) && evaluateFilter(expr.right, resolve);
    case "or":
      return evaluateFilter(expr.left, resolve) || evaluateFilter(expr.right, resolve);
    case "not":
      return !evaluateFilter(expr.expr, resolve);
    case "compare": {
      const a = value(expr.left);
      const b = value(expr.right);
      if (expr.op === "eq") return valuesEqual(a, b);
      if (expr.op === "ne") return !valuesEqual(a, b);
      const order = compareValues(a, b);
      if (order === undefined) return false;
      return { gt: order > 0, ge: order >= 0, lt: order < 0, le: order <= 0 }[expr.op];
    }
    case "function": {
      const [a, b] = expr.args.map(value);
      if (a === null || a === undefined || b === null || b === undefined) return false;
      const hay = String(a).toLowerCase();
      const needle = String(b).toLowerCase();
      if (expr.name === "contains") return hay.includes(needle);
      if (expr.name === "startswith") return hay.startsWith(needle);
      return hay.endsWith(needle);
    }
    case "in": {
      const v = resolve(expr.property);
      const found = expr.values.some((candidate) => valuesEqual(v, candidate));
      return expr.negate ? !found : found;
    }
  }
}

/** Every comparison of a property with a literal, for type checks against metadata. */
export function comparisons(expr: FilterExpr): Array<{ path: string[]; literal: LiteralType; op: ComparisonOp }> {
  switch (expr.kind) {
    case "and":
    case "or":
      return [...comparisons(expr.left), ...comparisons(expr.right)];
    case "not":
      return comparisons(expr.expr);
    case "compare": {
      const [p, l] = expr.left.kind === "property" ? [expr.left, expr.right] : [expr.right, expr.left];
      return p.kind === "property" && l.kind === "literal" ? [{ path: p.path, literal: l.type, op: expr.op }] : [];
    }
    default:
      return [];
  }
}
