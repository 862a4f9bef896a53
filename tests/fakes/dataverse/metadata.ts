import { product } from "../../../solution/src/model/product";
import type { Column } from "../../../solution/src/model/types";
import { SYSTEM_COLUMN_LENGTHS } from "./columnLengths";

/**
 * Table metadata of the fake, as data. System tables follow the Dataverse entity reference
 * (MicrosoftDocs dynamics-365-customer-engagement, entities/*.md); our own columns and table are
 * derived from the solution model so the fake can never drift from what the zip ships.
 */

export type ColumnType =
  | "string"
  | "memo"
  | "int"
  | "bigint"
  | "decimal"
  | "bool"
  | "datetime"
  | "guid"
  | "choice"
  /** EntityName attributes (listmember.entitytype, campaignitem.entitytype): a logical name as text. */
  | "entityname";

export interface ColumnSpec {
  type: ColumnType;
  /** Allowed values of a choice column; undefined = not checked. */
  options?: readonly number[];
  /** Written by the platform only; a client value is ignored, as Dataverse does for createdon. */
  readOnly?: boolean;
  /** Text columns: the most characters a value may have (columnLengths.ts); longer is refused. */
  maxLength?: number;
}

export interface LookupTarget {
  entity: string;
  /** Single-valued navigation property for @odata.bind and $expand; absent where the Web API has none. */
  navigation?: string;
}

export interface LookupSpec {
  /** Logical name of the lookup (parentcustomerid); stored and returned as `_<name>_value`. */
  name: string;
  targets: readonly LookupTarget[];
}

export interface StateSpec {
  /** statecode → the statuscode Dataverse sets when only statecode is written. */
  defaultStatus: Readonly<Record<number, number>>;
}

export interface TableSpec {
  logicalName: string;
  entitySetName: string;
  primaryId: string;
  primaryName: string;
  columns: Readonly<Record<string, ColumnSpec>>;
  lookups: readonly LookupSpec[];
  /** Undefined for tables without statecode/statuscode (the intersect tables). */
  state?: StateSpec;
  /**
   * Intersect tables are written through Associate/Disassociate (or AddMemberList), never with a
   * plain POST: a flow that tries is wrong, so the fake refuses.
   */
  intersect?: boolean;
}

/** N:N relationship whose rows live in an intersect table. */
export interface ManyToManySpec {
  name: string;
  intersect: string;
  /** The side that owns the relationship in the UI (list, campaign, campaign activity). */
  owner: { entity: string; column: string };
  /** The other side; `typeColumn` records the member's logical name where the table has one. */
  member: { entity: string; column: string; typeColumn?: string };
}

const c = (type: ColumnType, extra: Omit<ColumnSpec, "type"> = {}): ColumnSpec => ({ type, ...extra });
const readOnly = (type: ColumnType): ColumnSpec => ({ type, readOnly: true });

/** Columns every table has in the fake. */
const SYSTEM_COLUMNS: Record<string, ColumnSpec> = {
  createdon: readOnly("datetime"),
  modifiedon: readOnly("datetime"),
  versionnumber: readOnly("bigint"),
};

const stateColumns = (statuscodes: readonly number[]): Record<string, ColumnSpec> => ({
  statecode: c("choice"),
  statuscode: c("choice", { options: statuscodes }),
});

export const lookupValueKey = (lookup: string): string => `_${lookup}_value`;
export const LOOKUP_LOGICAL_NAME = "@Microsoft.Dynamics.CRM.lookuplogicalname";

function columnSpecFromModel(column: Column, optionValuePrefix: number): ColumnSpec | undefined {
  switch (column.kind) {
    case "text":
      return c("string", { maxLength: column.maxLength });
    case "memo":
      return c("memo", { maxLength: column.maxLength });
    case "yesno":
      return c("bool");
    case "datetime":
      return c("datetime");
    case "wholenumber":
      return c("int");
    case "choice":
      return c("choice", { options: column.options.map((o) => optionValuePrefix * 10000 + o.offset) });
    case "lookup":
      return undefined;
  }
}

