import { stableId, braced } from "../ids";
import { label, type Label } from "../labels";
import type { Column, CustomTable, LookupColumn, Publisher } from "../model/types";
import { el, tx, type XNode } from "../xml";
import { attributeNode, columnAttribute } from "./attributes";
import { customTableEntitySetName, customTablePrimaryKey } from "../naming";
import { labels } from "./common";
import { SYSTEM_LOOKUPS, systemAttributes } from "./systemColumns";
import { ribbonDiff } from "./ribbon";

/**
 * A new table, written the way Dataverse exports one it created (solution-format.md §3.1): all
 * system columns, entity flags, a main form, the standard views, and (elsewhere) its relationships.
 */

/** Entity-level settings in export order; values are those of a fresh user-owned table. */
const ENTITY_FLAGS: Array<[string, string | number]> = [
  ["IsDuplicateCheckSupported", 1],
  ["IsBusinessProcessEnabled", 0],
  ["IsRequiredOffline", 0],
  ["IsInteractionCentricEnabled", 0],
  ["IsCollaboration", 0],
  ["AutoRouteToOwnerQueue", 0],
  ["IsConnectionsEnabled", 0],
  ["IsDocumentManagementEnabled", 0],
  ["AutoCreateAccessTeams", 0],
  ["IsOneNoteIntegrationEnabled", 0],
  ["IsKnowledgeManagementEnabled", 0],
  ["IsSLAEnabled", 0],
  ["IsDocumentRecommendationsEnabled", 0],
  ["IsBPFEntity", 0],
  ["OwnershipTypeMask", "UserOwned"],
  ["IsAuditEnabled", 0],
  ["IsRetrieveAuditEnabled", 0],
  ["IsRetrieveMultipleAuditEnabled", 0],
  ["IsActivity", 0],
  ["ActivityTypeMask", ""],
  ["IsActivityParty", 0],
  ["IsReplicated", 0],
  ["IsReplicationUserFiltered", 0],
  ["IsMailMergeEnabled", 1],
  ["IsVisibleInMobile", 0],
  ["IsVisibleInMobileClient", 0],
  ["IsReadOnlyInMobileClient", 0],
  ["IsOfflineInMobileClient", 0],
  ["DaysSinceRecordLastModified", 0],
  ["MobileOfflineFilters", ""],
  ["IsMapiGridEnabled", 1],
  ["IsReadingPaneEnabled", 1],
  ["IsQuickCreateEnabled", 0],
  ["SyncToExternalSearchIndex", 0],
  ["IntroducedVersion", "1.0"],
  ["IsCustomizable", 1],
  ["IsRenameable", 1],
  ["IsMappable", 1],
  ["CanModifyAuditSettings", 1],
  ["CanModifyMobileVisibility", 1],
  ["CanModifyMobileClientVisibility", 1],
  ["CanModifyMobileClientReadOnly", 1],
  ["CanModifyMobileClientOffline", 1],
  ["CanModifyConnectionSettings", 1],
  ["CanModifyDuplicateDetectionSettings", 1],
  ["CanModifyMailMergeSettings", 1],
  ["CanModifyQueueSettings", 1],
  ["CanCreateAttributes", 1],
  ["CanCreateForms", 1],
  ["CanCreateCharts", 1],
  ["CanCreateViews", 1],
  ["CanModifyAdditionalSettings", 1],
  ["CanEnableSyncToExternalSearchIndex", 1],
  ["EnforceStateTransitions", 0],
  ["CanChangeHierarchicalRelationship", 1],
  ["EntityHelpUrlEnabled", 0],
  ["ChangeTrackingEnabled", 0],
  ["CanChangeTrackingBeEnabled", 1],
  ["IsEnabledForExternalChannels", 0],
  ["IsSolutionAware", 0],
];

export const entitySetName = (t: CustomTable): string => customTableEntitySetName(t.schemaName);
const primaryKey = (t: CustomTable): string => customTablePrimaryKey(t.schemaName);
const primaryName = (t: CustomTable): string => t.primaryName.schemaName.toLowerCase();

