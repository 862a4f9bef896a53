import { call, Ex, lit } from "../expr/build";

/**
 * FetchXML as a tree instead of spliced strings: `fetch(entity("contact", attribute("contactid"),
 * filter(condition("statecode", "eq", 0))))`. Literal values are XML-escaped; a flow expression can
 * stand for a value (`condition("listid", "eq", items("Each_list"))`) or for a whole piece of
 * FetchXML computed at run time (`embed(join(body("Conditions"), ""))`).
 *
 * The tree renders as a field value (`fetchXml`, text with `@{…}` where expressions go, for
 * "List rows" and Compose) or as an expression (`fetchXmlExpression`, a `concat(…)`, for use inside
 * other expressions). Attributes are written in the order FetchXML documentation writes them.
 * `fetch` is named after the root element; a module that imports it does not need the global fetch.
 */

/** Literal text and run-time expressions, concatenated (e.g. a like pattern around an id). */
export interface TextParts {
  kind: "text";
  parts: ReadonlyArray<string | number | Ex>;
}

/** A value of an XML attribute: literal (escaped), a run-time expression (inserted as it evaluates), or both. */
export type FetchValue = string | number | Ex | TextParts;

export interface FetchElement {
  kind: "element";
  name: string;
  attributes: ReadonlyArray<readonly [string, FetchValue | undefined]>;
  children: readonly FetchNode[];
  /** Text content (only `<value>` has it). */
  content?: FetchValue;
}

/** FetchXML text that a flow expression computes at run time, inserted as it is. */
export interface Embedded {
  kind: "embedded";
  xml: Ex;
}

export type FetchNode = FetchElement | Embedded;

export const text = (...parts: Array<string | number | Ex>): TextParts => ({ kind: "text", parts });

/** Inserts the FetchXML that `xml` yields at run time (it must be well-formed and escaped). */
export const embed = (xml: Ex): Embedded => ({ kind: "embedded", xml });

const element = (name: string, attributes: FetchElement["attributes"], children: readonly FetchNode[] = []): FetchElement => ({
  kind: "element",
  name,
  attributes,
  children,
});

const isNode = (x: unknown): x is FetchNode => typeof x === "object" && x !== null && "kind" in x && (x.kind === "element" || x.kind === "embedded");

export interface FetchOptions {
  distinct?: boolean;
  top?: number;
}

export function fetch(options: FetchOptions, ...children: FetchNode[]): FetchElement;
export function fetch(...children: FetchNode[]): FetchElement;
export function fetch(...args: Array<FetchOptions | FetchNode>): FetchElement {
  const [o, children] = optionsFirst<FetchOptions>(args);
  return element(
    "fetch",
    [
      ["distinct", o.distinct === undefined ? undefined : String(o.distinct)],
      ["top", o.top],
    ],
    children,
  );
}

export const entity = (name: string, ...children: FetchNode[]): FetchElement => element("entity", [["name", name]], children);

/** A column; its name may be computed at run time (escaped as any value is). */
export const attribute = (name: FetchValue): FetchElement => element("attribute", [["name", name]]);

export const attributes = (names: readonly string[]): FetchElement[] => names.map((n) => attribute(n));

export const order = (attributeName: string, descending = false): FetchElement =>
  element("order", [
    ["attribute", attributeName],
    ["descending", descending ? "true" : undefined],
  ]);

export function filter(options: { type: "and" | "or" }, ...children: FetchNode[]): FetchElement;
export function filter(...children: FetchNode[]): FetchElement;
export function filter(...args: Array<{ type: "and" | "or" } | FetchNode>): FetchElement {
  const [o, children] = optionsFirst<{ type?: "and" | "or" }>(args);
  return element("filter", [["type", o.type]], children);
}

/** The condition operators the flows use; FetchXML has more (add them here when needed). */
export type ConditionOperator =
  "eq" | "ne" | "gt" | "ge" | "lt" | "le" | "like" | "not-like" | "begins-with" | "ends-with" | "null" | "not-null" | "eq-userid" | "under" | "above";

export function condition(attributeName: FetchValue, operator: "null" | "not-null" | "eq-userid"): FetchElement;
export function condition(attributeName: string, operator: "in" | "not-in", ...values: FetchNode[]): FetchElement;
export function condition(attributeName: string, operator: ConditionOperator, value: FetchValue): FetchElement;
export function condition(attributeName: FetchValue, operator: ConditionOperator | "in" | "not-in", ...rest: Array<FetchValue | FetchNode>): FetchElement {
  const head: FetchElement["attributes"] = [
    ["attribute", attributeName],
    ["operator", operator],
  ];
  // "in" lists its values as <value> children (or FetchXML computed at run time that yields them).
  if (operator === "in" || operator === "not-in") return element("condition", head, rest as FetchNode[]);
  return element("condition", [...head, ["value", rest[0] as FetchValue | undefined]]);
}

