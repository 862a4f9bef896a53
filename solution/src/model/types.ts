import type { Label } from "../labels";
import type { PRIVILEGE_DEPTHS } from "../naming";

/** A Dataverse system table that the product extends or points lookups at. */
export interface SystemTable {
  logicalName: string;
  /** SchemaName casing, as exports write the entity node name ("Contact", "CampaignActivity"). */
  schemaName: string;
  entitySetName: string;
  displayName: Label;
}

export type RequiredLevel = "none" | "recommended" | "applicationrequired";

interface ColumnBase {
  /** Full schema name, e.g. "clvr_NewsletterChecklist" (logical name = lower-case). */
  schemaName: string;
  displayName: Label;
  description: Label;
  requiredLevel?: RequiredLevel;
  /** Shown in Advanced Find / views; false for machine-written payload columns. */
  auditEnabled?: boolean;
  /**
   * Column security (IsSecured): only the field security profiles (security.ts) grant read or
   * write on it; set on what only the flows may write.
   */
  secured?: boolean;
}

export interface TextColumn extends ColumnBase {
  kind: "text";
  maxLength: number;
  format: "text" | "email" | "url";
}

export interface MemoColumn extends ColumnBase {
  kind: "memo";
  maxLength: number;
}

export interface YesNoColumn extends ColumnBase {
  kind: "yesno";
  defaultValue: boolean;
  yes: Label;
  no: Label;
}

export interface DateTimeColumn extends ColumnBase {
  kind: "datetime";
}

export interface WholeNumberColumn extends ColumnBase {
  kind: "wholenumber";
  min: number;
  max: number;
}

export interface ChoiceOption {
  /** Offset added to publisher option value prefix × 10000. */
  offset: number;
  label: Label;
}

export interface ChoiceColumn extends ColumnBase {
  kind: "choice";
  options: ChoiceOption[];
  /** Offset of the default option, or undefined for none. */
  defaultOffset?: number;
}

export interface LookupColumn extends ColumnBase {
  kind: "lookup";
  target: SystemTable;
  /** Schema name of the one-to-many relationship that the lookup creates. */
  relationshipName: string;
}

export type Column = TextColumn | MemoColumn | YesNoColumn | DateTimeColumn | WholeNumberColumn | ChoiceColumn | LookupColumn;

/** Columns the product adds to an existing system table (shipped as a shell, root behavior 2). */
export interface TableExtension {
  table: SystemTable;
  columns: Column[];
}

/** A table the product creates, shipped complete the way Dataverse exports a new table. */
export interface CustomTable {
  schemaName: string;
  displayName: Label;
  collectionName: Label;
  description: Label;
  /** The primary name column (nvarchar, required for form). */
  primaryName: TextColumn;
  columns: Column[];
  /** Columns on the main form, in order (primary name first is implied). */
  formColumns: string[];
  /** Columns of the default public view, in order after the primary name. */
  viewColumns: string[];
  /** The order of the public and the associated view (the Related tab, subgrids); by the primary name when not given. */
  viewOrder?: { column: string; descending: boolean };
}

export type EnvironmentVariableType = "string" | "number" | "boolean" | "json";

export interface EnvironmentVariable {
  schemaName: string;
  displayName: Label;
  description: Label;
  type: EnvironmentVariableType;
  /** The default as Dataverse stores it (text): "yes"/"no" for booleans, digits for numbers. */
  defaultValue: string;
  /** The setting of the original product this replaces, for the root README.md ("Environment variables"). */
  original: string;
}

export interface ConnectionReference {
  logicalName: string;
  displayName: Label;
  description: Label;
  /** `/providers/Microsoft.PowerApps/apis/<api name>` */
  connectorId: string;
  /** GUID of the custom connector shipped in this solution, when it points at one. */
  customConnectorId?: string;
}

export interface Publisher {
  uniqueName: string;
  displayName: Label;
  description: Label;
  prefix: string;
  /** Five digits: choice values of this publisher are prefix × 10000 + n. */
  optionValuePrefix: number;
  supportingWebsiteUrl?: string;
}

export interface SolutionIdentity {
  uniqueName: string;
  displayName: Label;
  description: Label;
  /** Four-part version, e.g. "1.0.0.0". */
  version: string;
}

/** The custom connector's identity, fixed here so that flows and connection references can name it. */
export interface ConnectorIdentity {
  id: string;
  displayName: string;
  description: string;
  iconBrandColor: string;
}

export type PrivilegeDepth = (typeof PRIVILEGE_DEPTHS)[number];

/** A privilege of a security role: `prv<access><table schema name>` or a named system privilege. */
export interface RolePrivilege {
  name: string;
  depth: PrivilegeDepth;
}

/** A security role the solution ships (customizations.xml `<Roles>`, root component type 20). */
export interface SecurityRole {
  id: string;
  name: string;
  privileges: RolePrivilege[];
}

/** What a field security profile allows on one secured column. */
export interface FieldPermission {
  /** Logical names, as exports write `EntityName` and `AttributeName`. */
  table: string;
  column: string;
  read: boolean;
  update: boolean;
  create: boolean;
}

/** A field security profile the solution ships (`<FieldSecurityProfiles>`, root component type 70). */
export interface FieldSecurityProfile {
  id: string;
  name: string;
  description: string;
  permissions: FieldPermission[];
}

export interface SolutionModel {
  solution: SolutionIdentity;
  publisher: Publisher;
  extensions: TableExtension[];
  tables: CustomTable[];
  environmentVariables: EnvironmentVariable[];
  /** Connection references that are always shipped (the connector's own comes with the connector). */
  connectionReferences: ConnectionReference[];
  connector: ConnectorIdentity;
  roles: SecurityRole[];
  fieldSecurityProfiles: FieldSecurityProfile[];
}
