import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ParsedNode } from "./parseXml";

/**
 * A structural reading of the CRM SDK 9.0 XSDs. They cannot be compiled by libxml2 and reject
 * every modern export (schemas/SOURCES.md), so they are used as SOURCES.md says: for the element
 * names allowed under each element, the order where the content model is a sequence, and the
 * enumerated values of simple types. Patterns are ignored (their ^…$ anchors are literal in XSD).
 *
 * The reading is committed as crm-sdk-schema.json (scripts/derive-platform-facts.ts writes it from
 * the XSDs), so the check runs in every clone, with or without the XSD files beside it.
 */

export interface ContentModel {
  kind: "sequence" | "all" | "choice" | "mixed" | "simple";
  /** Allowed child elements in declaration order, each with the id of its own model. */
  children: Array<{ name: string; decl: string }>;
  /** True where the model has xs:any: anything goes below. */
  open: boolean;
}

/** One model in crm-sdk-schema.json. */
export interface ModelFacts {
  kind: ContentModel["kind"];
  open?: true;
  /**
   * Child element name → model id, in declaration order (the first declaration of a name; JSON
   * keeps string keys in insertion order, and XML names never look like array indices).
   */
  children?: Record<string, string>;
  /** Enumerated values allowed for the element's text. */
  enumeration?: string[];
}

/** crm-sdk-schema.json. */
export interface XsdFacts {
  note: string;
  source: { folder: string; files: Record<string, string> };
  /** Top-level element name → model id. */
  roots: Record<string, string>;
  /** Model id → model; ids name where the XSD declares the model (type:…, element:…, group:…). */
  models: Record<string, ModelFacts>;
}

export const XSD_FACTS = join(__dirname, "crm-sdk-schema.json");

export class XsdSet {
  constructor(private readonly facts: XsdFacts) {}

  private static cached: XsdSet | undefined;

  /** The committed reading of the CRM SDK 9.0.0.2090 XSDs (read once: it never changes at run time). */
  static committed(): XsdSet {
    XsdSet.cached ??= new XsdSet(JSON.parse(readFileSync(XSD_FACTS, "utf8")) as XsdFacts);
    return XsdSet.cached;
  }

  /** The model id of a top-level element. */
  topLevel(name: string): string | undefined {
    return this.facts.roots[name];
  }

  private model(id: string): ModelFacts {
    const m = this.facts.models[id];
    if (!m) throw new Error(`crm-sdk-schema.json has no model "${id}" (run npm run facts:derive)`);
    return m;
  }

  /** Enumerated values allowed for the element's text, or undefined when not an enumeration. */
  enumeration(decl: string): string[] | undefined {
    return this.model(decl).enumeration;
  }

  contentModel(decl: string): ContentModel {
    const m = this.model(decl);
    return { kind: m.kind, children: Object.entries(m.children ?? {}).map(([name, id]) => ({ name, decl: id })), open: m.open === true };
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
  // Role and field security profile elements of 2025/2026 CrmLive exports (FORMAT-NOTES.md,
  // "Security roles and field security profiles").
  "Role/IsAutoAssigned",
  "FieldPermission/CanReadUnmasked",
]);

/**
 * Checks `doc` against the XSD set from the top-level element `rootName`: unknown child elements
 * (unless listed in NEWER_THAN_XSD), order inside sequences, and enumerated values.
 */
export function xsdProblems(xsd: XsdSet, doc: ParsedNode, file: string): string[] {
  const problems: string[] = [];
  const rootDecl = xsd.topLevel(doc.name);
  if (!rootDecl) return [`${file}: the XSD has no root element ${doc.name}`];
  const visit = (node: ParsedNode, decl: string, path: string): void => {
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