/** Our columns on a system table, from the solution model. */
function productColumns(logicalName: string): Record<string, ColumnSpec> {
  const out: Record<string, ColumnSpec> = {};
  for (const ext of product.extensions.filter((e) => e.table.logicalName === logicalName)) {
    for (const col of ext.columns) {
      const spec = columnSpecFromModel(col, product.publisher.optionValuePrefix);
      if (spec) out[col.schemaName.toLowerCase()] = spec;
    }
  }
  return out;
}

const ACTIVE_INACTIVE: StateSpec = { defaultStatus: { 0: 1, 1: 2 } };

const contact: TableSpec = {
  logicalName: "contact",
  entitySetName: "contacts",
  primaryId: "contactid",
  primaryName: "fullname",
  columns: {
    contactid: c("guid"),
    firstname: c("string"),
    middlename: c("string"),
    lastname: c("string"),
    // Computed by Dataverse from first/last name; clients cannot set it.
    fullname: readOnly("string"),
    salutation: c("string"),
    jobtitle: c("string"),
    emailaddress1: c("string"),
    emailaddress2: c("string"),
    telephone1: c("string"),
    mobilephone: c("string"),
    address1_line1: c("string"),
    address1_postalcode: c("string"),
    address1_city: c("string"),
    address1_country: c("string"),
    description: c("memo"),
    donotbulkemail: c("bool"),
    donotemail: c("bool"),
    ...stateColumns([1, 2]),
    ...productColumns("contact"),
    ...SYSTEM_COLUMNS,
  },
  lookups: [
    {
      name: "parentcustomerid",
      targets: [
        { entity: "account", navigation: "parentcustomerid_account" },
        { entity: "contact", navigation: "parentcustomerid_contact" },
      ],
    },
  ],
  state: ACTIVE_INACTIVE,
};

const lead: TableSpec = {
  logicalName: "lead",
  entitySetName: "leads",
  primaryId: "leadid",
  primaryName: "fullname",
  columns: {
    leadid: c("guid"),
    subject: c("string"),
    firstname: c("string"),
    middlename: c("string"),
    lastname: c("string"),
    fullname: readOnly("string"),
    salutation: c("string"),
    jobtitle: c("string"),
    companyname: c("string"),
    emailaddress1: c("string"),
    emailaddress2: c("string"),
    telephone1: c("string"),
    mobilephone: c("string"),
    address1_city: c("string"),
    address1_country: c("string"),
    description: c("memo"),
    donotbulkemail: c("bool"),
    donotemail: c("bool"),
    // Open: New 1, Contacted 2; Qualified: 3; Disqualified: Lost 4, Cannot Contact 5, No Longer Interested 6, Canceled 7.
    ...stateColumns([1, 2, 3, 4, 5, 6, 7]),
    ...productColumns("lead"),
    ...SYSTEM_COLUMNS,
  },
  lookups: [
    { name: "parentaccountid", targets: [{ entity: "account", navigation: "parentaccountid" }] },
    { name: "parentcontactid", targets: [{ entity: "contact", navigation: "parentcontactid" }] },
    // "Source Campaign": how a lead belongs to a campaign (flows/product/README.md, "Eligibility").
    { name: "campaignid", targets: [{ entity: "campaign", navigation: "campaignid" }] },
  ],
  state: { defaultStatus: { 0: 1, 1: 3, 2: 4 } },
};

const account: TableSpec = {
  logicalName: "account",
  entitySetName: "accounts",
  primaryId: "accountid",
  primaryName: "name",
  columns: {
    accountid: c("guid"),
    name: c("string"),
    accountnumber: c("string"),
    emailaddress1: c("string"),
    telephone1: c("string"),
    address1_city: c("string"),
    address1_country: c("string"),
    description: c("memo"),
    ...stateColumns([1, 2]),
    ...SYSTEM_COLUMNS,
  },
  lookups: [
    { name: "primarycontactid", targets: [{ entity: "contact", navigation: "primarycontactid" }] },
    { name: "parentaccountid", targets: [{ entity: "account", navigation: "parentaccountid" }] },
  ],
  state: ACTIVE_INACTIVE,
};

