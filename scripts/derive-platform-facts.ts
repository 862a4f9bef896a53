import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { connectorDefinition } from "../flows/toolkit/connectors/swagger";
import { connectorFacts, DATAVERSE_CONNECTOR_FACTS } from "../flows/toolkit/facts";
import { parseXml, type ParsedNode } from "../solution/src/verify/parseXml";
import { XSD_FACTS, type ModelFacts, type XsdFacts } from "../solution/src/verify/xsd";

/**
 * `npm run facts:derive`: writes the platform facts the project checks against from the upstream
 * documents kept beside the project in ../shared (SOURCES.md there names where each comes from).
 * Those documents are reference data not to be copied in, and a fresh clone does not have them,
 * so the project commits only what it reads out of them, in its own form:
 *   - flows/toolkit/facts/dataverse-connector.json: the Dataverse connector's operations
 *     (connectors/commondataserviceforapps.Schema.json), for the flow linter and simulator;
 *   - solution/src/verify/crm-sdk-schema.json: the structure the CRM SDK 9.0.0.2090 XSDs allow
 *     (schemas/crm-sdk-9.0.0.2090/*.xsd), for the zip verifier.
 * tests/facts/derived.test.ts re-derives both wherever ../shared exists and fails when they drift.
 */

const REPO_ROOT = resolve(__dirname, "..");
export const SHARED = resolve(REPO_ROOT, "..", "shared");
export const UPSTREAM_CONNECTOR = join(SHARED, "connectors", "commondataserviceforapps.Schema.json");
export const UPSTREAM_XSD_DIR = join(SHARED, "schemas", "crm-sdk-9.0.0.2090");

const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");
/** Pretty-printed with a final newline: the committed files diff line by line. */
export const factsText = (facts: unknown): string => `${JSON.stringify(facts, null, 2)}\n`;

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => typeof v === "object" && v !== null && !Array.isArray(v);
/** A string found by following `keys` from `o`, or undefined. */
function textAt(o: unknown, ...keys: string[]): string | undefined {
  let cur = o;
  for (const k of keys) cur = isObj(cur) ? cur[k] : undefined;
  return typeof cur === "string" ? cur : undefined;
}

// ---------------------------------------------------------------------------------------------
// The Dataverse connector

export function deriveDataverseConnector(file = UPSTREAM_CONNECTOR): string {
  const bytes = readFileSync(file);
  const json = JSON.parse(bytes.toString("utf8")) as unknown;
  // The file is the connector resource wrapping the swagger (SOURCES.md §3): its own version fields.
  const source: Record<string, string> = { file: basename(file), sha256: sha256(bytes) };
  const fields: Array<[string, string[]]> = [
    ["id", ["id"]],
    ["title", ["properties", "swagger", "info", "title"]],
    ["swaggerVersion", ["properties", "swagger", "info", "version"]],
    ["connectorVersion", ["properties", "metadata", "version", "current"]],
    ["releaseTag", ["properties", "releaseTag"]],
    ["changedTime", ["properties", "changedTime"]],
  ];
  for (const [name, path] of fields) {
    const v = textAt(json, ...path);
    if (v !== undefined) source[name] = v;
  }
  const note =
    "Derived by scripts/derive-platform-facts.ts (npm run facts:derive) from the Microsoft Dataverse connector definition " +
    `${source.file} (SOURCES.md §3 of the shared reference data): per operation what flows/toolkit/connectors/swagger.ts ` +
    "ConnectorDefinition holds. Do not edit by hand; re-derive.";
  return factsText(connectorFacts(connectorDefinition(json), note, source));
}

// ---------------------------------------------------------------------------------------------
// The CRM SDK XSDs

const strip = (name: string | undefined): string => (name ?? "").replace(/^xs:/, "");
/** The id every element without structure or enumeration shares: nothing to check below it. */
const TEXT = "text";

/**
 * Reads the XSD set the way the verifier's structure check did before it read committed facts:
 * top-level declarations, first one wins across files in name order; element refs resolve to
 * top-level elements; named and inline types, groups, and complexContent/simpleContent bases.
 */
class XsdReader {
  private elements = new Map<string, ParsedNode>();
  private complexTypes = new Map<string, ParsedNode>();
  private simpleTypes = new Map<string, ParsedNode>();
  private groups = new Map<string, ParsedNode>();
  /** Where each element declaration sits, for the ids of models declared inline. */
  private lexical = new Map<ParsedNode, string>();
  readonly files: Record<string, string> = {};

