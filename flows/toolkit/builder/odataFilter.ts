import { call, Ex, lit } from "../expr/build";
import { parseExpression } from "../expr/parser";
import type { Expr } from "../expr/ast";

/**
 * OData `$filter` text as a tree instead of spliced strings, the way fetchXml.ts builds FetchXML:
 * `odataFilter(and(eq("statecode", int(0)), eq("contactid", guid(triggerBody().get("contactid")))))`.
 * Every value goes through one of the value makers below, which write it as OData v4 literal syntax
 * at build time and, for a value known only at run time, as an expression that can only yield such
 * a literal (issue 15: "Every value spliced into FetchXML, OData or JSON goes through one escaping
 * builder"). The literal rules, from the OData v4.0 ABNF (docs.oasis-open.org/odata/odata/v4.0/
 * errata02/os/complete/abnf/odata-abnf-construction-rules.txt):
 *   string           = SQUOTE *( SQUOTE-in-string / pchar-no-SQUOTE ) SQUOTE
 *   SQUOTE-in-string = SQUOTE SQUOTE ; two consecutive single quotes represent one within a string literal
 *   guidValue        = 8HEXDIG "-" 4HEXDIG "-" 4HEXDIG "-" 4HEXDIG "-" 12HEXDIG   (no quotes)
 * and Microsoft's Dataverse page says the same for a single value: "replace the single quote character
 * with two consecutive single quote characters", else "There is an unterminated literal at position 21
 * in 'lastname eq 'O'Bryan''" (powerapps-docs developer/data-platform/webapi/query/filter-rows.md,
 * "Manage single quotes"). The lint rule `odata-filter` (lint/rules/odataFilter.ts) refuses a `$filter`
 * whose run-time parts are not exactly these makers' expressions.
 */

/** Literal OData text, or an expression made by one of the value makers (its kind says which). */
type Part = string | RuntimeValue;

export type RuntimeKind = "string" | "guid" | "int" | "dateTime" | "conditions";

export interface RuntimeValue {
  kind: RuntimeKind;
  ex: Ex;
}

/** A value to compare a column with. */
export interface ODataValue {
  odata: "value";
  parts: readonly Part[];
}

/** A boolean OData expression (a comparison, and/or/not of them). */
export interface ODataCondition {
  odata: "condition";
  parts: readonly Part[];
  /** Whether it is `a or b` / `a and b` at its top, so that a containing operator puts it in parentheses. */
  top?: "and" | "or";
}

/** The GUID a run-time value that is not a GUID becomes: it is no row's id, so `eq` finds nothing. */
export const NOT_A_GUID = "00000000-0000-0000-0000-000000000000";

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const PROPERTY = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)?$/;
const HEX_DIGITS = "0123456789abcdef";

// Run-time forms. Each takes the expression whose value is spliced and yields literal text only.

/** `replace(string(x), '''', '''''')`: the value with each ' doubled, to stand between two quotes. */
export function stringAtRunTime(x: Ex): Ex {
  return call("replace", call("string", x), "'", "''");
}

/**
 * The value when it is a GUID in 8-4-4-4-12 form, otherwise NOT_A_GUID. Workflow expressions have
 * no pattern match: the text is lower-cased, padded so that substring() never fails, its hyphens
 * must sit at 8, 13, 18 and 23, and with every hex digit removed only those four hyphens may remain.
 */
export function guidAtRunTime(x: Ex): Ex {
  const text = call("toLower", call("string", x));
  const padded = call("concat", text, " ".repeat(36));
  const hyphens = call("concat", ...[8, 13, 18, 23].map((at) => call("substring", padded, at, 1)));
  const withoutHex = [...HEX_DIGITS].reduce((t, d) => call("replace", t, d, ""), text);
  const isGuid = call("and", call("equals", call("length", text), 36), call("equals", hyphens, "----"), call("equals", withoutHex, "----"));
  return call("if", isGuid, text, NOT_A_GUID);
}

/** `int(x)`: an action whose value is not a whole number fails before it calls the service. */
export function intAtRunTime(x: Ex): Ex {
  return call("int", x);
}

/** An OData dateTimeOffset literal (UTC, round-trip form); a value that is no date fails the action. */
export function dateTimeAtRunTime(x: Ex): Ex {
  return call("formatDateTime", x, "o");
}

/** Conditions that a Select action built with odataFilter(), joined at run time. */
export function conditionsAtRunTime(selectAction: string, operator: "and" | "or"): Ex {
  return call("join", call("body", selectAction), ` ${operator} `);
}

const value = (...parts: Part[]): ODataValue => ({ odata: "value", parts });
const runtime = (kind: RuntimeKind, ex: Ex): RuntimeValue => ({ kind, ex });

/** A string literal: `'O''Brien'`. */
export function str(v: string | Ex): ODataValue {
  if (typeof v === "string") return value(`'${v.replace(/'/g, "''")}'`);
  return value("'", runtime("string", stringAtRunTime(v)), "'");
}

/** A GUID literal (no quotes); a literal that is no GUID is a build error. */
export function guid(v: string | Ex): ODataValue {
  if (typeof v === "string") {
    if (!GUID.test(v)) throw new Error(`odata guid(): '${v}' is not a GUID`);
    return value(v.toLowerCase());
  }
  return value(runtime("guid", guidAtRunTime(v)));
}

