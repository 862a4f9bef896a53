import { XMLParser, XMLValidator } from "fast-xml-parser";
/** An element as read back from a file: attribute values are always text. */
export interface ParsedNode {
  name: string;
  attrs: Record<string, string>;
  children: ParsedNode[];
  text: string;
}

/** Well-formedness: undefined when `text` is well-formed XML, else the parser's message with line. */
export function xmlProblem(text: string): string | undefined {
  const result = XMLValidator.validate(text.replace(/^\uFEFF/, ""));
  return result === true ? undefined : `${result.err.msg} (line ${result.err.line})`;
}

type Ordered = Array<Record<string, unknown>>;

function toNode(entry: Record<string, unknown>): ParsedNode | undefined {
  const name = Object.keys(entry).find((k) => k !== ":@");
  if (!name || name.startsWith("?") || name === "#comment") return undefined;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries((entry[":@"] as Record<string, unknown> | undefined) ?? {})) attrs[k.replace(/^@_/, "")] = String(v);
  if (name === "#text") return { name, attrs: {}, children: [], text: String(entry[name]) };
  const raw = entry[name] as Ordered;
  const children: ParsedNode[] = [];
  let text = "";
  for (const c of raw) {
    const n = toNode(c);
    if (!n) continue;
    if (n.name === "#text") text += n.text ?? "";
    else children.push(n);
  }
  return { name, attrs, children, text };
}

/**
 * Parses XML into the same tree shape the writers use, keeping element order. Text is trimmed
 * unless `keepSpace` (a value such as an environment variable's default "CRM - " ends in a space).
 */
export function parseXml(text: string, keepSpace = false): ParsedNode {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: !keepSpace,
    processEntities: true,
  });
  const doc = parser.parse(text.replace(/^\uFEFF/, "")) as Ordered;
  for (const entry of doc) {
    const n = toNode(entry);
    if (n && n.name !== "#text") return n;
  }
  throw new Error("no root element");
}

/** Child elements named `name`. */
export const kids = (n: ParsedNode | undefined, name: string): ParsedNode[] => (n?.children ?? []).filter((c) => c.name === name);
/** The first child element named `name`. */
export const kid = (n: ParsedNode | undefined, name: string): ParsedNode | undefined => kids(n, name)[0];
/** Text of the first child named `name`. */
export const textOf = (n: ParsedNode | undefined, name: string): string | undefined => kid(n, name)?.text;

/** Every element below `n` (depth first), with the path of names leading to it. */
export function* walk(n: ParsedNode, path: string[] = []): Generator<{ node: ParsedNode; path: string[] }> {
  const here = [...path, n.name];
  yield { node: n, path: here };
  for (const c of n.children) yield* walk(c, here);
}