  constructor(dir: string) {
    for (const f of readdirSync(dir)
      .filter((f) => f.endsWith(".xsd"))
      .sort()) {
      const bytes = readFileSync(join(dir, f));
      this.files[f] = sha256(bytes);
      const schema = parseXml(bytes.toString("utf8"));
      for (const c of schema.children ?? []) {
        const name = c.attrs?.name;
        if (!name) continue;
        const kind = strip(c.name);
        if (kind === "element" && !this.elements.has(name)) this.elements.set(name, c);
        if (kind === "complexType" && !this.complexTypes.has(name)) this.complexTypes.set(name, c);
        if (kind === "simpleType" && !this.simpleTypes.has(name)) this.simpleTypes.set(name, c);
        if (kind === "group" && !this.groups.has(name)) this.groups.set(name, c);
      }
    }
    const used = new Set<string>();
    const name = (node: ParsedNode, id: string): string => {
      let unique = id;
      for (let n = 2; used.has(unique); n++) unique = `${id}#${n}`;
      used.add(unique);
      this.lexical.set(node, unique);
      return unique;
    };
    const walk = (node: ParsedNode, owner: string): void => {
      for (const c of node.children ?? []) {
        if (strip(c.name) === "element" && c.attrs?.name) walk(c, name(c, `${owner}/${c.attrs.name}`));
        else walk(c, owner);
      }
    };
    for (const [n, e] of this.elements) walk(e, name(e, `element:${n}`));
    for (const [n, t] of this.complexTypes) walk(t, `type:${n}`);
    for (const [n, g] of this.groups) walk(g, `group:${n}`);
  }

  topLevelNames(): string[] {
    return [...this.elements.keys()];
  }

  topLevel(name: string): ParsedNode | undefined {
    return this.elements.get(name);
  }

  private resolve(decl: ParsedNode): ParsedNode {
    const ref = decl.attrs?.ref;
    return ref ? (this.elements.get(ref) ?? decl) : decl;
  }

  private complexTypeOf(decl: ParsedNode): ParsedNode | undefined {
    const d = this.resolve(decl);
    const inline = (d.children ?? []).find((c) => strip(c.name) === "complexType");
    if (inline) return inline;
    const type = d.attrs?.type;
    return type ? this.complexTypes.get(type) : undefined;
  }

  /**
   * Where the declaration's model comes from: its inline type (named by position) or its named
   * type; everything reading the model below looks at nothing else, so equal ids mean equal models.
   */
  sourceId(decl: ParsedNode): string {
    const d = this.resolve(decl);
    if ((d.children ?? []).some((c) => ["complexType", "simpleType"].includes(strip(c.name)))) {
      const id = this.lexical.get(d);
      if (!id) throw new Error(`an element with an inline type outside any named declaration: ${JSON.stringify(d.attrs)}`);
      return id;
    }
    return d.attrs?.type ? `type:${d.attrs.type}` : TEXT;
  }

  enumeration(decl: ParsedNode): string[] | undefined {
    const d = this.resolve(decl);
    const type = d.attrs?.type;
    const simple = type ? this.simpleTypes.get(type) : (d.children ?? []).find((c) => strip(c.name) === "simpleType");
    // A complexType with simpleContent extending an enumerated simple type (e.g. Name with attributes).
    if (!simple && type && this.complexTypes.get(type)) return undefined;
    if (!simple) return undefined;
    const restriction = (simple.children ?? []).find((c) => strip(c.name) === "restriction");
    const values = (restriction?.children ?? []).filter((c) => strip(c.name) === "enumeration").map((c) => c.attrs?.value ?? "");
    return values.length > 0 ? values : undefined;
  }

