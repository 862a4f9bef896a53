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
  /**
   * A Choices (multi-select) column: the Web API gives and takes the selected option values as one
   * comma-separated string, "100000000,100000001" (multi-select-picklist.md, MicrosoftDocs powerapps-docs).
   */
  | "multichoice"
  /**
   * A file column: read back as the file's id, a GUID ("The value returned is the file id"), with a
   * read-only companion `<column>_name`; its data is never set by create or update
   * (image-column-data.md, file-column-data.md). The fake keeps the id and ignores a client's value.
   */
  | "file"
  /**
   * An image column: read back as the thumbnail's bytes (Edm.Binary, base64 in JSON: "You can
   * retrieve thumb-nail sized images with other record data"), with a companion `<column>_url`
   * (image-column-data.md; contact.md: entityimage, entityimage_url, entityimage_timestamp).
   */
  | "image"
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
  /**
   * Choice, status and Choices columns: each option's label, as the entity reference lists it
   * ("Choices/Options"), or the model's English label for our own columns. The formatted value
   * (formattedValues.ts) is this label; a choice column without labels gets no formatted value.
   */
  labels?: Readonly<Record<number, string>>;
  /** Yes/No columns: the True and False labels of the entity reference ("True Label", "False Label"). */
  yesNo?: { readonly yes: string; readonly no: string };
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

const stateColumns = (
  statuscodes: readonly number[],
  labels?: { state: Record<number, string>; status: Record<number, string> },
): Record<string, ColumnSpec> => ({
  statecode: c("choice", labels ? { labels: labels.state } : {}),
  statuscode: c("choice", { options: statuscodes, ...(labels ? { labels: labels.status } : {}) }),
});

/** Labels of the entity reference (contact.md, account.md: "Active"/"Inactive", status reasons 1 Active, 2 Inactive). */
const ACTIVE_INACTIVE_LABELS = { state: { 0: "Active", 1: "Inactive" }, status: { 1: "Active", 2: "Inactive" } };
/** "Do Not Allow" / "Allow": the True/False labels of contact.donotemail and donotbulkemail (contact.md, lead.md). */
const DO_NOT_ALLOW = { yes: "Do Not Allow", no: "Allow" } as const;
/** PreferredContactMethodCode Choices/Options, the same on contact and lead (contact.md, lead.md). */
const PREFERRED_CONTACT_METHOD = { 1: "Any", 2: "Email", 3: "Phone", 4: "Fax", 5: "Mail" } as const;

/**
 * Two custom columns as a maker adds them to a person table, so that tests can map a custom choice
 * and a Choices (multi-select) column: test fixtures, not part of the solution. Their option values
 * follow a publisher prefix of 10000 (100000000, 100000001 …), as the maker portal numbers them.
 */
const MAKER_COLUMNS: Record<string, ColumnSpec> = {
  new_customertier: c("choice", { options: [100000000, 100000001, 100000002], labels: { 100000000: "Gold", 100000001: "Silver", 100000002: "Bronze" } }),
  new_interests: c("multichoice", {
    options: [100000000, 100000001, 100000002],
    labels: { 100000000: "Newsletter", 100000001: "Events", 100000002: "Webinars" },
  }),
  new_contract: { type: "file", readOnly: true },
  new_contract_name: readOnly("string"),
};

export const lookupValueKey = (lookup: string): string => `_${lookup}_value`;
export const LOOKUP_LOGICAL_NAME = "@Microsoft.Dynamics.CRM.lookuplogicalname";

function columnSpecFromModel(column: Column, optionValuePrefix: number): ColumnSpec | undefined {
  switch (column.kind) {
    case "text":
      return c("string", { maxLength: column.maxLength });
    case "memo":
      return c("memo", { maxLength: column.maxLength });
    case "yesno":
      return c("bool", { yesNo: { yes: column.yes.en, no: column.no.en } });
    case "datetime":
      return c("datetime");
    case "wholenumber":
      return c("int");
    case "choice":
      return c("choice", {
        options: column.options.map((o) => optionValuePrefix * 10000 + o.offset),
        labels: Object.fromEntries(column.options.map((o) => [optionValuePrefix * 10000 + o.offset, o.label.en])),
      });
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
    donotbulkemail: c("bool", { yesNo: DO_NOT_ALLOW }),
    donotemail: c("bool", { yesNo: DO_NOT_ALLOW }),
    preferredcontactmethodcode: c("choice", { options: [1, 2, 3, 4, 5], labels: PREFERRED_CONTACT_METHOD }),
    // Whole number and date columns (contact.md): their formatted values are not labels.
    numberofchildren: c("int"),
    birthdate: c("datetime"),
    entityimage: c("image"),
    entityimage_url: readOnly("string"),
    entityimage_timestamp: readOnly("bigint"),
    ...MAKER_COLUMNS,
    ...stateColumns([1, 2], ACTIVE_INACTIVE_LABELS),
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
    donotbulkemail: c("bool", { yesNo: DO_NOT_ALLOW }),
    donotemail: c("bool", { yesNo: DO_NOT_ALLOW }),
    preferredcontactmethodcode: c("choice", { options: [1, 2, 3, 4, 5], labels: PREFERRED_CONTACT_METHOD }),
    numberofemployees: c("int"),
    ...MAKER_COLUMNS,
    // Open: New 1, Contacted 2; Qualified: 3; Disqualified: Lost 4, Cannot Contact 5, No Longer Interested 6, Canceled 7 (lead.md).
    ...stateColumns([1, 2, 3, 4, 5, 6, 7], {
      state: { 0: "Open", 1: "Qualified", 2: "Disqualified" },
      status: { 1: "New", 2: "Contacted", 3: "Qualified", 4: "Lost", 5: "Cannot Contact", 6: "No Longer Interested", 7: "Canceled" },
    }),
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

/**
 * String Map: one row per option label of the choice, status and status reason columns, per
 * language (objecttypecode = the table's logical name, attributename, attributevalue = the option
 * value, value = the label, langid, displayorder). Queried as `stringmaps?$filter=objecttypecode eq
 * 'account' and attributename eq 'address1_shippingmethodcode'` (renenyffenegger.ch, "OData-Service-
 * Root/stringmaps"; strohmayer.dev 2023-09-01, "the hidden Stringmaps entity"; CRM's StringMapBase
 * holds statecode too, technicalreflections 2012). Read-only here: its rows come from the fake's own
 * column labels (formattedValues.ts, stringMapRows). No source says it holds Yes/No or Choices
 * (multi-select) labels, so, stricter, the fake keeps none for them.
 */
const stringmap: TableSpec = {
  logicalName: "stringmap",
  entitySetName: "stringmaps",
  primaryId: "stringmapid",
  primaryName: "value",
  columns: {
    stringmapid: c("guid"),
    objecttypecode: readOnly("entityname"),
    attributename: readOnly("string"),
    attributevalue: readOnly("int"),
    value: readOnly("string"),
    langid: readOnly("int"),
    displayorder: readOnly("int"),
  },
  lookups: [],
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
  stringmap,
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
