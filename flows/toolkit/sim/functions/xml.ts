import { DOMParser, XMLSerializer, type Node as XmlNode } from "@xmldom/xmldom";
import * as xpathEngine from "xpath";
import { ExpressionFunctionError } from "./errors";
import { isObject, isXmlValue, typeName, xmlText, xmlValue } from "./values";

type Fn = (args: unknown[]) => unknown;

/**
 * xml() and xpath() as the function reference documents them (MicrosoftDocs/azure-docs,
 * articles/logic-apps/workflow-definition-language-functions-reference.md, "xml", "xpath").
 *
 * An XML value is kept as Logic Apps keeps non-JSON content in JSON (the "Handle content types"
 * page of the same docs): `{"$content-type": "application/xml;charset=utf-8", "$content": base64}`.
 *
 * xml() of a JSON object follows Json.NET's JsonConvert.DeserializeXmlNode, which the reference's
 * rule "the JSON object must have only one root property, which can't be an array" is the rule of
 * (JamesNK/Newtonsoft.Json, Src/Newtonsoft.Json/Converters/XmlNodeConverter.cs): a property becomes
 * an element, an array becomes one element per item with the property's name (so a one-item array
 * and a single value give the same XML, and an empty array gives no element), null an empty
 * element, a number its invariant text (XmlConvert.ToString: 1 → "1", 1.5 → "1.5"), a boolean
 * "true"/"false", names that are not XML names are encoded (XmlConvert.EncodeName: _xHHHH_), a
 * property "@name" becomes an attribute and "#text" text. The other special names of the converter
 * ("$id", "?xml", "#comment", namespace prefixes…) are refused here rather than guessed.
 *
 * xpath() evaluates XPath 1.0 (the xpath package over @xmldom/xmldom): a number, string or boolean
 * result comes back as it is (Example 7: sum() → 30); a node set as an array, text and attribute
 * nodes as their text and elements as XML values. The reference is not consistent about a node
 * set of one node (its Examples 2 and 3 show a bare value, Example 5 a one-item array); the
 * simulator always returns the array, and the product's flows only use XPath expressions that
 * return a number (count()), which both readings give alike.
 */

function parse(fn: string, text: string): Document {
  const problems: string[] = [];
  let doc: Document | undefined;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") problems.push(message);
      },
    }).parseFromString(text, "text/xml") as unknown as Document;
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
  }
  if (!doc || problems.length > 0 || !doc.documentElement) {
    throw new ExpressionFunctionError(fn, `the value '${text}' is not valid XML${problems[0] ? `: ${problems[0]}` : ""}.`);
  }
  return doc;
}

const escapeText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escapeAttribute = (s: string): string => escapeText(s).replace(/"/g, "&quot;");

/** XmlConvert.EncodeName: characters that may not stand in an XML name become _xHHHH_ (and a literal "_x" before hex is escaped too). */
function encodeName(name: string): string {
  const nameStart =
    /[A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/;
  const nameChar = /[-.0-9\u00B7\u0300-\u036F\u203F-\u2040]/;
  let out = "";
  [...name].forEach((c, i) => {
    const ok = nameStart.test(c) || (i > 0 && nameChar.test(c));
    const escapedUnderscore = c === "_" && /^_x[0-9A-Fa-f]{4}_/.test([...name].slice(i).join(""));
    out += ok && !escapedUnderscore ? c : `_x${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}_`;
  });
  return out;
}

/** A JSON number as XmlConvert.ToString writes it (.NET's round-trip form, exponent in capitals). */
const numberText = (n: number): string => (Number.isInteger(n) && Math.abs(n) < 1e21 ? String(n) : String(n).replace("e", "E"));

function scalarText(fn: string, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number") return numberText(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  throw new ExpressionFunctionError(fn, `a value of type '${typeName(v)}' cannot be an XML attribute.`);
}

function elementXml(fn: string, name: string, value: unknown): string {
  if (Array.isArray(value)) {
    // An array inside an array: its items are wrapped in an element of the property's name (ReadArrayElements).
    return value.map((v) => (Array.isArray(v) ? `<${encodeName(name)}>${elementXml(fn, name, v)}</${encodeName(name)}>` : elementXml(fn, name, v))).join("");
  }
  const tag = encodeName(name);
  if (value === null || value === undefined) return `<${tag} />`;
  if (!isObject(value)) return `<${tag}>${escapeText(scalarText(fn, value) ?? "")}</${tag}>`;
  let attributes = "";
  let content = "";
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith("@")) {
      const text = scalarText(fn, v);
      attributes += ` ${encodeName(key.slice(1))}="${escapeAttribute(text ?? "")}"`;
    } else if (key === "#text") {
      content += escapeText(scalarText(fn, v) ?? "");
    } else if (/^[#?$!]/.test(key) || key.includes(":")) {
      throw new ExpressionFunctionError(fn, `the property name '${key}' has a meaning in Json.NET's XML conversion that is not simulated.`);
    } else {
      content += elementXml(fn, key, v);
    }
  }
  return content === "" ? `<${tag}${attributes} />` : `<${tag}${attributes}>${content}</${tag}>`;
}

function xmlFromJson(fn: string, value: Record<string, unknown>): string {
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    throw new ExpressionFunctionError(
      fn,
      "JSON root object has multiple properties. The root object must have a single property in order to create a valid XML document.",
    );
  }
  const [root] = keys as [string];
  if (Array.isArray(value[root])) throw new ExpressionFunctionError(fn, "the JSON object's only root property can't be an array.");
  if (root.startsWith("@")) throw new ExpressionFunctionError(fn, `JSON root object has property '${root}' that will be converted to an attribute.`);
  return elementXml(fn, root, value[root]);
}