const list: TableSpec = {
  logicalName: "list",
  entitySetName: "lists",
  primaryId: "listid",
  primaryName: "listname",
  columns: {
    listid: c("guid"),
    listname: c("string"),
    // false = static (members in listmember), true = dynamic (members are the result of `query`).
    type: c("bool"),
    query: c("memo"),
    // Member table: 1 account, 2 contact, 4 lead.
    createdfromcode: c("choice", { options: [1, 2, 4] }),
    membertype: c("int"),
    membercount: c("int"),
    purpose: c("string"),
    source: c("string"),
    description: c("memo"),
    lockstatus: c("bool"),
    // The list is the odd table whose status reasons start at 0: Active 0, Inactive 1.
    ...stateColumns([0, 1]),
    ...productColumns("list"),
    ...SYSTEM_COLUMNS,
  },
  lookups: [],
  state: { defaultStatus: { 0: 0, 1: 1 } },
};

const campaign: TableSpec = {
  logicalName: "campaign",
  entitySetName: "campaigns",
  primaryId: "campaignid",
  primaryName: "name",
  columns: {
    campaignid: c("guid"),
    name: c("string"),
    codename: c("string"),
    description: c("memo"),
    typecode: c("choice"),
    actualstart: c("datetime"),
    actualend: c("datetime"),
    // Active: Proposed 0, Ready To Launch 1, Launched 2, Completed 3, Canceled 4, Suspended 5; Inactive: 6.
    ...stateColumns([0, 1, 2, 3, 4, 5, 6]),
    ...productColumns("campaign"),
    ...SYSTEM_COLUMNS,
  },
  lookups: [],
  state: { defaultStatus: { 0: 0, 1: 6 } },
};

const campaignactivity: TableSpec = {
  logicalName: "campaignactivity",
  entitySetName: "campaignactivities",
  primaryId: "activityid",
  primaryName: "subject",
  columns: {
    activityid: c("guid"),
    subject: c("string"),
    description: c("memo"),
    channeltypecode: c("choice"),
    typecode: c("choice"),
    scheduledstart: c("datetime"),
    scheduledend: c("datetime"),
    actualstart: c("datetime"),
    actualend: c("datetime"),
    activitytypecode: readOnly("entityname"),
    // Open: Proposed 1, In Progress 2, Pending 4, System Aborted 5, Completed 6; Closed: 3; Canceled: 7 (not verified).
    ...stateColumns([1, 2, 3, 4, 5, 6, 7]),
    ...productColumns("campaignactivity"),
    ...SYSTEM_COLUMNS,
  },
  lookups: [
    {
      name: "regardingobjectid",
      targets: [{ entity: "campaign", navigation: "regardingobjectid_campaign_campaignactivity" }],
    },
  ],
  state: { defaultStatus: { 0: 1, 1: 3, 2: 7 } },
};

// The intersect tables have lookup properties but no single-valued navigation properties in the
// Web API (entity reference: "has no single-valued navigation properties" for the custom lookups).
const listmember: TableSpec = {
  logicalName: "listmember",
  entitySetName: "listmembers",
  primaryId: "listmemberid",
  primaryName: "name",
  columns: { listmemberid: c("guid"), name: c("string"), entitytype: c("entityname"), ...SYSTEM_COLUMNS },
  lookups: [
    { name: "listid", targets: [{ entity: "list" }] },
    { name: "entityid", targets: [{ entity: "account" }, { entity: "contact" }, { entity: "lead" }] },
  ],
  intersect: true,
};

