import { stableId } from "../ids";
import { privilegeTableOf, SYSTEM_PRIVILEGE_TABLES, TABLE_PRIVILEGE_ACCESS, tablePrivilegeName, type TableAccess } from "../naming";
import { extensions, LOOKUP_TARGETS } from "./columns";
import { customTables, receiverState, mailingResult, syncLog } from "./customTables";
import type { Column, FieldPermission, FieldSecurityProfile, PrivilegeDepth, RolePrivilege, SecurityRole } from "./types";

/**
 * Who may do what with the product's data (README.md, "Security model"). Roles reach the product's
 * tables; field security profiles reach the columns only the flows write (`secured`). Neither
 * grants anything on contacts, leads, lists, campaigns or campaign activities as records: users
 * keep the roles they have for those (Salesperson, Marketing Professional, …), since roles add up
 * and a product role that read every contact would quietly widen what its holders see.
 *
 * The rows of the product's tables are owned by the identity the flows run as, so every privilege
 * on them is Global: at any smaller depth users would not see rows they do not own.
 */

const privileges = (table: string, access: readonly TableAccess[], depth: PrivilegeDepth): RolePrivilege[] =>
  access.map((a) => ({ name: tablePrivilegeName(a, table), depth }));

const { workflow, environmentVariableDefinition } = SYSTEM_PRIVILEGE_TABLES;

/** The tables the product's lookups point at, by the table their privileges are named after. */
const lookupTargetPrivilegeTables = [...new Set(Object.values(LOOKUP_TARGETS).map((t) => privilegeTableOf(t.schemaName)))];

/**
 * Configures the product, runs and repairs its flows, sees and corrects the sync state: full
 * access to the product's tables, and (with the profile of the same name) to the secured columns.
 */
export const ADMINISTRATOR_ROLE: SecurityRole = {
  id: stableId("role:administrator"),
  name: "CleverReach Administrator",
  privileges: [
    ...customTables.flatMap((t) => privileges(t.schemaName, TABLE_PRIVILEGE_ACCESS, "Global")),
    // Setting a Receiver State's or Mailing Result's contact, lead or owning record by hand needs
    // "append to" on the record it points at (Append on the row is granted above).
    ...lookupTargetPrivilegeTables.flatMap((t) => privileges(t, ["AppendTo"], "Global")),
    // The settings are environment variables; a value belongs to its definition.
    ...privileges(environmentVariableDefinition, ["Create", "Read", "Write"], "Global"),
    // Sees every flow of the product whoever owns it; changes (turns on, repairs) only the flows
    // shared with them: Basic write reaches rows the user owns or that are shared with them.
    ...privileges(workflow, ["Read"], "Global"),
    ...privileges(workflow, ["Write"], "Basic"),
  ],
};

/**
 * Works with the CRM as before and sees what CleverReach reports: reads Receiver States,
 * Mailing Results and the sync log (and, with the profile of the same name, the secured sync columns); writes none
 * of the flows' tables.
 */
export const USER_ROLE: SecurityRole = {
  id: stableId("role:user"),
  name: "CleverReach User",
  privileges: [
    ...[receiverState, mailingResult, syncLog].flatMap((t) => privileges(t.schemaName, ["Read"], "Global")),
    // The newsletter checklist control reads the newsletter types, an environment variable.
    ...privileges(environmentVariableDefinition, ["Read"], "Global"),
    // The "Update Synchronisation" menu flows an administrator shares with them (run only).
    ...privileges(workflow, ["Read"], "Basic"),
  ],
};

export const roles: SecurityRole[] = [ADMINISTRATOR_ROLE, USER_ROLE];

/** Every secured column of the product, as `EntityName`/`AttributeName` (logical names). */
export function securedColumns(): Array<Pick<FieldPermission, "table" | "column">> {
  const secured = (table: string, columns: Column[]) => columns.filter((c) => c.secured === true).map((c) => ({ table, column: c.schemaName.toLowerCase() }));
  return [
    ...extensions.flatMap((x) => secured(x.table.logicalName, x.columns)),
    ...customTables.flatMap((t) => secured(t.schemaName.toLowerCase(), [t.primaryName, ...t.columns])),
  ];
}

const profile = (key: string, name: string, description: string, allow: Omit<FieldPermission, "table" | "column">): FieldSecurityProfile => ({
  id: stableId(`field-security-profile:${key}`),
  name,
  description,
  permissions: securedColumns().map((c) => ({ ...c, ...allow })),
});

/** Profiles carry the role names: an administrator adds a person to the role and the profile of the same name. */
export const ADMINISTRATOR_PROFILE = profile(
  "administrator",
  ADMINISTRATOR_ROLE.name,
  "Read and correct the columns only the CleverReach flows write. Also for the identity the flows run as, unless it is a System Administrator.",
  { read: true, update: true, create: true },
);

export const USER_PROFILE = profile("user", USER_ROLE.name, "Read the columns only the CleverReach flows write.", {
  read: true,
  update: false,
  create: false,
});

export const fieldSecurityProfiles: FieldSecurityProfile[] = [ADMINISTRATOR_PROFILE, USER_PROFILE];
