import { ACTIVITY_PRIVILEGE_TABLE, ACTIVITY_TABLES, parseTablePrivilege, PRIVILEGE_DEPTHS, SYSTEM_PRIVILEGE_TABLES } from "../naming";
import { FIELD_PERMISSION } from "../xml/security";
import { kid, kids, textOf, type ParsedNode } from "./parseXml";

/**
 * Importer-style checks of the security roles and field security profiles in customizations.xml:
 * what each privilege and each field permission names must exist, as the importer resolves it.
 */

interface ZipTable {
  /** The name as the zip writes it (`<entity Name>`): the schema name privileges are named after. */
  schemaName: string;
  /** Undefined for a system table shipped as a shell, whose flags the zip does not carry. */
  ownership: string | undefined;
  /** Logical name → IsSecured. */
  columns: Map<string, boolean>;
}

function zipTables(customizations: ParsedNode): Map<string, ZipTable> {
  const tables = new Map<string, ZipTable>();
  for (const e of kids(kid(customizations, "Entities"), "Entity")) {
    const entity = kid(kid(e, "EntityInfo"), "entity");
    const schemaName = entity?.attrs.Name ?? "";
    const columns = new Map<string, boolean>();
    for (const a of kids(kid(entity, "attributes"), "attribute")) columns.set(textOf(a, "LogicalName") ?? "", textOf(a, "IsSecured") === "1");
    tables.set(schemaName.toLowerCase(), { schemaName, ownership: textOf(entity, "OwnershipTypeMask"), columns });
  }
  return tables;
}

const KNOWN_SYSTEM_TABLES = new Set<string>(Object.values(SYSTEM_PRIVILEGE_TABLES));
const FIELD_PERMISSION_VALUES = new Set<string>(Object.values(FIELD_PERMISSION).map(String));

function privilegeProblem(role: string, name: string, level: string, tables: Map<string, ZipTable>): string | undefined {
  const where = `role "${role}": privilege ${name}`;
  if (!(PRIVILEGE_DEPTHS as readonly string[]).includes(level)) return `${where} has level "${level}"; it must be one of ${PRIVILEGE_DEPTHS.join(", ")}`;
  const parsed = parseTablePrivilege(name);
  if (!parsed) return `${where} is not a table privilege (prv<access><table>)`;
  if (ACTIVITY_TABLES.includes(parsed.table))
    return `${where}: ${parsed.table} has no privileges of its own; use prv${parsed.access}${ACTIVITY_PRIVILEGE_TABLE}`;
  const table = tables.get(parsed.table.toLowerCase());
  if (table) {
    if (table.schemaName !== parsed.table) return `${where} spells the table "${parsed.table}"; the zip's table is "${table.schemaName}"`;
    // An organization-owned table has no owner to be Basic/Local/Deep against, and nobody to assign or share to.
    if (table.ownership === "OrgOwned" && (level !== "Global" || parsed.access === "Assign" || parsed.access === "Share")) {
      return `${where}: ${table.schemaName} is organization-owned, which allows only Global and no Assign or Share`;
    }
    return undefined;
  }
  if (KNOWN_SYSTEM_TABLES.has(parsed.table)) return undefined;
  return `${where} names the table "${parsed.table}", which is neither in the zip nor a system table this product knows`;
}

export function securityProblems(customizations: ParsedNode): string[] {
  const problems: string[] = [];
  const tables = zipTables(customizations);

  const roleNames = new Set<string>();
  for (const r of kids(kid(customizations, "Roles"), "Role")) {
    const name = r.attrs.name ?? "";
    if (name === "") problems.push(`role ${r.attrs.id ?? "(no id)"} has no name`);
    if (roleNames.has(name)) problems.push(`two roles are named "${name}"`);
    roleNames.add(name);
    const seen = new Set<string>();
    const privileges = kids(kid(r, "RolePrivileges"), "RolePrivilege");
    if (privileges.length === 0) problems.push(`role "${name}" grants no privilege`);
    for (const p of privileges) {
      const privilege = p.attrs.name ?? "";
      if (seen.has(privilege)) problems.push(`role "${name}" lists ${privilege} twice`);
      seen.add(privilege);
      const problem = privilegeProblem(name, privilege, p.attrs.level ?? "", tables);
      if (problem) problems.push(problem);
    }
  }

  const readable = new Set<string>();
  const profileNames = new Set<string>();
  for (const f of kids(kid(customizations, "FieldSecurityProfiles"), "FieldSecurityProfile")) {
    const name = f.attrs.name ?? "";
    if (name === "") problems.push(`field security profile ${f.attrs.fieldsecurityprofileid ?? "(no id)"} has no name`);
    if (profileNames.has(name)) problems.push(`two field security profiles are named "${name}"`);
    profileNames.add(name);
    const seen = new Set<string>();
    for (const p of kids(kid(f, "FieldPermissions"), "FieldPermission")) {
      const entity = textOf(p, "EntityName") ?? "";
      const attribute = textOf(p, "AttributeName") ?? "";
      const where = `field security profile "${name}": ${entity}.${attribute}`;
      const key = `${entity}.${attribute}`;
      if (seen.has(key)) problems.push(`${where} is listed twice`);
      seen.add(key);
      const secured = tables.get(entity)?.columns.get(attribute);
      if (secured === undefined) problems.push(`${where} is not a column in the zip`);
      else if (!secured) problems.push(`${where} is not secured (IsSecured 0); a profile can only grant on secured columns`);
      for (const right of ["CanRead", "CanUpdate", "CanCreate"]) {
        const value = textOf(p, right);
        if (value === undefined || !FIELD_PERMISSION_VALUES.has(value))
          problems.push(`${where}: ${right} is "${value ?? "(missing)"}"; it must be ${[...FIELD_PERMISSION_VALUES].join(" or ")}`);
      }
      if (textOf(p, "CanRead") === String(FIELD_PERMISSION.allowed)) readable.add(key);
    }
  }
  for (const t of tables.values()) {
    for (const [column, secured] of t.columns) {
      const key = `${t.schemaName.toLowerCase()}.${column}`;
      if (secured && !readable.has(key))
        problems.push(`secured column ${key} is readable in no field security profile of the zip: only System Administrators could see it`);
    }
  }
  return problems;
}
