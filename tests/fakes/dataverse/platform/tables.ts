/**
 * The platform tables `npm run setup` reads and writes, with the columns the fake models. Names are
 * those of Microsoft's Dataverse table references (power-apps/developer/data-platform/reference/
 * entities/<table>): solution, asyncoperation, importjob, environmentvariabledefinition,
 * environmentvariablevalue, connectionreference, systemform, workflow. A column outside these lists
 * is answered with 400 "Could not find a property" on read and 501 on write: the fake does not guess.
 */
export interface PlatformTable {
  /** Entity set name in the Web API path. */
  set: string;
  logicalName: string;
  key: string;
  columns: readonly string[];
  /** Columns a PATCH may change; anything else is not modelled. */
  writable: readonly string[];
  /** Whether POST to the set creates a row (only where setup needs it). */
  creatable: boolean;
}

const table = (t: PlatformTable): PlatformTable => t;

export const SOLUTIONS = table({
  set: "solutions",
  logicalName: "solution",
  key: "solutionid",
  columns: ["solutionid", "uniquename", "friendlyname", "version", "ismanaged"],
  writable: [],
  creatable: false,
});

/** asyncoperation: statecode 0 Ready, 1 Suspended, 2 Locked, 3 Completed; statuscode 30 Succeeded, 31 Failed (table reference). */
export const ASYNC_OPERATIONS = table({
  set: "asyncoperations",
  logicalName: "asyncoperation",
  key: "asyncoperationid",
  columns: ["asyncoperationid", "name", "statecode", "statuscode", "message", "friendlymessage", "completedon"],
  writable: [],
  creatable: false,
});

/** importjob: progress (percent) and the import log in `data` (table reference). */
export const IMPORT_JOBS = table({
  set: "importjobs",
  logicalName: "importjob",
  key: "importjobid",
  columns: ["importjobid", "solutionname", "progress", "completedon", "data"],
  writable: [],
  creatable: false,
});

export const ENVIRONMENT_VARIABLE_DEFINITIONS = table({
  set: "environmentvariabledefinitions",
  logicalName: "environmentvariabledefinition",
  key: "environmentvariabledefinitionid",
  columns: ["environmentvariabledefinitionid", "schemaname", "displayname", "defaultvalue", "type"],
  writable: [],
  creatable: false,
});

/** environmentvariablevalue: `value`, bound to its definition through EnvironmentVariableDefinitionId. */
export const ENVIRONMENT_VARIABLE_VALUES = table({
  set: "environmentvariablevalues",
  logicalName: "environmentvariablevalue",
  key: "environmentvariablevalueid",
  columns: ["environmentvariablevalueid", "schemaname", "value", "_environmentvariabledefinitionid_value"],
  writable: ["value"],
  creatable: true,
});

/** connectionreference: `connectionid` holds the API Hub connection's name (table reference). */
export const CONNECTION_REFERENCES = table({
  set: "connectionreferences",
  logicalName: "connectionreference",
  key: "connectionreferenceid",
  columns: ["connectionreferenceid", "connectionreferencelogicalname", "connectionreferencedisplayname", "connectorid", "connectionid"],
  writable: ["connectionid"],
  creatable: false,
});

/** systemform: `type` 2 is Main, `formactivationstate` 1 Active; `formxml` is the `<form>` element (table reference). */
export const SYSTEM_FORMS = table({
  set: "systemforms",
  logicalName: "systemform",
  key: "formid",
  columns: ["formid", "name", "objecttypecode", "type", "formactivationstate", "formxml"],
  writable: ["formxml"],
  creatable: false,
});

/** workflow: category 5 is a Modern Flow; statecode 1 / statuscode 2 is Activated, 0 / 1 Draft (table reference). */
export const WORKFLOWS = table({
  set: "workflows",
  logicalName: "workflow",
  key: "workflowid",
  columns: ["workflowid", "name", "category", "statecode", "statuscode", "clientdata"],
  writable: ["statecode", "statuscode"],
  creatable: false,
});

/** systemuser: a person or an application user (applicationid set), in one business unit (table reference). */
export const SYSTEM_USERS = table({
  set: "systemusers",
  logicalName: "systemuser",
  key: "systemuserid",
  columns: ["systemuserid", "fullname", "domainname", "applicationid", "_businessunitid_value", "isdisabled"],
  writable: [],
  creatable: false,
});

/**
 * role: every business unit holds its own copy of a role, pointing at the root business unit's role
 * through parentrootroleid (role table reference: businessunitid, parentrootroleid).
 */
export const ROLES = table({
  set: "roles",
  logicalName: "role",
  key: "roleid",
  columns: ["roleid", "name", "_businessunitid_value", "_parentrootroleid_value"],
  writable: [],
  creatable: false,
});

/** fieldsecurityprofile: organization-owned, one row per profile (table reference). */
export const FIELD_SECURITY_PROFILES = table({
  set: "fieldsecurityprofiles",
  logicalName: "fieldsecurityprofile",
  key: "fieldsecurityprofileid",
  columns: ["fieldsecurityprofileid", "name"],
  writable: [],
  creatable: false,
});

/**
 * The many-to-many relationships setup follows from a user: systemuserroles_association (user ↔
 * role) and systemuserprofiles_association (user ↔ field security profile), as the systemuser table
 * reference names them; PowerDataOps' Add-XrmUserRoles associates through the first.
 */
export const USER_RELATIONSHIPS: Record<string, PlatformTable> = {
  systemuserroles_association: ROLES,
  systemuserprofiles_association: FIELD_SECURITY_PROFILES,
};

export const PLATFORM_TABLES: readonly PlatformTable[] = [
  SOLUTIONS,
  ASYNC_OPERATIONS,
  IMPORT_JOBS,
  ENVIRONMENT_VARIABLE_DEFINITIONS,
  ENVIRONMENT_VARIABLE_VALUES,
  CONNECTION_REFERENCES,
  SYSTEM_FORMS,
  WORKFLOWS,
  SYSTEM_USERS,
  ROLES,
  FIELD_SECURITY_PROFILES,
];

export const tableBySet = (set: string): PlatformTable | undefined => PLATFORM_TABLES.find((t) => t.set === set);
