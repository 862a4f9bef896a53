import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";

/**
 * A small XML tree that the writers build and xmlbuilder2 serializes (and escapes). Writing the
 * tree as data keeps element order explicit, which matters because the importer reads
 * customizations.xml against ordered sequences.
 */
export interface XNode {
  name: string;
  attrs?: Record<string, string | number | undefined>;
  children?: XNode[];
  text?: string;
}

type Child = XNode | undefined | false | null | Child[];

/** An element: attributes (undefined ones are left out), then children or a text value. */
export function el(name: string, attrs?: XNode["attrs"], ...children: Child[]): XNode {
  const flat: XNode[] = [];
  const push = (c: Child): void => {
    if (Array.isArray(c)) c.forEach(push);
    else if (c) flat.push(c);
  };
  children.forEach(push);
  return { name, attrs, children: flat };
}

/** An element holding only text (numbers and booleans written as Dataverse does: 1/0). */
export function tx(name: string, value: string | number | boolean, attrs?: XNode["attrs"]): XNode {
  const text = typeof value === "boolean" ? (value ? "1" : "0") : String(value);
  return { name, attrs, text };
}

function append(parent: XMLBuilder, node: XNode): void {
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(node.attrs ?? {})) if (v !== undefined) attrs[k] = String(v);
  const e = parent.ele(node.name, attrs);
  if (node.text !== undefined && node.text !== "") e.txt(node.text);
  for (const c of node.children ?? []) append(e, c);
}

/**
 * The exported style of solution.xml and customizations.xml: no XML declaration, no BOM,
 * two-space indent, CRLF line endings.
 */
export function toExportXml(root: XNode): string {
  const doc = create();
  append(doc, root);
  return doc.end({ headless: true, prettyPrint: true, indent: "  ", newline: "\r\n" });
}

/** Compact XML with a declaration (used for [Content_Types].xml, which exports write on one line). */
export function toCompactXml(root: XNode): string {
  const doc = create({ version: "1.0", encoding: "utf-8" });
  append(doc, root);
  return doc.end({ prettyPrint: false });
}
