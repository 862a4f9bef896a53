import { label, type Label } from "../labels";
import type { CustomTable } from "../model/types";
import { el, tx, type XNode } from "../xml";
import { labels } from "./common";
import type { AttributeSpec } from "./attributes";

/**
 * The system columns Dataverse creates with every user-owned table, as a real export writes them
 * (taken element by element from a CrmLive export of a new table; see solution-format.md §3.1).
 * Whether the importer would add them by itself is unknown, so they are shipped like an export does.
 */

const MASK = "ValidForAdvancedFind|ValidForForm|ValidForGrid";

type Flags = Pick<
  AttributeSpec,
  | "requiredLevel"
  | "displayMask"
  | "imeMode"
  | "validForUpdate"
  | "validForCreate"
  | "isAuditEnabled"
  | "isLogical"
  | "canModifyRequirementLevel"
  | "isFilterable"
  | "isRetrievable"
>;

function sys(physicalName: string, type: string, flags: Flags, typeElements: XNode[], displayName: Label, description: Label): AttributeSpec {
  return {
    physicalName,
    type,
    ...flags,
    isCustomField: false,
    introducedVersion: "1.0",
    isSearchable: false,
    typeElements,
    displayName,
    description,
  };
}

const lookupElements = (): XNode[] => [tx("LookupStyle", "single"), el("LookupTypes")];
const intElements = (min: number): XNode[] => [tx("Format", ""), tx("MinValue", min), tx("MaxValue", 2147483647)];
const dateTimeElements = (format: "datetime" | "date"): XNode[] => [tx("Format", format), tx("CanChangeDateTimeBehavior", false), tx("Behavior", 1)];

const readOnlyLookup: Flags = {
  requiredLevel: "none",
  displayMask: MASK,
  imeMode: "auto",
  validForUpdate: false,
  validForCreate: false,
  isAuditEnabled: false,
  canModifyRequirementLevel: true,
  isFilterable: false,
  isRetrievable: false,
};
const stamp: Flags = {
  requiredLevel: "none",
  displayMask: MASK,
  imeMode: "inactive",
  validForUpdate: false,
  validForCreate: false,
  isAuditEnabled: false,
  canModifyRequirementLevel: true,
  isFilterable: true,
  isRetrievable: true,
};
const logicalOwner: Flags = {
  requiredLevel: "none",
  imeMode: "auto",
  validForUpdate: false,
  validForCreate: false,
  isAuditEnabled: false,
  isLogical: true,
  canModifyRequirementLevel: true,
  isFilterable: false,
  isRetrievable: false,
};
const timeZone: Flags = {
  requiredLevel: "none",
  imeMode: "auto",
  validForUpdate: true,
  validForCreate: true,
  isAuditEnabled: false,
  canModifyRequirementLevel: true,
  isFilterable: false,
  isRetrievable: false,
};

function stateOptionSet(entityLogicalName: string, table: CustomTable): XNode {
  const state = (value: number, defaultStatus: number, invariant: string, l: Label): XNode =>
    el("state", { value, defaultstatus: defaultStatus, invariantname: invariant }, labels("labels", "label", l));
  return el(
    "optionset",
    { Name: `${entityLogicalName}_statecode` },
    tx("OptionSetType", "state"),
    tx("IntroducedVersion", "1.0"),
    labels("displaynames", "displayname", label("Status", "Status")),
    labels("Descriptions", "Description", label(`Status of the ${table.displayName.en}`, `Status des ${table.displayName.de}`)),
    el("states", undefined, state(0, 1, "Active", label("Active", "Aktiv")), state(1, 2, "Inactive", label("Inactive", "Inaktiv"))),
  );
}