/** Attributes in the order exports list them: by schema name, case-insensitively. */
function attributes(t: CustomTable, publisher: Publisher): XNode[] {
  const e = t.schemaName.toLowerCase();
  const nodes: Array<[string, XNode]> = [
    [t.primaryName.schemaName, columnAttribute(t.primaryName, e, publisher, true)],
    ...t.columns.map((c): [string, XNode] => [c.schemaName, columnAttribute(c, e, publisher)]),
    ...systemAttributes(t).map((a): [string, XNode] => [a.physicalName, attributeNode(a)]),
  ];
  return nodes.sort((a, b) => a[0].toLowerCase().localeCompare(b[0].toLowerCase())).map(([, n]) => n);
}

// Classic form control class ids (one per column type), as forms in real exports use them.
const CONTROL_CLASS: Record<Column["kind"] | "owner", string> = {
  text: "{4273EDBD-AC1D-40d3-9FB2-095C621B552D}",
  memo: "{E0DECE4B-6FC8-4A8F-A065-082708572369}",
  yesno: "{67FAC785-CD58-4f9f-ABB3-4B7DDC6ED5ED}",
  datetime: "{5B773807-9FB2-42db-97C3-7A91EFF8ADFF}",
  wholenumber: "{C6D124CA-7EDA-4a60-AEA9-7FB8D318B68F}",
  choice: "{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}",
  lookup: "{270BD3DB-D9AF-4782-9025-509E298DEC0A}",
  owner: "{270BD3DB-D9AF-4782-9025-509E298DEC0A}",
};
const EMAIL_CLASS = "{ADA2203E-B4CD-49be-9DDF-234642B43B52}";

function controlClass(c: Column): string {
  return c.kind === "text" && c.format === "email" ? EMAIL_CLASS : CONTROL_CLASS[c.kind];
}

function cell(t: CustomTable, field: string, caption: Label, classId: string): XNode {
  const idBase = `${t.schemaName}:mainform:${field}`;
  return el(
    "row",
    undefined,
    el(
      "cell",
      { id: braced(stableId(`${idBase}:cell`)) },
      labels("labels", "label", caption),
      el("control", { id: field, classid: classId, datafieldname: field }),
    ),
  );
}

function mainForm(t: CustomTable): XNode {
  const byName = new Map<string, Column>([t.primaryName, ...t.columns].map((c) => [c.schemaName, c]));
  const rows = [t.primaryName.schemaName, ...t.formColumns].map((name) => {
    const c = byName.get(name);
    if (!c) throw new Error(`form of ${t.schemaName} names column ${name}, which the table does not have`);
    return cell(t, name.toLowerCase(), c.displayName, controlClass(c));
  });
  rows.push(cell(t, "ownerid", label("Owner", "Besitzer"), CONTROL_CLASS.owner));
  const id = (part: string): string => braced(stableId(`${t.schemaName}:mainform:${part}`));
  return el(
    "forms",
    { type: "main" },
    el(
      "systemform",
      undefined,
      tx("formid", id("form")),
      tx("IntroducedVersion", "1.0"),
      tx("FormPresentation", 1),
      tx("FormActivationState", 1),
      el(
        "form",
        undefined,
        el(
          "tabs",
          undefined,
          el(
            "tab",
            { verticallayout: "true", id: id("tab"), IsUserDefined: 1, name: "general" },
            labels("labels", "label", label("General", "Allgemein")),
            el(
              "columns",
              undefined,
              el(
                "column",
                { width: "100%" },
                el(
                  "sections",
                  undefined,
                  el(
                    "section",
                    { name: "general", showlabel: "false", showbar: "false", IsUserDefined: 0, id: id("section") },
                    labels("labels", "label", label("General", "Allgemein")),
                    el("rows", undefined, rows),
                  ),
                ),
              ),
            ),
          ),
        ),
        el("DisplayConditions", { Order: 0, FallbackForm: "true" }, el("Everyone")),
      ),
      tx("IsCustomizable", true),
      tx("CanBeDeleted", true),
      labels("LocalizedNames", "LocalizedName", label("Information", "Information")),
      labels("Descriptions", "Description", label("A form for this entity.", "Ein Formular für diese Entität.")),
    ),
  );
}

interface ViewSpec {
  key: string;
  queryType: number;
  isDefault: boolean;
  isQuickFind?: boolean;
  name: Label;
  columns: string[];
  activeOnly: boolean;
  order?: { attribute: string; descending: boolean };
  quickFindFields?: string[];
}

/** The id of one of a table's views (`active`: its public view, `associated`: the Related tab's). */
export const viewId = (t: CustomTable, key: "active" | "associated"): string => braced(stableId(`${t.schemaName}:view:${key}`));