const campaignitem: TableSpec = {
  logicalName: "campaignitem",
  entitySetName: "campaignitems",
  primaryId: "campaignitemid",
  primaryName: "name",
  // entityid is a plain Edm.Guid here, not a lookup; entitytype names the item's table ("list").
  columns: {
    campaignitemid: c("guid"),
    name: c("string"),
    entityid: c("guid"),
    entitytype: c("entityname"),
    ...SYSTEM_COLUMNS,
  },
  lookups: [{ name: "campaignid", targets: [{ entity: "campaign" }] }],
  intersect: true,
};

const campaignactivityitem: TableSpec = {
  logicalName: "campaignactivityitem",
  entitySetName: "campaignactivityitems",
  primaryId: "campaignactivityitemid",
  primaryName: "campaignactivityitemid",
  columns: {
    campaignactivityitemid: c("guid"),
    itemid: c("guid"),
    itemobjecttypecode: c("entityname"),
    ...SYSTEM_COLUMNS,
  },
  lookups: [{ name: "campaignactivityid", targets: [{ entity: "campaignactivity" }] }],
  intersect: true,
};

// Environment variables as Dataverse keeps them: the definition with its default, a value row
// with the current value (environmentvariabledefinition / environmentvariablevalue table
// references; the value's lookup environmentvariabledefinitionid, navigation
// EnvironmentVariableDefinitionId, relationship environmentvariabledefinition_environmentvariablevalue).
const environmentvariabledefinition: TableSpec = {
  logicalName: "environmentvariabledefinition",
  entitySetName: "environmentvariabledefinitions",
  primaryId: "environmentvariabledefinitionid",
  primaryName: "schemaname",
  columns: { environmentvariabledefinitionid: c("guid"), schemaname: c("string"), defaultvalue: c("memo"), ...stateColumns([1, 2]), ...SYSTEM_COLUMNS },
  lookups: [],
  state: ACTIVE_INACTIVE,
};

const environmentvariablevalue: TableSpec = {
  logicalName: "environmentvariablevalue",
  entitySetName: "environmentvariablevalues",
  primaryId: "environmentvariablevalueid",
  primaryName: "schemaname",
  columns: { environmentvariablevalueid: c("guid"), schemaname: c("string"), value: c("memo"), ...stateColumns([1, 2]), ...SYSTEM_COLUMNS },
  lookups: [{ name: "environmentvariabledefinitionid", targets: [{ entity: "environmentvariabledefinition", navigation: "EnvironmentVariableDefinitionId" }] }],
  state: ACTIVE_INACTIVE,
};

/** Our own tables (Receiver State, Group Link), built from the solution model's custom tables. */
function customTable(model: (typeof product.tables)[number]): TableSpec {
  const logicalName = model.schemaName.toLowerCase();
  const columns: Record<string, ColumnSpec> = {
    [`${logicalName}id`]: c("guid"),
    [model.primaryName.schemaName.toLowerCase()]: c("string", { maxLength: model.primaryName.maxLength }),
  };
  const lookups: LookupSpec[] = [];
  for (const col of model.columns) {
    if (col.kind === "lookup") {
      // Custom lookups: the navigation property is the lookup's SchemaName (case matters in @odata.bind).
      lookups.push({ name: col.schemaName.toLowerCase(), targets: [{ entity: col.target.logicalName, navigation: col.schemaName }] });
    } else {
      const spec = columnSpecFromModel(col, product.publisher.optionValuePrefix);
      if (spec) columns[col.schemaName.toLowerCase()] = spec;
    }
  }
  return {
    logicalName,
    // The maker portal pluralises a custom table's entity set by appending "s".
    entitySetName: `${logicalName}s`,
    primaryId: `${logicalName}id`,
    primaryName: model.primaryName.schemaName.toLowerCase(),
    columns: { ...columns, ...stateColumns([1, 2]), ...SYSTEM_COLUMNS },
    lookups,
    state: ACTIVE_INACTIVE,
  };
}