/** One value of an `in` condition: `<value>…</value>`. */
export const value = (v: FetchValue): FetchElement => ({ ...element("value", []), content: v });

export interface LinkOptions {
  name: string;
  from: string;
  to: string;
  type?: "inner" | "outer";
  alias?: string;
}

export const linkEntity = (o: LinkOptions, ...children: FetchNode[]): FetchElement =>
  element(
    "link-entity",
    [
      ["name", o.name],
      ["from", o.from],
      ["to", o.to],
      ["link-type", o.type],
      ["alias", o.alias],
    ],
    children,
  );

function optionsFirst<O extends object>(args: ReadonlyArray<O | FetchNode>): [O, FetchNode[]] {
  const [head, ...rest] = args;
  if (head === undefined || isNode(head)) return [{} as O, args as FetchNode[]];
  return [head, rest as FetchNode[]];
}

// Rendering: a list of literal text and expressions, adjacent literals merged.

type Part = string | Ex;

const escapeXml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

// A value an expression yields at run time is escaped at run time too: whatever a user typed into a
// column (a checklist id, an e-mail address) stays one attribute value and never becomes markup
// (issue 15, item 5). Only embed() inserts run-time text as FetchXML, and that text is built here.
function valueParts(v: FetchValue): Part[] {
  if (typeof v === "string") return [escapeXml(v)];
  if (typeof v === "number") return [String(v)];
  if (v instanceof Ex) return [escapedAtRunTime(v)];
  return v.parts.map((p) => (typeof p === "string" ? escapeXml(p) : typeof p === "number" ? String(p) : escapedAtRunTime(p)));
}

function openTag(e: FetchElement, selfClosing: boolean): Part[] {
  const out: Part[] = [`<${e.name}`];
  for (const [name, v] of e.attributes) if (v !== undefined) out.push(` ${name}="`, ...valueParts(v), `"`);
  out.push(selfClosing ? "/>" : ">");
  return out;
}

function nodeParts(n: FetchNode): Part[] {
  if (n.kind === "embedded") return [n.xml];
  if (n.content !== undefined) return [...openTag(n, false), ...valueParts(n.content), `</${n.name}>`];
  if (n.children.length === 0) return openTag(n, true);
  return [...openTag(n, false), ...n.children.flatMap(nodeParts), `</${n.name}>`];
}

function merged(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (typeof p === "string" && typeof prev === "string") out[out.length - 1] = prev + p;
    else if (p !== "") out.push(p);
  }
  return out;
}

const partsOf = (nodes: readonly FetchNode[]): Part[] => merged(nodes.flatMap(nodeParts));