function view(t: CustomTable, v: ViewSpec): XNode {
  const e = t.schemaName.toLowerCase();
  const gridName = v.queryType === 2 || v.queryType === 64 ? entitySetName(t) : "resultset";
  const rowName = v.queryType === 2 || v.queryType === 64 ? e : "result";
  const width = (c: string): number => (c === primaryName(t) ? 300 : c.endsWith("on") ? 125 : 150);
  return el(
    "savedquery",
    undefined,
    tx("IsCustomizable", true),
    tx("CanBeDeleted", false),
    tx("isquickfindquery", v.isQuickFind ?? false),
    tx("isprivate", false),
    tx("isdefault", v.isDefault),
    tx("savedqueryid", braced(stableId(`${t.schemaName}:view:${v.key}`))),
    el(
      "layoutxml",
      undefined,
      el(
        "grid",
        { name: gridName, jump: primaryName(t), select: 1, icon: 1, preview: v.queryType === 64 ? 0 : 1 },
        el(
          "row",
          { name: rowName, id: primaryKey(t) },
          v.columns.map((c) => el("cell", { name: c, width: width(c) })),
        ),
      ),
    ),
    tx("querytype", v.queryType),
    el(
      "fetchxml",
      undefined,
      el(
        "fetch",
        { version: "1.0", mapping: "logical" },
        el(
          "entity",
          { name: e },
          [primaryKey(t), ...v.columns].map((c) => el("attribute", { name: c })),
          v.order && el("order", { attribute: v.order.attribute, descending: String(v.order.descending) }),
          v.activeOnly && el("filter", { type: "and" }, el("condition", { attribute: "statecode", operator: "eq", value: v.activeOnly ? 0 : 1 })),
          v.quickFindFields &&
            el(
              "filter",
              { type: "or", isquickfindfields: 1 },
              v.quickFindFields.map((f) => el("condition", { attribute: f, operator: "like", value: "{0}" })),
            ),
        ),
      ),
    ),
    tx("IntroducedVersion", "1.0"),
    labels("LocalizedNames", "LocalizedName", v.name),
  );
}

function views(t: CustomTable): XNode {
  const pn = primaryName(t);
  const listColumns = [pn, ...t.viewColumns.map((c) => c.toLowerCase()), "createdon"];
  const short = [pn, "createdon"];
  const { en, de } = t.collectionName;
  const byName = { attribute: pn, descending: false };
  const listed = t.viewOrder ? { attribute: t.viewOrder.column.toLowerCase(), descending: t.viewOrder.descending } : byName;
  const specs: ViewSpec[] = [
    { key: "active", queryType: 0, isDefault: true, name: label(`Active ${en}`, `Aktive ${de}`), columns: listColumns, activeOnly: true, order: listed },
    {
      key: "advancedfind",
      queryType: 1,
      isDefault: true,
      name: label(`${t.displayName.en} Advanced Find View`, `${t.displayName.de} – Ansicht der erweiterten Suche`),
      columns: short,
      activeOnly: false,
      order: byName,
    },
    {
      key: "associated",
      queryType: 2,
      isDefault: true,
      name: label(`${t.displayName.en} Associated View`, `${t.displayName.de} – Zugeordnete Ansicht`),
      columns: short,
      activeOnly: true,
      order: listed,
    },
    {
      key: "lookup",
      queryType: 64,
      isDefault: true,
      name: label(`${t.displayName.en} Lookup View`, `${t.displayName.de} – Suchansicht`),
      columns: short,
      activeOnly: true,
    },
    {
      key: "quickfind",
      queryType: 4,
      isDefault: true,
      isQuickFind: true,
      name: label(`Quick Find Active ${en}`, `Schnellsuche: aktive ${de}`),
      columns: short,
      activeOnly: true,
      order: byName,
      quickFindFields: [pn, ...t.columns.filter((c) => c.kind === "text").map((c) => c.schemaName.toLowerCase())],
    },
  ];
  return el(
    "SavedQueries",
    undefined,
    el(
      "savedqueries",
      undefined,
      specs.map((s) => view(t, s)),
    ),
  );
}

