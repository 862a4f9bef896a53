import type { Label } from "../labels";
import type { Column, Publisher } from "../model/types";
import { el, tx, type XNode } from "../xml";
import { labels } from "./common";

/**
 * One `<attribute>` node in the element order of real exports (solution-format.md §3.1/3.2): the
 * common block, then the type-specific elements, then display names and descriptions.
 */
export interface AttributeSpec {
  physicalName: string;
  type: string;
  requiredLevel: "none" | "recommended" | "applicationrequired" | "systemrequired";
  /** Left out for columns that exports write without one (owningteam, owninguser, time zone columns). */
  displayMask?: string;
  /** Left out for custom lookups, as exports do. */
  imeMode?: "auto" | "disabled" | "inactive";
  validForUpdate: boolean;
  validForCreate: boolean;
  isCustomField: boolean;
  isAuditEnabled: boolean;
  /** Written only for the logical owner columns (owningteam, owninguser). */
  isLogical?: boolean;
  /** Column security; off unless the column says otherwise. */
  isSecured?: boolean;
  introducedVersion: string;
  canModifyRequirementLevel: boolean;
  isSearchable: boolean;
  isFilterable: boolean;
  isRetrievable: boolean;
  typeElements: XNode[];
  displayName: Label;
  description: Label;
}

export function attributeNode(a: AttributeSpec): XNode {
  return el(
    "attribute",
    { PhysicalName: a.physicalName },
    tx("Type", a.type),
    tx("Name", a.physicalName.toLowerCase()),
    tx("LogicalName", a.physicalName.toLowerCase()),
    tx("RequiredLevel", a.requiredLevel),
    a.displayMask !== undefined && tx("DisplayMask", a.displayMask),
    a.imeMode !== undefined && tx("ImeMode", a.imeMode),
    tx("ValidForUpdateApi", a.validForUpdate),
    tx("ValidForReadApi", true),
    tx("ValidForCreateApi", a.validForCreate),
    tx("IsCustomField", a.isCustomField),
    tx("IsAuditEnabled", a.isAuditEnabled),
    a.isLogical !== undefined && tx("IsLogical", a.isLogical),
    tx("IsSecured", a.isSecured ?? false),
    tx("IntroducedVersion", a.introducedVersion),
    tx("IsCustomizable", true),
    tx("IsRenameable", true),
    tx("CanModifySearchSettings", true),
    tx("CanModifyRequirementLevelSettings", a.canModifyRequirementLevel),
    tx("CanModifyAdditionalSettings", true),
    tx("SourceType", 0),
    tx("IsGlobalFilterEnabled", false),
    tx("IsSortableEnabled", false),
    tx("CanModifyGlobalFilterSettings", true),
    tx("CanModifyIsSortableSettings", true),
    tx("IsDataSourceSecret", false),
    tx("AutoNumberFormat", ""),
    tx("IsSearchable", a.isSearchable),
    tx("IsFilterable", a.isFilterable),
    tx("IsRetrievable", a.isRetrievable),
    tx("IsLocalizable", false),
    a.typeElements,
    labels("displaynames", "displayname", a.displayName),
    labels("Descriptions", "Description", a.description),
  );
}

const NORMAL_MASK = "ValidForAdvancedFind|ValidForForm|ValidForGrid";
export const PRIMARY_NAME_MASK = "PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm";

/** The type name Dataverse writes in `<Type>` for each column kind of the model. */
export const ATTRIBUTE_TYPE: Record<Column["kind"], string> = {
  text: "nvarchar",
  memo: "ntext",
  yesno: "bit",
  datetime: "datetime",
  wholenumber: "int",
  choice: "picklist",
  lookup: "lookup",
};

/** Local option set of a choice or Yes/No column; `<entity>_<column>` is the name exports use. */
function optionSet(name: string, type: "bit" | "picklist", display: Label, description: Label, options: Array<{ value: number; label: Label }>): XNode {
  return el(
    "optionset",
    { Name: name },
    tx("OptionSetType", type),
    tx("IntroducedVersion", "1.0.0.0"),
    tx("IsCustomizable", true),
    tx("ExternalTypeName", ""),
    labels("displaynames", "displayname", display),
    labels("Descriptions", "Description", description),
    el(
      "options",
      undefined,
      options.map((o) => el("option", { value: o.value, ExternalValue: "", IsHidden: 0 }, labels("labels", "label", o.label))),
    ),
  );
}

/** Choice values of this publisher: prefix × 10000 + offset. */
export function choiceValue(publisher: Publisher, offset: number): number {
  return publisher.optionValuePrefix * 10000 + offset;
}

function typeElements(c: Column, entityLogicalName: string, publisher: Publisher): XNode[] {
  switch (c.kind) {
    case "text":
      return [tx("Format", c.format), tx("MaxLength", c.maxLength), tx("Length", c.maxLength * 2)];
    case "memo":
      return [tx("Format", "text"), tx("MaxLength", c.maxLength)];
    case "yesno":
      return [
        tx("AppDefaultValue", c.defaultValue ? 1 : 0),
        optionSet(`${entityLogicalName}_${c.schemaName.toLowerCase()}`, "bit", c.displayName, c.description, [
          { value: 1, label: c.yes },
          { value: 0, label: c.no },
        ]),
      ];
    case "datetime":
      // User local (behavior 1), date and time: the moment of a sync or an event.
      return [tx("Format", "datetime"), tx("CanChangeDateTimeBehavior", true), tx("Behavior", 1)];
    case "wholenumber":
      return [tx("Format", "none"), tx("MinValue", c.min), tx("MaxValue", c.max)];
    case "choice":
      return [
        tx("AppDefaultValue", c.defaultOffset === undefined ? -1 : choiceValue(publisher, c.defaultOffset)),
        optionSet(
          `${entityLogicalName}_${c.schemaName.toLowerCase()}`,
          "picklist",
          c.displayName,
          c.description,
          c.options.map((o) => ({ value: choiceValue(publisher, o.offset), label: o.label })),
        ),
      ];
    case "lookup":
      return [tx("LookupStyle", "single"), el("LookupTypes")];
  }
}

/** The `<attribute>` of a column the product defines. */
export function columnAttribute(c: Column, entityLogicalName: string, publisher: Publisher, primaryName = false): XNode {
  const imeMode = c.kind === "lookup" ? undefined : c.kind === "wholenumber" ? "disabled" : "auto";
  return attributeNode({
    physicalName: c.schemaName,
    type: ATTRIBUTE_TYPE[c.kind],
    requiredLevel: c.requiredLevel ?? "none",
    displayMask: primaryName ? PRIMARY_NAME_MASK : NORMAL_MASK,
    imeMode,
    validForUpdate: true,
    validForCreate: true,
    isCustomField: true,
    isAuditEnabled: c.auditEnabled ?? true,
    isSecured: c.secured,
    // Exports write "1.0" for the columns created with the table, "1.0.0.0" for those added later.
    introducedVersion: primaryName ? "1.0" : "1.0.0.0",
    canModifyRequirementLevel: true,
    isSearchable: primaryName,
    isFilterable: false,
    isRetrievable: primaryName,
    typeElements: typeElements(c, entityLogicalName, publisher),
    displayName: c.displayName,
    description: c.description,
  });
}