/** As a field value: the XML text, with `@{…}` where run-time expressions go. */
export function fetchXml(...nodes: FetchNode[]): string {
  // Every node renders as a tag or an expression, so the text never starts with a literal "@".
  return partsOf(nodes)
    .map((p) => (typeof p === "string" ? p.replace(/@\{/g, "@@{") : `@{${p.toString()}}`))
    .join("");
}

const asExpression = (parts: Part[]): Ex => {
  const [only] = parts;
  if (parts.length === 1 && only !== undefined) return typeof only === "string" ? lit(only) : only;
  return parts.length === 0 ? lit("") : call("concat", ...parts);
};

/** As an expression (for use inside other expressions): the text, or `concat(…)` of its parts. */
export const fetchXmlExpression = (...nodes: FetchNode[]): Ex => asExpression(partsOf(nodes));

/** The text FetchXML opens an element with, e.g. `<entity name="lead">`, to find it in a query. */
export const startTag = (e: FetchElement): string => merged(openTag({ ...e, children: [] }, false)).join("");

/**
 * Adds `children` at the start of the query's `entity` element (the query is FetchXML text read
 * at run time, e.g. a dynamic marketing list's): `replace(query, '<entity name="lead">', '<entity
 * name="lead">…children…')`. The query must open the entity exactly so, as Dataverse writes it.
 */
export function prependToEntity(query: Ex, entityName: string, ...children: FetchNode[]): Ex {
  const tag = startTag(entity(entityName));
  return call("replace", query, tag, asExpression(merged([tag, ...children.flatMap(nodeParts)])));
}

/**
 * Puts a query's root entity under a new root: the query's `<entity name="<from>">…</entity>`
 * becomes `<entity name="<root>">…root's children…<link-entity …>…link's children…` followed by
 * the old entity's content, closed as `</link-entity></entity>`. For a query on accounts that
 * should return their primary contacts, with the query's own conditions kept on the accounts.
 */
export function underNewRoot(query: Ex, from: string, root: FetchElement, link: FetchElement): Ex {
  const opening = merged([...openTag(root, false), ...root.children.flatMap(nodeParts), ...openTag(link, false), ...link.children.flatMap(nodeParts)]);
  const rerooted = call("replace", query, startTag(entity(from)), asExpression(opening));
  return call("replace", rerooted, `</entity></fetch>`, `</${link.name}></entity></fetch>`);
}

/**
 * Run-time XML escaping of the text an expression yields (as string() writes it), for an attribute
 * value in double quotes or element content: & < > " and ' (the last so that the text stays one
 * value also where a query quotes with ').
 */
export function escapedAtRunTime(value: Ex): Ex {
  // Escaping twice turns o'brien into o&amp;apos;brien, a value nobody has: refuse it where it is built.
  const e = value.expr;
  if (
    e.kind === "call" &&
    e.name === "replace" &&
    e.args[1]?.kind === "string" &&
    e.args[1].value === "'" &&
    e.args[2]?.kind === "string" &&
    e.args[2].value === "&apos;"
  )
    throw new Error("fetchXml: this value is escaped already; pass it unescaped, the builder escapes every value once");
  const asText = value.expr.kind === "call" && value.expr.name === "string" ? value : call("string", value);
  const steps: Array<[string, string]> = [
    ["&", "&amp;"],
    ["<", "&lt;"],
    [">", "&gt;"],
    ['"', "&quot;"],
    ["'", "&apos;"],
  ];
  return steps.reduce((text, [from, to]) => call("replace", text, from, to), asText);
}

/**
 * A stored query (a dynamic marketing list's) read as XML whatever its quoting and white space:
 * `<entity name='contact' >` is as valid FetchXML as `<entity name="contact">`, and a text
 * replace of the one form leaves the other unfiltered (issue 15, item 6). `text` is the query with
 * its root entity's start tag written as startTag() writes it and its end as `</entity></fetch>`,
 * so that prependToEntity() and underNewRoot() find them; `readable` is true only when that text
 * is the query itself: exactly one root entity, of `entityName` (read with xpath() from the parsed
 * query), whose start tag is the first "<entity" in the text, ends at the first ">" after it and is
 * well-formed on its own, no comment, CDATA or processing instruction that could hide an
 * "<entity", and nothing but "</fetch>" after the last "</entity>". A query that is not XML at all
 * fails xml(), and with it the action. `text` is only meant for use when `readable` is true.
 */
export function rootEntityOf(query: Ex, entityName: string): { text: Ex; readable: Ex } {
  const at = call("max", call("indexOf", query, "<entity"), 0);
  const tagLength = call("add", call("max", call("indexOf", call("substring", query, at), ">"), 0), 1);
  const tag = call("substring", query, at, tagLength);
  const afterTag = call("min", call("add", at, tagLength), call("length", query));
  const endAt = call("max", call("lastIndexOf", query, "</entity>"), afterTag);
  const parsed = call("xml", query);
  // Without an "<entity" the text at 0 is no start tag; a harmless one keeps xml() from failing.
  const tagToCheck = call("if", call("greater", call("indexOf", query, "<entity"), 0), call("replace", tag, "/>", ">"), '<entity name="">');
  const canonical = startTag(entity(entityName));
  const text = call(
    "concat",
    call("substring", query, 0, at),
    canonical,
    call("substring", query, afterTag, call("sub", endAt, afterTag)),
    "</entity></fetch>",
  );
  const readable = call(
    "and",
    call("not", call("contains", query, "<!")),
    call("not", call("contains", query, "<?")),
    call("greater", call("indexOf", query, "<entity"), 0),
    call("equals", call("xpath", parsed, "string(count(/fetch/entity))"), "1"),
    call("equals", call("xpath", parsed, "string(/fetch/entity/@name)"), entityName),
    call("equals", call("xpath", call("xml", call("concat", tagToCheck, "</entity>")), "string(/entity/@name)"), entityName),
    call("equals", call("trim", call("substring", query, call("min", call("add", endAt, "</entity>".length), call("length", query)))), "</fetch>"),
  );
  return { text, readable };
}

/**
 * A stored query narrowed by `children` put at the start of its root entity, read as XML
 * (rootEntityOf); a query that cannot be read so becomes one that selects nobody, so that an
 * unreadable query never selects more than it says.
 */
export function narrowedStoredQuery(query: Ex, entityName: string, ...children: FetchNode[]): Ex {
  const root = rootEntityOf(query, entityName);
  const nobody = fetchXmlExpression(fetch(entity(entityName, filter(condition(`${entityName}id`, "null")))));
  return call("if", root.readable, prependToEntity(root.text, entityName, ...children), nobody);
}

/** A list's stored query as text, `<fetch/>` (no entity: not readable) when there is none. */
export const storedQuery = (list: Ex): Ex => call("coalesce", list.get("query"), NO_STORED_QUERY);

/** A query with no entity: read by rootEntityOf() as not readable, and never used. */
export const NO_STORED_QUERY = "<fetch/>";