function statusOptionSet(entityLogicalName: string, table: CustomTable): XNode {
  const status = (value: number, stateValue: number, l: Label): XNode => el("status", { value, state: stateValue }, labels("labels", "label", l));
  return el(
    "optionset",
    { Name: `${entityLogicalName}_statuscode` },
    tx("OptionSetType", "status"),
    tx("IntroducedVersion", "1.0"),
    labels("displaynames", "displayname", label("Status Reason", "Statusgrund")),
    labels("Descriptions", "Description", label(`Reason for the status of the ${table.displayName.en}`, `Grund für den Status des ${table.displayName.de}`)),
    el("statuses", undefined, status(1, 0, label("Active", "Aktiv")), status(2, 1, label("Inactive", "Inaktiv"))),
  );
}

/** The tables the system lookups point at, for the system relationships. */
export const SYSTEM_LOOKUPS = {
  createdby: "SystemUser",
  modifiedby: "SystemUser",
  owningbusinessunit: "BusinessUnit",
  owningteam: "Team",
  owninguser: "SystemUser",
} as const;

export function systemAttributes(table: CustomTable): AttributeSpec[] {
  const e = table.schemaName.toLowerCase();
  return [
    sys(
      `${table.schemaName}Id`,
      "primarykey",
      {
        requiredLevel: "systemrequired",
        displayMask: "ValidForAdvancedFind|RequiredForGrid",
        imeMode: "auto",
        validForUpdate: false,
        validForCreate: true,
        isAuditEnabled: false,
        canModifyRequirementLevel: false,
        isFilterable: true,
        isRetrievable: true,
      },
      [],
      table.displayName,
      label("Unique identifier for entity instances", "Eindeutiger Bezeichner für Entitätsinstanzen"),
    ),
    sys(
      "CreatedBy",
      "lookup",
      readOnlyLookup,
      lookupElements(),
      label("Created By", "Erstellt von"),
      label("Unique identifier of the user who created the record.", "Eindeutiger Bezeichner des Benutzers, der den Datensatz erstellt hat."),
    ),
    sys(
      "CreatedOn",
      "datetime",
      stamp,
      dateTimeElements("datetime"),
      label("Created On", "Erstellt am"),
      label("Date and time when the record was created.", "Datum und Uhrzeit der Erstellung des Datensatzes."),
    ),
    sys(
      "CreatedOnBehalfBy",
      "lookup",
      readOnlyLookup,
      lookupElements(),
      label("Created By (Delegate)", "Erstellt von (Stellvertretung)"),
      label(
        "Unique identifier of the delegate user who created the record.",
        "Eindeutiger Bezeichner des stellvertretenden Benutzers, der den Datensatz erstellt hat.",
      ),
    ),
    sys(
      "ImportSequenceNumber",
      "int",
      {
        requiredLevel: "none",
        displayMask: "ValidForAdvancedFind",
        imeMode: "disabled",
        validForUpdate: false,
        validForCreate: true,
        isAuditEnabled: true,
        canModifyRequirementLevel: true,
        isFilterable: false,
        isRetrievable: false,
      },
      intElements(-2147483648),
      label("Import Sequence Number", "Importsequenznummer"),
      label("Sequence number of the import that created this record.", "Sequenznummer des Imports, der diesen Datensatz erstellt hat."),
    ),
    sys(
      "ModifiedBy",
      "lookup",
      readOnlyLookup,
      lookupElements(),
      label("Modified By", "Geändert von"),
      label("Unique identifier of the user who modified the record.", "Eindeutiger Bezeichner des Benutzers, der den Datensatz geändert hat."),
    ),
    sys(
      "ModifiedOn",
      "datetime",
      stamp,
      dateTimeElements("datetime"),
      label("Modified On", "Geändert am"),
      label("Date and time when the record was modified.", "Datum und Uhrzeit der Änderung des Datensatzes."),
    ),
    sys(
      "ModifiedOnBehalfBy",
      "lookup",
      readOnlyLookup,
      lookupElements(),
      label("Modified By (Delegate)", "Geändert von (Stellvertretung)"),
      label(
        "Unique identifier of the delegate user who modified the record.",
        "Eindeutiger Bezeichner des stellvertretenden Benutzers, der den Datensatz geändert hat.",
      ),
    ),
    sys(
      "OverriddenCreatedOn",
      "datetime",
      {
        requiredLevel: "none",
        displayMask: "ValidForAdvancedFind|ValidForGrid",
        imeMode: "inactive",
        validForUpdate: false,
        validForCreate: true,
        isAuditEnabled: true,
        canModifyRequirementLevel: true,
        isFilterable: false,
        isRetrievable: false,
      },
      dateTimeElements("date"),
      label("Record Created On", "Datensatz erstellt am"),
      label("Date and time that the record was migrated.", "Datum und Uhrzeit der Migration des Datensatzes."),
    ),
    sys(
      "OwnerId",
      "owner",
      {
        requiredLevel: "systemrequired",
        displayMask: `${MASK}|RequiredForForm`,
        imeMode: "auto",
        validForUpdate: true,
        validForCreate: true,
        isAuditEnabled: true,
        canModifyRequirementLevel: true,
        isFilterable: true,
        isRetrievable: false,
      },
      [
        tx("LookupStyle", "single"),
        el(
          "LookupTypes",
          undefined,
          tx("LookupType", 8, { id: "00000000-0000-0000-0000-000000000000" }),
          tx("LookupType", 9, { id: "00000000-0000-0000-0000-000000000000" }),
        ),
      ],
      label("Owner", "Besitzer"),
      label("Owner Id", "Besitzer-ID"),
    ),
    sys(
      "OwningBusinessUnit",
      "lookup",
      { ...readOnlyLookup, isFilterable: true },
      lookupElements(),
      label("Owning Business Unit", "Besitzende Unternehmenseinheit"),
      label("Unique identifier for the business unit that owns the record", "Eindeutiger Bezeichner der Unternehmenseinheit, die den Datensatz besitzt"),
    ),
    sys(
      "OwningTeam",
      "lookup",
      logicalOwner,
      lookupElements(),
      label("Owning Team", "Besitzendes Team"),
      label("Unique identifier for the team that owns the record.", "Eindeutiger Bezeichner des Teams, das den Datensatz besitzt."),
    ),
    sys(
      "OwningUser",
      "lookup",
      logicalOwner,
      lookupElements(),
      label("Owning User", "Besitzender Benutzer"),
      label("Unique identifier for the user that owns the record.", "Eindeutiger Bezeichner des Benutzers, der den Datensatz besitzt."),
    ),
    sys(
      "statecode",
      "state",
      {
        requiredLevel: "systemrequired",
        displayMask: MASK,
        imeMode: "auto",
        validForUpdate: true,
        validForCreate: false,
        isAuditEnabled: true,
        canModifyRequirementLevel: true,
        isFilterable: true,
        isRetrievable: false,
      },
      [stateOptionSet(e, table)],
      label("Status", "Status"),
      label(`Status of the ${table.displayName.en}`, `Status des ${table.displayName.de}`),
    ),
    sys(
      "statuscode",
      "status",
      {
        requiredLevel: "none",
        displayMask: MASK,
        imeMode: "auto",
        validForUpdate: true,
        validForCreate: true,
        isAuditEnabled: true,
        canModifyRequirementLevel: true,
        isFilterable: false,
        isRetrievable: false,
      },
      [statusOptionSet(e, table)],
      label("Status Reason", "Statusgrund"),
      label(`Reason for the status of the ${table.displayName.en}`, `Grund für den Status des ${table.displayName.de}`),
    ),
    sys(
      "TimeZoneRuleVersionNumber",
      "int",
      timeZone,
      intElements(-1),
      label("Time Zone Rule Version Number", "Versionsnummer der Zeitzonenregel"),
      label("For internal use only.", "Nur zur internen Verwendung."),
    ),
    sys(
      "UTCConversionTimeZoneCode",
      "int",
      timeZone,
      intElements(-1),
      label("UTC Conversion Time Zone Code", "Zeitzonencode für UTC-Konvertierung"),
      label("Time zone code that was in use when the record was created.", "Zeitzonencode, der bei der Erstellung des Datensatzes verwendet wurde."),
    ),
  ];
}