  contentModel(decl: ParsedNode): { kind: ModelFacts["kind"]; children: Array<{ name: string; decl: ParsedNode }>; open: boolean } {
    const ct = this.complexTypeOf(decl);
    if (!ct) return { kind: "simple", children: [], open: false };
    const model: { kind: ModelFacts["kind"]; children: Array<{ name: string; decl: ParsedNode }>; open: boolean } = {
      kind: "mixed",
      children: [],
      open: false,
    };
    const collect = (n: ParsedNode, top: boolean): void => {
      for (const c of n.children ?? []) {
        const k = strip(c.name);
        if (k === "element") model.children.push({ name: c.attrs?.name ?? c.attrs?.ref ?? "", decl: c });
        else if (k === "any") model.open = true;
        else if (k === "sequence" || k === "all" || k === "choice") {
          if (top && model.kind === "mixed") model.kind = k;
          collect(c, false);
        } else if (k === "group" && c.attrs?.ref) {
          const g = this.groups.get(c.attrs.ref);
          if (g) collect(g, false);
        } else if (k === "complexContent" || k === "simpleContent") {
          for (const ext of c.children ?? []) {
            const base = ext.attrs?.base;
            const baseType = base ? this.complexTypes.get(base) : undefined;
            if (baseType) collect(baseType, top);
            collect(ext, top);
          }
        }
      }
    };
    collect(ct, true);
    if (model.children.length === 0 && !model.open) model.kind = "simple";
    return model;
  }
}

export function deriveCrmSdkSchema(dir = UPSTREAM_XSD_DIR): string {
  const xsd = new XsdReader(dir);
  const models = new Map<string, ModelFacts>();
  const signatures = new Map<string, string>();
  /** The model id of a declaration, recording its model (and everything below) on first sight. */
  const visit = (decl: ParsedNode): string => {
    const enumeration = xsd.enumeration(decl);
    const model = xsd.contentModel(decl);
    if (model.kind === "simple" && !enumeration) {
      if (!models.has(TEXT)) models.set(TEXT, { kind: "simple" });
      return TEXT;
    }
    const id = xsd.sourceId(decl);
    // sourceId promises equal ids mean equal models; a declaration breaking that would be misread.
    const signature = JSON.stringify([model.kind, model.open, enumeration, [...new Set(model.children.map((c) => c.name))]]);
    if (signatures.has(id)) {
      if (signatures.get(id) !== signature) throw new Error(`two declarations with model id ${id} differ: ${signatures.get(id)} / ${signature}`);
      return id;
    }
    signatures.set(id, signature);
    const facts: ModelFacts = { kind: model.kind };
    models.set(id, facts);
    if (model.open) facts.open = true;
    if (model.children.length > 0) {
      // The check looks a child name up by its first declaration only (findIndex), so later ones
      // with the same name change nothing; the relative order of the first ones is kept.
      const children: Record<string, string> = {};
      for (const c of model.children) if (!(c.name in children)) children[c.name] = visit(c.decl);
      facts.children = children;
    }
    if (enumeration) facts.enumeration = enumeration;
    return id;
  };
  const roots: Record<string, string> = {};
  for (const name of xsd.topLevelNames().sort()) {
    const decl = xsd.topLevel(name);
    if (decl) roots[name] = visit(decl);
  }
  const facts: XsdFacts = {
    note:
      "Derived by scripts/derive-platform-facts.ts (npm run facts:derive) from the Microsoft Dynamics 365 CE SDK XML schemas " +
      "9.0.0.2090 (schemas/crm-sdk-9.0.0.2090 and SOURCES.md §2 of the shared reference data): per element model the allowed " +
      "child element names in declaration order, the kind of content model, xs:any (open) and enumerations. Do not edit by hand; re-derive.",
    source: { folder: basename(dir), files: xsd.files },
    roots,
    models: Object.fromEntries([...models.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
  return factsText(facts);
}

// ---------------------------------------------------------------------------------------------

/** Every committed facts file with what the upstream documents give for it now. */
export function deriveAll(): Array<{ file: string; upstream: string; text: () => string }> {
  return [
    { file: DATAVERSE_CONNECTOR_FACTS, upstream: UPSTREAM_CONNECTOR, text: () => deriveDataverseConnector() },
    { file: XSD_FACTS, upstream: UPSTREAM_XSD_DIR, text: () => deriveCrmSdkSchema() },
  ];
}

if (require.main === module) {
  let failed = false;
  for (const f of deriveAll()) {
    if (!existsSync(f.upstream)) {
      console.error(`facts:derive: ${f.upstream} is missing; ${relative(REPO_ROOT, f.file)} is left as committed`);
      failed = true;
      continue;
    }
    const text = f.text();
    const before = existsSync(f.file) ? readFileSync(f.file, "utf8") : undefined;
    writeFileSync(f.file, text);
    console.log(`facts:derive: ${relative(REPO_ROOT, f.file)} ${before === text ? "unchanged" : "written"} (${Buffer.byteLength(text)} bytes)`);
  }
  process.exit(failed ? 1 : 0);
}