// A Select evaluates a few XPaths over one row's XML in a row: the parsed document and the compiled
// expressions are kept (a bounded cache), which changes nothing but the simulator's speed.
const DOCUMENTS_KEPT = 64;
const documents = new Map<string, Document>();
function parsedOnce(fn: string, text: string): Document {
  const known = documents.get(text);
  if (known) return known;
  const doc = parse(fn, text);
  if (documents.size >= DOCUMENTS_KEPT) documents.delete(documents.keys().next().value as string);
  documents.set(text, doc);
  return doc;
}

function documentOf(fn: string, v: unknown): Document {
  if (isXmlValue(v)) return parsedOnce(fn, xmlText(v));
  if (typeof v === "string") return parsedOnce(fn, v);
  throw new ExpressionFunctionError(fn, `its first argument must be XML or a string of XML, but a value of type '${typeName(v)}' was given.`);
}

/** The xpath package's compiled expression and result objects (its typings do not describe parse()). */
interface XPathObject {
  toArray?: () => unknown[];
  numberValue(): number;
  stringValue(): string;
  booleanValue(): boolean;
}
interface CompiledXPath {
  evaluate(options: { node: unknown }): XPathObject;
}
const engine = xpathEngine as unknown as {
  parse(expression: string): CompiledXPath;
  XNumber: new (...a: never[]) => unknown;
  XString: new (...a: never[]) => unknown;
  XBoolean: new (...a: never[]) => unknown;
};
const compiled = new Map<string, CompiledXPath>();
function compile(expression: string): CompiledXPath {
  let c = compiled.get(expression);
  if (!c) {
    c = engine.parse(expression);
    compiled.set(expression, c);
  }
  return c;
}

function resultOf(node: unknown): unknown {
  if (xpathEngine.isAttribute(node as xpathEngine.SelectedValue)) return (node as Attr).value;
  if (xpathEngine.isTextNode(node as xpathEngine.SelectedValue) || xpathEngine.isCDATASection(node as xpathEngine.SelectedValue)) {
    return (node as Text).data;
  }
  return xmlValue(new XMLSerializer().serializeToString(node as unknown as XmlNode));
}

export const XML_FUNCTIONS: Record<string, Fn> = {
  xml: (args) => {
    const v = args[0];
    if (typeof v === "string") {
      parsedOnce("xml", v);
      return xmlValue(v);
    }
    if (isXmlValue(v)) return v;
    // Built element by element with encoded names and escaped text, so it is well-formed; xpath() parses it.
    if (isObject(v)) return xmlValue(xmlFromJson("xml", v));
    throw new ExpressionFunctionError("xml", `its argument must be a string or a JSON object, but a value of type '${typeName(v)}' was given.`);
  },

  xpath: (args) => {
    const doc = documentOf("xpath", args[0]);
    const expression = args[1];
    if (typeof expression !== "string") throw new ExpressionFunctionError("xpath", "its second argument must be an XPath expression as a string.");
    let result: XPathObject;
    try {
      result = compile(expression).evaluate({ node: doc });
    } catch (e) {
      throw new ExpressionFunctionError("xpath", `the XPath expression '${expression}' is not valid: ${e instanceof Error ? e.message : String(e)}.`);
    }
    if (result instanceof engine.XNumber) return result.numberValue();
    if (result instanceof engine.XString) return result.stringValue();
    if (result instanceof engine.XBoolean) return result.booleanValue();
    if (!result.toArray) throw new ExpressionFunctionError("xpath", `the XPath expression '${expression}' gave a result the simulator does not know.`);
    return result.toArray().map(resultOf);
  },
};
