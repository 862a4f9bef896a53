import { createHash } from "node:crypto";

/**
 * Dataverse naming rules, shared by the model (to fail early) and by `verify` (to check a zip).
 *
 * Limits are deliberately conservative: a name inside them imports; a few longer names would too,
 * but nothing in this product needs them.
 */

/** Publisher prefix: 2–8 letters/digits, starting with a letter, never "mscrm" (reserved). */
export function prefixProblem(prefix: string): string | undefined {
  if (!/^[a-z][a-z0-9]{1,7}$/.test(prefix)) {
    return `publisher prefix "${prefix}" must be 2-8 lower-case letters or digits starting with a letter`;
  }
  if (prefix.startsWith("mscrm")) return `publisher prefix "${prefix}" is reserved`;
  return undefined;
}

export const MAX_TABLE_OR_COLUMN_NAME = 50;
export const MAX_RELATIONSHIP_NAME = 100;
export const MAX_ENVVAR_NAME = 100;

/**
 * Problem with a schema name of a component this product creates, or undefined when it is valid:
 * `<prefix>_` followed by letters, digits and underscores, within `max` characters.
 */
export function schemaNameProblem(name: string, prefix: string, max: number): string | undefined {
  if (!name.toLowerCase().startsWith(`${prefix.toLowerCase()}_`)) {
    return `"${name}" does not start with the publisher prefix "${prefix}_"`;
  }
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
    return `"${name}" may only contain letters, digits and underscores and must start with a letter`;
  }
  if (name.length <= prefix.length + 1) return `"${name}" has nothing after the prefix`;
  if (name.length > max) return `"${name}" is ${name.length} characters long (at most ${max})`;
  return undefined;
}

/**
 * The solution name of a custom connector as Dataverse exports it: `<prefix>_5F` + the display name
 * lower-cased with every character other than a-z/0-9 written as `-XX` (upper-case hex).
 * ("CT Contract Search" → `cttech_5Fct-20contract-20search`, seen in real exports.)
 */
export function connectorSchemaName(prefix: string, displayName: string): string {
  const encoded = [...displayName.toLowerCase()].map((ch) => (/[a-z0-9]/.test(ch) ? ch : encodeChar(ch))).join("");
  return `${prefix}_5F${encoded}`;
}

function encodeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code > 0xff) throw new Error(`connector display name character "${ch}" cannot be encoded`);
  return `-${code.toString(16).toUpperCase().padStart(2, "0")}`;
}

/** Hex digits of the suffix an environment gives a custom connector's API name (real exports: 16). */
const API_NAME_SUFFIX_DIGITS = 16;

/**
 * Runtime API name a flow uses for our custom connector, as real exports write it:
 * `shared_<prefix>-5f<same encoding, lower-case hex>-5f<16 hex digits>`, the suffix being the one
 * the exporting environment gave the connector (microsoft/powercat-business-approvals-kit:
 * `shared_cat-5fmicrosoft-20graph-20mailboxsetting-5f21dec655d73f3a8c`, with the connection
 * reference's `customconnectorid` naming the connector). Ours is derived from the connector's id,
 * so every build writes the same name; the importing environment maps it through customconnectorid.
 */
export function connectorApiName(prefix: string, displayName: string, connectorId: string): string {
  const schema = connectorSchemaName(prefix, displayName);
  const suffix = createHash("sha1").update(connectorId.toLowerCase()).digest("hex").slice(0, API_NAME_SUFFIX_DIGITS);
  return `shared_${schema.replace(/_5F/, "-5f").replace(/-([0-9A-F]{2})/g, (_m, h: string) => `-${h.toLowerCase()}`)}-5f${suffix}`;
}

/** A display name without spaces and punctuation, as exports put it into file names. */
export const compactName = (displayName: string): string => displayName.replace(/[^A-Za-z0-9]/g, "");

/** `Workflows/<display name without spaces and punctuation>-<GUID upper-case>.json`, as exports name it. */
export function workflowFileName(displayName: string, workflowId: string): string {
  return `Workflows/${compactName(displayName)}-${workflowId.toUpperCase()}.json`;
}

/** The Web API entity set Dataverse gives a table the product creates: logical name + "s". */
export const customTableEntitySetName = (tableSchemaName: string): string => `${tableSchemaName.toLowerCase()}s`;
/** The primary key column Dataverse gives a table the product creates: logical name + "id". */
export const customTablePrimaryKey = (tableSchemaName: string): string => `${tableSchemaName.toLowerCase()}id`;

/**
 * The access rights a table privilege is named after: `prv<access><table schema name>`, the table
 * in its schema-name casing (`prvReadarcher_AppLanguage`, `prvAppendToadmin_App` in the exported
 * roles of pnp/powerplatform-samples prompt-wagon and microsoft/coe-starter-kit; `prvReadList`,
 * `prvAppendToList` in Microsoft's privilege reference). "AppendTo" before "Append", so that a
 * name is read back with the longer one first.
 */
export const TABLE_PRIVILEGE_ACCESS = ["Create", "Read", "Write", "Delete", "AppendTo", "Append", "Assign", "Share"] as const;
export type TableAccess = (typeof TABLE_PRIVILEGE_ACCESS)[number];

/** How far a role privilege reaches: `RolePrivilege@level`, the CRM SDK XSD's PrivilegeLevelType. */
export const PRIVILEGE_DEPTHS = ["Basic", "Local", "Deep", "Global"] as const;

export const tablePrivilegeName = (access: TableAccess, tableSchemaName: string): string => `prv${access}${tableSchemaName}`;

/** The access and table a privilege name stands for, or undefined when it is not a table privilege. */
export function parseTablePrivilege(name: string): { access: TableAccess; table: string } | undefined {
  for (const access of TABLE_PRIVILEGE_ACCESS) {
    const head = `prv${access}`;
    if (name.startsWith(head) && name.length > head.length) return { access, table: name.slice(head.length) };
  }
  return undefined;
}

/**
 * Activity tables have no privileges of their own: they use those of ActivityPointer, named
 * "Activity" (Microsoft's "CampaignActivity entity privileges" and "CampaignResponse entity
 * privileges": "uses the privileges for the ActivityPointer entity"; `prvAppendToActivity`,
 * `prvReadActivity` in "AddItemCampaignActivity message privileges"). Only the activity tables
 * whose pages were read are listed; every activity table is said to do the same.
 */
export const ACTIVITY_PRIVILEGE_TABLE = "Activity";
export const ACTIVITY_TABLES: readonly string[] = ["CampaignActivity", "CampaignResponse"];

/** The table whose privileges guard `tableSchemaName`. */
export const privilegeTableOf = (tableSchemaName: string): string => (ACTIVITY_TABLES.includes(tableSchemaName) ? ACTIVITY_PRIVILEGE_TABLE : tableSchemaName);

/**
 * System tables whose privileges a role of this product may name although the zip does not carry
 * the table, each with where its privilege names were seen.
 */
export const SYSTEM_PRIVILEGE_TABLES = {
  /** Cloud flows are rows of the process table: `prvReadWorkflow`, `prvWriteWorkflow` (real exported roles: pnp/powerplatform-samples termbuddy, coe-starter-kit "Power Platform Admin SR"). */
  workflow: "Workflow",
  /** `prvReadEnvironmentVariableDefinition`, `prvWriteEnvironmentVariableDefinition`, `prvCreateEnvironmentVariableDefinition` (coe-starter-kit "Power Platform Admin SR"). */
  environmentVariableDefinition: "EnvironmentVariableDefinition",
  activity: ACTIVITY_PRIVILEGE_TABLE,
} as const;