/** A system table with the documented lengths of its text columns (columnLengths.ts). */
function withLengths(table: TableSpec): TableSpec {
  const lengths = SYSTEM_COLUMN_LENGTHS[table.logicalName] ?? {};
  const columns: Record<string, ColumnSpec> = { ...table.columns };
  for (const [name, { maxLength }] of Object.entries(lengths)) {
    const col = columns[name];
    if (!col) throw new Error(`columnLengths.ts names ${table.logicalName}.${name}, which the fake does not have`);
    columns[name] = { ...col, maxLength };
  }
  return { ...table, columns };
}

export const TABLES: readonly TableSpec[] = [
  contact,
  lead,
  account,
  list,
  listmember,
  campaign,
  campaignitem,
  campaignactivity,
  campaignactivityitem,
  environmentvariabledefinition,
  environmentvariablevalue,
]
  .map(withLengths)
  .concat(product.tables.map(customTable));

/** The N:N relationships of marketing lists, campaigns and campaign activities (entity reference, list.md). */
export const RELATIONSHIPS: readonly ManyToManySpec[] = [
  {
    name: "listcontact_association",
    intersect: "listmember",
    owner: { entity: "list", column: "_listid_value" },
    member: { entity: "contact", column: "_entityid_value", typeColumn: "entitytype" },
  },
  {
    name: "listlead_association",
    intersect: "listmember",
    owner: { entity: "list", column: "_listid_value" },
    member: { entity: "lead", column: "_entityid_value", typeColumn: "entitytype" },
  },
  {
    name: "listaccount_association",
    intersect: "listmember",
    owner: { entity: "list", column: "_listid_value" },
    member: { entity: "account", column: "_entityid_value", typeColumn: "entitytype" },
  },
  {
    name: "campaignlist_association",
    intersect: "campaignitem",
    owner: { entity: "campaign", column: "_campaignid_value" },
    member: { entity: "list", column: "entityid", typeColumn: "entitytype" },
  },
  {
    name: "campaignactivitylist_association",
    intersect: "campaignactivityitem",
    owner: { entity: "campaignactivity", column: "_campaignactivityid_value" },
    member: { entity: "list", column: "itemid", typeColumn: "itemobjecttypecode" },
  },
];

/** list.createdfromcode → the member table it admits. */
export const LIST_MEMBER_TABLE: Readonly<Record<number, string>> = { 1: "account", 2: "contact", 4: "lead" };

const byLogical = new Map(TABLES.map((t) => [t.logicalName, t]));
const bySet = new Map(TABLES.map((t) => [t.entitySetName, t]));

export const tableByLogicalName = (name: string): TableSpec | undefined => byLogical.get(name);
export const tableByEntitySet = (set: string): TableSpec | undefined => bySet.get(set);

export function tableByName(name: string): TableSpec {
  const table = byLogical.get(name) ?? bySet.get(name);
  if (!table) throw new Error(`the fake Dataverse has no table "${name}"`);
  return table;
}

export function lookupByValueKey(table: TableSpec, key: string): LookupSpec | undefined {
  return table.lookups.find((l) => lookupValueKey(l.name) === key);
}

export function lookupByNavigation(table: TableSpec, navigation: string): { lookup: LookupSpec; target: LookupTarget } | undefined {
  for (const lookup of table.lookups) {
    const target = lookup.targets.find((t) => t.navigation === navigation);
    if (target) return { lookup, target };
  }
  return undefined;
}

/** Every property a row of the table returns: columns plus `_x_value` of each lookup. */
export function readableProperties(table: TableSpec): string[] {
  return [...Object.keys(table.columns), ...table.lookups.map((l) => lookupValueKey(l.name))];
}

/** The column type of a readable property (lookups read as GUIDs). */
export function propertyType(table: TableSpec, property: string): ColumnType | undefined {
  const col = table.columns[property];
  if (col) return col.type;
  return lookupByValueKey(table, property) ? "guid" : undefined;
}

export const qualifiedTypeName = (table: TableSpec): string => `Microsoft.Dynamics.CRM.${table.logicalName}`;