/** A whole number; a literal that is not one is a build error. */
export function int(v: number | Ex): ODataValue {
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) throw new Error(`odata int(): ${v} is not a whole number`);
    return value(String(v));
  }
  return value(runtime("int", intAtRunTime(v)));
}

export const bool = (v: boolean): ODataValue => value(v ? "true" : "false");

export const NULL: ODataValue = value("null");

/** A date and time known at run time (e.g. `addDays(utcNow(), -30)`). */
export const dateTime = (v: Ex): ODataValue => value(runtime("dateTime", dateTimeAtRunTime(v)));

function property(name: string): string {
  if (!PROPERTY.test(name)) throw new Error(`odata: '${name}' is not a property name`);
  return name;
}

const comparison =
  (op: "eq" | "ne" | "gt" | "ge" | "lt" | "le") =>
  (column: string, v: ODataValue): ODataCondition => ({ odata: "condition", parts: [`${property(column)} ${op} `, ...v.parts] });

export const eq = comparison("eq");
export const ne = comparison("ne");
export const gt = comparison("gt");
export const ge = comparison("ge");
export const lt = comparison("lt");
export const le = comparison("le");

function joined(operator: "and" | "or", conditions: readonly ODataCondition[]): ODataCondition {
  const [only] = conditions;
  if (conditions.length === 0) throw new Error(`odata ${operator}(): no conditions`);
  if (conditions.length === 1 && only) return only;
  const parts: Part[] = [];
  conditions.forEach((c, i) => {
    if (i > 0) parts.push(` ${operator} `);
    const wrap = c.top !== undefined && c.top !== operator;
    parts.push(...(wrap ? ["(", ...c.parts, ")"] : c.parts));
  });
  return { odata: "condition", parts, top: operator };
}

export const and = (...conditions: ODataCondition[]): ODataCondition => joined("and", conditions);
export const or = (...conditions: ODataCondition[]): ODataCondition => joined("or", conditions);
export const not = (c: ODataCondition): ODataCondition => ({ odata: "condition", parts: ["not (", ...c.parts, ")"] });

/**
 * The conditions a Select action (named `selectAction`) made from an array, each with
 * odataFilter(), joined with `operator` at run time: e.g. one `id eq <guid>` per id to read.
 */
export function each(selectAction: string, operator: "and" | "or"): ODataCondition {
  return { odata: "condition", parts: ["(", runtime("conditions", conditionsAtRunTime(selectAction, operator)), ")"], top: operator };
}

function merged(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (typeof p === "string" && typeof prev === "string") out[out.length - 1] = prev + p;
    else if (p !== "") out.push(p);
  }
  return out;
}

/** As a field value (`$filter` of List rows, a Select's map): the text, with `@{…}` where run-time values go. */
export function odataFilter(c: ODataCondition): string {
  const text = merged(c.parts)
    .map((p) => (typeof p === "string" ? p.replace(/@\{/g, "@@{") : `@{${p.ex.toString()}}`))
    .join("");
  // A property name starts every condition, so the text never starts with a literal "@".
  return text;
}

/** As an expression (for use inside other expressions): the text, or `concat(…)` of its parts. */
export function odataFilterExpression(c: ODataCondition): Ex {
  const parts = merged(c.parts).map((p) => (typeof p === "string" ? p : p.ex));
  const [only] = parts;
  if (parts.length === 1 && only !== undefined) return typeof only === "string" ? lit(only) : only;
  return call("concat", ...parts);
}

/**
 * Which value maker wrote this run-time expression, if one did: the expression must be exactly what
 * the maker writes for its argument (found where the maker puts it), so that nothing else can pass.
 * `conditions` is returned with the Select action it joins.
 */
export function runtimeKindOf(e: Expr): { kind: RuntimeKind; selectAction?: string } | undefined {
  const printed = new Ex(e).toString();
  const same = (made: Ex): boolean => made.toString() === printed;
  if (e.kind !== "call") return undefined;
  const [first, second] = e.args;
  const inner = (x: Expr | undefined): Ex | undefined => (x?.kind === "call" && x.args[0] ? new Ex(x.args[0]) : undefined);
  if (e.name === "replace") {
    const x = inner(first);
    if (x && same(stringAtRunTime(x))) return { kind: "string" };
  }
  if (e.name === "if") {
    const x = inner(inner(second)?.expr);
    if (x && same(guidAtRunTime(x))) return { kind: "guid" };
  }
  if (e.name === "int" && first && same(intAtRunTime(new Ex(first)))) return { kind: "int" };
  if (e.name === "formatDateTime" && first && same(dateTimeAtRunTime(new Ex(first)))) return { kind: "dateTime" };
  if (e.name === "join" && first?.kind === "call" && first.name === "body" && first.args[0]?.kind === "string") {
    const action = first.args[0].value;
    if (same(conditionsAtRunTime(action, "or"))) return { kind: "conditions", selectAction: action };
    if (same(conditionsAtRunTime(action, "and"))) return { kind: "conditions", selectAction: action };
  }
  return undefined;
}

/** runtimeKindOf() for expression text (as it stands inside `@{…}`). */
export const runtimeKindOfText = (text: string): ReturnType<typeof runtimeKindOf> => runtimeKindOf(parseExpression(text));

/** The same as odataFilter() and odataFilterExpression(), for `import * as odata`: `odata.filter(odata.eq(…))`. */
export const filter = odataFilter;
export const expression = odataFilterExpression;
