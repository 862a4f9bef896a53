import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseXml, type ParsedNode } from "./parseXml";

/**
 * A structural reading of the CRM SDK 9.0 XSDs. They cannot be compiled by libxml2 and reject
 * every modern export (schemas/SOURCES.md), so they are used as SOURCES.md says: for the element
 * names allowed under each element, the order where the content model is a sequence, and the
 * enumerated values of simple types. Patterns are ignored (their ^…$ anchors are literal in XSD).
 */

interface ContentModel {
  kind: "sequence" | "all" | "choice" | "mixed" | "simple";
  /** Allowed child elements in declaration order. */
  children: Array<{ name: string; decl: ParsedNode }>;
  /** True where the model has xs:any: anything goes below. */
  open: boolean;
}

const strip = (name: string | undefined): string => (name ?? "").replace(/^xs:/, "");

export class XsdSet {
  private elements = new Map<string, ParsedNode>();
  private complexTypes = new Map<string, ParsedNode>();
  private simpleTypes = new Map<string, ParsedNode>();
  private groups = new Map<string, ParsedNode>();

  constructor(dir: string) {
    for (const f of readdirSync(dir).filter((f) => f.endsWith(".xsd"))) {
      const schema = parseXml(readFileSync(join(dir, f), "utf8"));
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
  }

  static load(dir: string): XsdSet | undefined {
    return existsSync(join(dir, "CustomizationsSolution.xsd")) ? new XsdSet(dir) : undefined;
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

  /** Enumerated values allowed for the element's text, or undefined when not an enumeration. */
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

  contentModel(decl: ParsedNode): ContentModel {
    const ct = this.complexTypeOf(decl);
    if (!ct) return { kind: "simple", children: [], open: false };
    const model: ContentModel = { kind: "mixed", children: [], open: false };
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

/** Elements and attributes that modern exports write and the 9.0 XSD predates (SOURCES.md and real exports). */
export const NEWER_THAN_XSD = new Set([
  "ImportExportXml/Connectors",
  "ImportExportXml/connectionreferences",
  "ImportExportXml/EntityDataProviders",
  "ImportExportXml/CustomControls",
  "Workflow/JsonFileName",
  "Workflow/IsCustomProcessingStepAllowedForOtherPublishers",
  "attribute/AutoNumberFormat",
  "attribute/IsDataSourceSecret",
  "attribute/CanModifyIsSortableSettings",
  "attribute/IsSortableEnabled",
  "attribute/IsSearchable",
  "attribute/IsFilterable",
  "attribute/IsRetrievable",
  "attribute/IsLocalizable",
  "EntityRelationship/CascadeArchive",
  "entity/IsRetrieveAuditEnabled",
  "entity/IsRetrieveMultipleAuditEnabled",
  "entity/IsBPFEntity",
  "entity/IsEnabledForExternalChannels",
  "entity/IsSolutionAware",
  "entity/CanChangeTrackingBeEnabled",
  "entity/IsDocumentRecommendationsEnabled",
  "entity/IsKnowledgeManagementEnabled",
  "entity/IsSLAEnabled",
  "entity/IsInteractionCentricEnabled",
  "entity/IsOneNoteIntegrationEnabled",
  "entity/EntityHelpUrlEnabled",
  "entity/CanEnableSyncToExternalSearchIndex",
  "entity/SyncToExternalSearchIndex",
]);

/**
 * Checks `doc` against the XSD set from the top-level element `rootName`: unknown child elements
 * (unless listed in NEWER_THAN_XSD), order inside sequences, and enumerated values.
 */
export function xsdProblems(xsd: XsdSet, doc: ParsedNode, file: string): string[] {
  const problems: string[] = [];
  const rootDecl = xsd.topLevel(doc.name);
  if (!rootDecl) return [`${file}: the XSD has no root element ${doc.name}`];
  const visit = (node: ParsedNode, decl: ParsedNode, path: string): void => {
    const values = xsd.enumeration(decl);
    if (values && node.text !== undefined && node.text !== "" && !values.includes(node.text)) {
      problems.push(`${file}: ${path} has value "${node.text}", the XSD allows ${values.join(", ")}`);
    }
    const model = xsd.contentModel(decl);
    if (model.open || model.kind === "simple") return;
    let lastIndex = -1;
    let lastName = "";
    for (const child of node.children ?? []) {
      const index = model.children.findIndex((c) => c.name === child.name);
      const childPath = `${path}/${child.name}`;
      if (index < 0) {
        if (!NEWER_THAN_XSD.has(`${node.name}/${child.name}`)) {
          problems.push(`${file}: ${childPath} is not an element the XSD allows under ${node.name}`);
        }
        continue;
      }
      if (model.kind === "sequence") {
        if (index < lastIndex) problems.push(`${file}: ${childPath} comes after ${lastName}, the XSD sequence has it before`);
        lastIndex = Math.max(lastIndex, index);
        lastName = child.name;
      }
      const childDecl = model.children[index]?.decl;
      if (childDecl) visit(child, childDecl, childPath);
    }
  };
  visit(doc, rootDecl, doc.name);
  return problems;
}