export function customTableEntity(t: CustomTable, publisher: Publisher): XNode {
  return el(
    "Entity",
    undefined,
    tx("Name", t.schemaName, { LocalizedName: t.displayName.en, OriginalName: t.displayName.en }),
    el(
      "EntityInfo",
      undefined,
      el(
        "entity",
        { Name: t.schemaName },
        labels("LocalizedNames", "LocalizedName", t.displayName),
        labels("LocalizedCollectionNames", "LocalizedCollectionName", t.collectionName),
        labels("Descriptions", "Description", t.description),
        el("attributes", undefined, attributes(t, publisher)),
        tx("EntitySetName", entitySetName(t)),
        ENTITY_FLAGS.map(([k, v]) => tx(k, v)),
      ),
    ),
    el("FormXml", undefined, mainForm(t)),
    views(t),
    ribbonDiff(),
  );
}

function relationship(
  name: string,
  referencing: string,
  referenced: string,
  attribute: string,
  cascade: "system" | "lookup",
  description: Label,
  navigation?: { single: string; collection: string },
): XNode {
  const cascadeDelete = cascade === "lookup" ? "RemoveLink" : "NoCascade";
  return el(
    "EntityRelationship",
    { Name: name },
    tx("EntityRelationshipType", "OneToMany"),
    tx("IsCustomizable", true),
    tx("IntroducedVersion", cascade === "lookup" ? "1.0.0.0" : "1.0"),
    tx("IsHierarchical", false),
    tx("ReferencingEntityName", referencing),
    tx("ReferencedEntityName", referenced),
    tx("CascadeAssign", "NoCascade"),
    tx("CascadeDelete", cascadeDelete),
    tx("CascadeArchive", cascadeDelete),
    tx("CascadeReparent", "NoCascade"),
    tx("CascadeShare", "NoCascade"),
    tx("CascadeUnshare", "NoCascade"),
    cascade === "lookup" && tx("CascadeRollupView", "NoCascade"),
    cascade === "lookup" && tx("IsValidForAdvancedFind", true),
    tx("ReferencingAttributeName", attribute),
    el("RelationshipDescription", undefined, labels("Descriptions", "Description", description)),
    navigation &&
      el(
        "EntityRelationshipRoles",
        undefined,
        el(
          "EntityRelationshipRole",
          undefined,
          tx("NavPaneDisplayOption", "UseCollectionName"),
          tx("NavPaneArea", "Details"),
          tx("NavPaneOrder", 10000),
          tx("NavigationPropertyName", navigation.single),
          tx("RelationshipRoleType", 1),
        ),
        el("EntityRelationshipRole", undefined, tx("NavigationPropertyName", navigation.collection), tx("RelationshipRoleType", 0)),
      ),
  );
}

/**
 * The system relationships a new user-owned table is exported with, plus one per lookup column.
 * Both real exports read for this (2022, 2023) list business unit, created by, modified by, owner,
 * team and user, and leave out the "on behalf by" ones, so those are left out here too.
 */
export function customTableRelationships(t: CustomTable): XNode[] {
  const e = t.schemaName.toLowerCase();
  const exported: Array<{ name: string; attribute: string; target: string }> = [
    { name: `business_unit_${e}`, attribute: "OwningBusinessUnit", target: SYSTEM_LOOKUPS.owningbusinessunit },
    { name: `lk_${e}_createdby`, attribute: "CreatedBy", target: SYSTEM_LOOKUPS.createdby },
    { name: `lk_${e}_modifiedby`, attribute: "ModifiedBy", target: SYSTEM_LOOKUPS.modifiedby },
    { name: `owner_${e}`, attribute: "OwnerId", target: "Owner" },
    { name: `team_${e}`, attribute: "OwningTeam", target: SYSTEM_LOOKUPS.owningteam },
    { name: `user_${e}`, attribute: "OwningUser", target: SYSTEM_LOOKUPS.owninguser },
  ];
  const systemAttrs = new Map(systemAttributes(t).map((a) => [a.physicalName, a]));
  const rels: Array<[string, XNode]> = exported.map((r) => [
    r.name,
    relationship(r.name, t.schemaName, r.target, r.attribute, "system", systemAttrs.get(r.attribute)?.description ?? label("", "")),
  ]);
  for (const c of t.columns.filter((c): c is LookupColumn => c.kind === "lookup")) {
    rels.push([
      c.relationshipName,
      relationship(c.relationshipName, t.schemaName, c.target.schemaName, c.schemaName, "lookup", c.description, {
        single: c.schemaName,
        collection: c.relationshipName,
      }),
    ]);
  }
  return rels.sort((a, b) => a[0].toLowerCase().localeCompare(b[0].toLowerCase())).map(([, n]) => n);
}
