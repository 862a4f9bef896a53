import { braced } from "../ids";
import type { FieldSecurityProfile, SecurityRole } from "../model/types";
import { el, tx, type XNode } from "../xml";

/**
 * Roles and field security profiles as CrmLive exports carry them: inline in customizations.xml
 * (FORMAT-NOTES.md, "Security roles and field security profiles"). SolutionPackager's
 * `Roles/<name>.xml` and `Other/FieldSecurityProfiles.xml` are the unpacked form of the same nodes.
 */

/** `CanRead`/`CanUpdate`/`CanCreate` of a field permission: 0 Not Allowed, 4 Allowed (fieldpermission table reference). */
export const FIELD_PERMISSION = { notAllowed: 0, allowed: 4 } as const;
const permission = (allowed: boolean): number => (allowed ? FIELD_PERMISSION.allowed : FIELD_PERMISSION.notAllowed);

/** Case-insensitive name order, as the privileges of exported roles are listed. */
const byName = (a: string, b: string): number => a.toLowerCase().localeCompare(b.toLowerCase());

export function roleNode(r: SecurityRole): XNode {
  return el(
    "Role",
    { id: braced(r.id), name: r.name },
    tx("IsCustomizable", true),
    // Exported since 2025 (pnp/powerplatform-samples termbuddy); 0: nobody gets the role by licence.
    tx("IsAutoAssigned", false),
    el(
      "RolePrivileges",
      undefined,
      [...r.privileges].sort((a, b) => byName(a.name, b.name)).map((p) => el("RolePrivilege", { name: p.name, level: p.depth })),
    ),
  );
}

export function fieldSecurityProfileNode(p: FieldSecurityProfile): XNode {
  return el(
    "FieldSecurityProfile",
    { name: p.name, description: p.description, fieldsecurityprofileid: braced(p.id) },
    el(
      "FieldPermissions",
      undefined,
      p.permissions.map((f) =>
        el(
          "FieldPermission",
          undefined,
          tx("EntityName", f.table),
          tx("AttributeName", f.column),
          tx("CanRead", permission(f.read)),
          tx("CanUpdate", permission(f.update)),
          tx("CanCreate", permission(f.create)),
          // Masked reading belongs to masking rules, which the product has none of.
          tx("CanReadUnmasked", FIELD_PERMISSION.notAllowed),
        ),
      ),
    ),
  );
}

export const rolesSorted = (roles: SecurityRole[]): SecurityRole[] => [...roles].sort((a, b) => byName(a.name, b.name));
export const profilesSorted = (profiles: FieldSecurityProfile[]): FieldSecurityProfile[] => [...profiles].sort((a, b) => byName(a.name, b.name));
