import { randomUUID } from "node:crypto";
import { kid, kids, parseXml, walk, xmlProblem } from "../../../../solution/src/verify/parseXml";
import { DataverseError, badRequest, etagMismatch, notSupportedByFake, recordNotFound, resourceNotFound } from "../errors";
import type { DataverseRequest, DataverseResponse } from "../fakeDataverse";
import { tableByLogicalName, type ColumnType } from "../metadata";
import { checkOptions, matches, parseFilter, parseSelect, project, type PlatformRow } from "./query";
import { readPackage, type ImportedPackage } from "./solutionPackage";
import {
  ASYNC_OPERATIONS,
  CONNECTION_REFERENCES,
  ENVIRONMENT_VARIABLE_DEFINITIONS,
  FIELD_SECURITY_PROFILES,
  ROLES,
  SYSTEM_USERS,
  USER_RELATIONSHIPS,
  ENVIRONMENT_VARIABLE_VALUES,
  IMPORT_JOBS,
  PLATFORM_TABLES,
  SOLUTIONS,
  SYSTEM_FORMS,
  WORKFLOWS,
  tableBySet,
  type PlatformTable,
} from "./tables";

/**
 * The Dataverse Web API as `npm run setup` uses it: WhoAmI, ImportSolutionAsync with its
 * asynchronous operation and import job, environment variable values, connection references,
 * system forms with PublishXml, and turning cloud flows on through the workflow table. Every behaviour
 * names its source beside it; where the sources are silent the fake takes the stricter reading.
 */

/** A privilege the test takes away: which request it guards and the privilege's name in the error. */
export type GuardedOperation = "ImportSolutionAsync" | "PublishXml" | `read ${string}` | `write ${string}`;

export interface PlatformCall {
  method: string;
  path: string;
  status: number;
}

const JSON_HEADERS = { "Content-Type": "application/json; odata.metadata=minimal", "OData-Version": "4.0" };
/** A table's column definitions (setup's field mapping suggestion reads them). */
const ENTITY_ATTRIBUTES_PATH = /^\/api\/data\/(v9\.\d)\/EntityDefinitions\(LogicalName='([a-z_0-9]+)'\)\/Attributes$/;
/** AttributeTypeCode of each column type the fake models. */
const ATTRIBUTE_TYPE: Record<ColumnType, string> = {
  string: "String",
  memo: "Memo",
  int: "Integer",
  bigint: "BigInt",
  decimal: "Decimal",
  bool: "Boolean",
  datetime: "DateTime",
  guid: "Uniqueidentifier",
  choice: "Picklist",
  // AttributeTypeCode of a Choices column is Virtual; its AttributeTypeName says MultiSelectPicklistType (multi-select-picklist.md).
  multichoice: "Virtual",
  file: "Virtual",
  image: "Virtual",
  entityname: "EntityName",
};
/** AttributeTypeName of the Virtual columns (FileType: file-column-data.md's metadata sample; ImageType, MultiSelectPicklistType). */
const VIRTUAL_TYPE_NAME: Partial<Record<ColumnType, string>> = { multichoice: "MultiSelectPicklistType", file: "FileType", image: "ImageType" };
const API_PATH = /^\/api\/data\/(v9\.\d)\/([A-Za-z_][A-Za-z0-9_]*)(\(\)|\(\{?([0-9a-fA-F-]{36})\}?\))?(?:\/([A-Za-z_][A-Za-z0-9_]*)(\/\$ref)?)?$/;

/** asyncoperation choices (table reference): Ready/Locked/Completed and Waiting/In Progress/Succeeded/Failed. */
const ASYNC = { ready: 0, locked: 2, completed: 3, waitingForResources: 0, inProgress: 20, succeeded: 30, failed: 31 } as const;
/** workflow choices (table reference): Draft 0/1, Activated 1/2; category 5 Modern Flow. */
const FLOW_STATE = { draft: { statecode: 0, statuscode: 1 }, on: { statecode: 1, statuscode: 2 } } as const;

/** Polls of the asynchronous operation before the import completes: the client must follow it, not assume. */
const POLLS_UNTIL_DONE = 2;

interface PendingImport {
  polls: number;
  importJobId: string;
  pkg: ImportedPackage;
}

interface Activation {
  code: string;
  message: string;
  status: "BadRequest" | "Forbidden";
}

/**
 * A flow that cannot be turned on reaches the Web API caller as Dataverse's wrapper around the Flow
 * service's answer, code 0x80060467 and the message `Flow client error returned with status code
 * "<status>" and details "<json>".` (coe-starter-kit issues 3056, 3535, 4908: ChildFlowNeverPublished,
 * XrmConnectionReferenceMissingConnection). The HTTP status of that wrapper is not in the sources;
 * 400 is the plainer reading.
 */
function flowClientError(errors: Activation[]): DataverseError {
  const first = errors[0] as Activation;
  const details =
    errors.length === 1
      ? { error: { code: first.code, message: first.message } }
      : {
          error: {
            code: "MultipleErrorsOccurred",
            message: `Multiple errors occurred: '${errors.map((e) => e.status).join(",")}'. Please see details.`,
            details: errors.map((e) => ({ code: e.code, message: e.message })),
          },
        };
  return new DataverseError(400, "0x80060467", `Flow client error returned with status code "${first.status}" and details "${JSON.stringify(details)}".`);
}

export class FakeDataversePlatform {
  readonly orgUrl: string;
  readonly token: string;
  readonly userId = randomUUID();
  /** The root business unit; the signed-in user is in it. */
  readonly rootBusinessUnit = randomUUID();
  private readonly businessUnits = [this.rootBusinessUnit];
  /** Associations of users with roles and profiles: relationship → "userId roleOrProfileId". */
  private readonly links = new Map<string, Set<string>>(Object.keys(USER_RELATIONSHIPS).map((r) => [r, new Set<string>()]));
  readonly calls: PlatformCall[] = [];
  private readonly rowsBySet = new Map<string, Map<string, PlatformRow>>();
  private readonly versions = new Map<string, number>();
  private version = 1000;
  private readonly pending = new Map<string, PendingImport>();
  /** API Hub connections of the environment (they live outside Dataverse): name → connector id. */
  private readonly connections = new Map<string, string>();
  private readonly customControls = new Set<string>();
  private readonly knownColumns = new Map<string, Set<string>>();
  private readonly published = new Map<string, string>();
  private readonly everPublished = new Set<string>();
  private readonly denied = new Map<GuardedOperation, string>();
  private readonly refusals = new Map<string, Activation>();
  private importFailure: string | undefined;

  constructor(options: { orgUrl?: string; token?: string } = {}) {
    this.orgUrl = (options.orgUrl ?? "https://fake.crm4.dynamics.com").replace(/\/$/, "");
    this.token = options.token ?? "fake-dataverse-token";
    for (const t of PLATFORM_TABLES) this.rowsBySet.set(t.set, new Map());
    this.put(SYSTEM_USERS, this.userId, {
      fullname: "Setup Admin",
      domainname: "admin@contoso.onmicrosoft.com",
      applicationid: null,
      _businessunitid_value: this.rootBusinessUnit,
      isdisabled: false,
    });
  }

  /** A child business unit: roles imported later get a copy in it, as in every business unit. */
  addBusinessUnit(): string {
    const id = randomUUID();
    this.businessUnits.push(id);
    for (const role of this.rows(ROLES.set).filter((r) => r._businessunitid_value === this.rootBusinessUnit))
      this.put(ROLES, randomUUID(), { name: role.name ?? null, _businessunitid_value: id, _parentrootroleid_value: String(role.roleid) });
    return id;
  }

  /** A user of the environment: a person (domainname) or an application user (applicationid). */
  seedUser(user: { fullname: string; domainname?: string; applicationid?: string; businessUnit?: string }): string {
    const id = randomUUID();
    this.put(SYSTEM_USERS, id, {
      fullname: user.fullname,
      domainname: user.domainname ?? null,
      applicationid: user.applicationid ?? null,
      _businessunitid_value: user.businessUnit ?? this.rootBusinessUnit,
      isdisabled: false,
    });
    return id;
  }

  /** The roles or profiles a user holds, by name. */
  heldBy(userId: string, relationship: "systemuserroles_association" | "systemuserprofiles_association"): string[] {
    const target = USER_RELATIONSHIPS[relationship] as PlatformTable;
    return [...(this.links.get(relationship) ?? [])]
      .filter((l) => l.startsWith(`${userId.toLowerCase()} `))
      .map((l) => String(this.row(target.set, l.split(" ")[1] ?? "")?.name));
  }

  // ---- test helpers ------------------------------------------------------------------------

  /** A main form of a system table as the environment has it before setup (formxml is the `<form>` element). */
  seedForm(form: { entity: string; name: string; formxml: string; id?: string; type?: number; active?: boolean }): string {
    const id = form.id ?? randomUUID();
    this.put(SYSTEM_FORMS, id, {
      name: form.name,
      objecttypecode: form.entity,
      type: form.type ?? 2,
      formactivationstate: form.active === false ? 0 : 1,
      formxml: form.formxml,
    });
    this.published.set(id, form.formxml);
    const columns = this.columnsOf(form.entity);
    for (const { node } of walk(parseXml(form.formxml))) if (node.name === "control" && node.attrs.datafieldname) columns.add(node.attrs.datafieldname);
    return id;
  }

  /** A connection that exists in the environment (created in make.powerapps.com), by its name. */
  addConnection(connectionId: string, connectorId: string): void {
    this.connections.set(connectionId, connectorId);
  }

  /** The signed-in principal lacks `privilege` for `operation` (403, code 0x80040220). */
  deny(operation: GuardedOperation, privilege: string): void {
    this.denied.set(operation, privilege);
  }

  /** The next import fails with this text from the platform (the asynchronous operation's message). */
  failImport(message: string): void {
    this.importFailure = message;
  }

  /** Turning this flow on fails with the Flow service's error (code and message as the service words them). */
  refuseActivation(workflowId: string, error: Activation): void {
    this.refusals.set(workflowId.toLowerCase(), error);
  }

  rows(set: string): PlatformRow[] {
    return [...(this.rowsBySet.get(set)?.values() ?? [])].map((r) => ({ ...r }));
  }

  row(set: string, id: string): PlatformRow | undefined {
    const r = this.rowsBySet.get(set)?.get(id.toLowerCase());
    return r && { ...r };
  }

  /** The form definition users see: the one last published (PublishXml), not the saved draft. */
  publishedFormXml(formId: string): string | undefined {
    return this.published.get(formId.toLowerCase());
  }

  /** Writes (POST, PATCH and actions) since the start, for "the second run changes nothing". */
  writes(): PlatformCall[] {
    return this.calls.filter((c) => c.method !== "GET");
  }

  // ---- Web API -----------------------------------------------------------------------------

  async handle(request: DataverseRequest): Promise<DataverseResponse> {
    const call: PlatformCall = { method: request.method, path: request.path, status: 0 };
    this.calls.push(call);
    let response: DataverseResponse;
    try {
      response = await this.dispatch(request);
    } catch (e) {
      if (!(e instanceof DataverseError)) throw e;
      response = { status: e.status, headers: { ...JSON_HEADERS, ...e.headers }, body: e.body() };
    }
    call.status = response.status;
    return response;
  }

  private async dispatch(request: DataverseRequest): Promise<DataverseResponse> {
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    // An expired or missing token is answered 401 with the authority to sign in at, and no body
    // (Microsoft: "Use OAuth authentication with Microsoft Dataverse", WWW-Authenticate Bearer authorization_uri).
    if (headers.authorization !== `Bearer ${this.token}`) {
      return { status: 401, headers: { "WWW-Authenticate": "Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize" } };
    }
    const columns = ENTITY_ATTRIBUTES_PATH.exec(request.path);
    if (columns && request.method === "GET") return this.entityAttributes(`${this.orgUrl}/api/data/${columns[1]}`, columns[2] ?? "", request.query);
    const m = API_PATH.exec(request.path);
    if (!m) throw resourceNotFound(request.path.split("/").pop() ?? request.path);
    const [, , segment = "", parens, id, navigation, ref] = m;
    const root = `${this.orgUrl}/api/data/${m[1]}`;
    if (navigation !== undefined) return this.related(root, request, segment, id, navigation, ref !== undefined);
    if (segment === "WhoAmI" && request.method === "GET")
      return this.json(200, {
        "@odata.context": `${root}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
        BusinessUnitId: this.rootBusinessUnit,
        UserId: this.userId,
        OrganizationId: randomUUID(),
      });
    if (segment === "ImportSolutionAsync" && request.method === "POST" && parens === undefined) return this.importSolutionAsync(root, request.body);
    if (segment === "PublishXml" && request.method === "POST" && parens === undefined) return this.publishXml(request.body);
    const table = tableBySet(segment);
    if (!table) throw resourceNotFound(segment);
    if (request.method === "GET") {
      this.guard(`read ${table.set}`, table);
      checkOptions(request.query);
      return id === undefined ? this.list(root, table, request.query) : this.get(root, table, id.toLowerCase(), request.query);
    }
    this.guard(`write ${table.set}`, table);
    if (request.method === "POST" && id === undefined) return this.create(root, table, request.body);
    if (request.method === "PATCH" && id !== undefined) return this.update(root, table, id.toLowerCase(), request.body, headers["if-match"]);
    throw new DataverseError(405, "0x80060888", `${request.method} is not supported on '${request.path}'.`);
  }

  /**
   * A table's columns as `EntityDefinitions(LogicalName='contact')/Attributes?$select=LogicalName,AttributeType`
   * answers them (Web API "Query table definitions using the Web API"; AttributeType is the
   * AttributeTypeCode enum: String, Memo, Integer, BigInt, Decimal, Boolean, DateTime,
   * Uniqueidentifier, Picklist, State, Status, EntityName, Lookup, Customer…), for the tables the
   * fake models (metadata.ts). Only those two properties are modelled; another $select is refused.
   */
  private entityAttributes(root: string, logicalName: string, query: Record<string, string>): DataverseResponse {
    const table = tableByLogicalName(logicalName);
    if (!table) throw badRequest(`Could not find an entity with LogicalName = '${logicalName}'.`, "0x80040217");
    const select = (query.$select ?? "").split(",").filter((x) => x !== "");
    if (select.some((x) => x !== "LogicalName" && x !== "AttributeType" && x !== "AttributeTypeName"))
      throw notSupportedByFake(`$select=${query.$select ?? ""} on EntityDefinitions/Attributes`);
    const value = [
      ...Object.entries(table.columns).map(([name, c]) => ({
        LogicalName: name,
        AttributeType: name === "statecode" ? "State" : name === "statuscode" ? "Status" : ATTRIBUTE_TYPE[c.type],
        // AttributeTypeDisplayName, e.g. {"Value": "PicklistType"} (query-schema-definitions.md); a Choices column's is MultiSelectPicklistType.
        AttributeTypeName: {
          Value: VIRTUAL_TYPE_NAME[c.type] ?? `${name === "statecode" ? "State" : name === "statuscode" ? "Status" : ATTRIBUTE_TYPE[c.type]}Type`,
        },
      })),
      // A lookup that can point at an account or a contact is a Customer column (parentcustomerid).
      ...table.lookups.map((l) => ({
        LogicalName: l.name,
        AttributeType: l.targets.length > 1 ? "Customer" : "Lookup",
        AttributeTypeName: { Value: l.targets.length > 1 ? "CustomerType" : "LookupType" },
      })),
    ];
    return this.json(200, { "@odata.context": `${root}/$metadata#EntityDefinitions('${logicalName}')/Attributes`, value });
  }

  /**
   * A user's roles or profiles: GET systemusers(id)/<relationship> lists them, POST
   * systemusers(id)/<relationship>/$ref with {"@odata.id": "<root>/roles(id)"} adds one (Web API
   * "Associate and disassociate table rows": 204 No Content). An association that exists already is
   * refused with "Cannot insert duplicate key" (PowerDataOps Add-XrmUserRoles catches exactly that
   * text). A role must be the copy of the user's own business unit; the sources are silent on the
   * words, the fake refuses (stricter reading).
   */
  private related(root: string, request: DataverseRequest, segment: string, id: string | undefined, navigation: string, ref: boolean): DataverseResponse {
    const target = USER_RELATIONSHIPS[navigation];
    if (segment !== SYSTEM_USERS.set || id === undefined || !target) throw resourceNotFound(navigation);
    const userId = id.toLowerCase();
    const user = this.rowsBySet.get(SYSTEM_USERS.set)?.get(userId);
    if (!user) throw recordNotFound(SYSTEM_USERS.logicalName, userId);
    const links = this.links.get(navigation) as Set<string>;
    if (request.method === "GET" && !ref) {
      this.guard(`read ${SYSTEM_USERS.set}`, SYSTEM_USERS);
      checkOptions(request.query);
      const select = parseSelect(target, request.query.$select);
      const value = [...links]
        .filter((l) => l.startsWith(`${userId} `))
        .map((l) => this.rowsBySet.get(target.set)?.get(l.split(" ")[1] ?? ""))
        .filter((r): r is PlatformRow => r !== undefined)
        .map((r) => project(r, target, select));
      return this.json(200, { "@odata.context": `${root}/$metadata#${target.set}`, value });
    }
    if (request.method !== "POST" || !ref) throw new DataverseError(405, "0x80060888", `${request.method} is not supported on '${request.path}'.`);
    this.guard(`write ${SYSTEM_USERS.set}`, SYSTEM_USERS);
    const odataId = (request.body as { "@odata.id"?: unknown } | undefined)?.["@odata.id"];
    const targetId = typeof odataId === "string" ? new RegExp(`/${target.set}\\(\\{?([0-9a-fA-F-]{36})\\}?\\)$`).exec(odataId)?.[1]?.toLowerCase() : undefined;
    if (!targetId) throw badRequest(`The @odata.id of a ${navigation} reference must name a row of ${target.set}.`);
    const row = this.rowsBySet.get(target.set)?.get(targetId);
    if (!row) throw recordNotFound(target.logicalName, targetId);
    if (target === ROLES && row._businessunitid_value !== user._businessunitid_value)
      throw badRequest(`The role ${targetId} belongs to another business unit than the user ${userId}; assign the role of the user's own business unit.`);
    const key = `${userId} ${targetId}`;
    if (links.has(key)) throw new DataverseError(412, "0x80040237", "Cannot insert duplicate key.");
    links.add(key);
    return { status: 204, headers: { "OData-Version": "4.0" } };
  }

  /**
   * A missing privilege is 403 with code 0x80040220 and the platform's "Principal user … is missing
   * prv… privilege" text (Web API "Handle errors": 403 for privilege errors; the text as solution
   * imports report it, e.g. PowerApps-Samples issue 235, scottdurow/power-drag-drop issue 98).
   */
  private guard(operation: GuardedOperation, table?: PlatformTable): void {
    const privilege = this.denied.get(operation);
    if (!privilege) return;
    const entity = table?.logicalName ?? (operation === "PublishXml" ? "publishxml" : "solution");
    throw new DataverseError(
      403,
      "0x80040220",
      `Principal user (Id=${this.userId}, type=8, roleCount=1, privilegeCount=412, accessMode=0), is missing ${privilege} privilege (Id=${randomUUID()}) on OTC=0 for entity '${entity}'. context.Caller=${this.userId}. Consider adding missed privilege to one of the principal (user/team) roles.`,
    );
  }

  private json(status: number, body: unknown, extra: Record<string, string> = {}): DataverseResponse {
    return { status, headers: { ...JSON_HEADERS, ...extra }, body };
  }

  private etag(table: PlatformTable, id: string): string {
    return `W/"${this.versions.get(`${table.set}:${id}`) ?? 0}"`;
  }

  private put(table: PlatformTable, id: string, values: PlatformRow): PlatformRow {
    const rows = this.rowsBySet.get(table.set) as Map<string, PlatformRow>;
    const row = { ...(rows.get(id) ?? {}), ...values, [table.key]: id };
    rows.set(id, row);
    this.versions.set(`${table.set}:${id}`, ++this.version);
    return row;
  }

  private find(table: PlatformTable, column: string, value: string): [string, PlatformRow] | undefined {
    for (const [id, row] of this.rowsBySet.get(table.set) ?? []) if (String(row[column] ?? "").toLowerCase() === value.toLowerCase()) return [id, row];
    return undefined;
  }

  private list(root: string, table: PlatformTable, query: Record<string, string>): DataverseResponse {
    const filter = parseFilter(table, query.$filter);
    const select = parseSelect(table, query.$select);
    const value = [...(this.rowsBySet.get(table.set) as Map<string, PlatformRow>).entries()]
      .filter(([, row]) => matches(row, filter))
      .map(([id]) => ({ "@odata.etag": this.etag(table, id), ...project(this.rowsBySet.get(table.set)?.get(id) as PlatformRow, table, select) }));
    return this.json(200, { "@odata.context": `${root}/$metadata#${table.set}`, value });
  }

  private get(root: string, table: PlatformTable, id: string, query: Record<string, string>): DataverseResponse {
    if (query.$filter !== undefined) throw badRequest("$filter is not allowed on a single row.");
    const select = parseSelect(table, query.$select);
    if (table === ASYNC_OPERATIONS) this.advance(id);
    const row = this.rowsBySet.get(table.set)?.get(id);
    if (!row) throw recordNotFound(table.logicalName, id);
    return this.json(200, { "@odata.context": `${root}/$metadata#${table.set}/$entity`, "@odata.etag": this.etag(table, id), ...project(row, table, select) });
  }

  private create(root: string, table: PlatformTable, body: unknown): DataverseResponse {
    if (!table.creatable) throw notSupportedByFake(`creating ${table.logicalName} rows`);
    const data = (body ?? {}) as Record<string, unknown>;
    // environmentvariablevalue binds its definition through the navigation property
    // EnvironmentVariableDefinitionId (environmentvariablevalue table reference).
    const bind = data["EnvironmentVariableDefinitionId@odata.bind"];
    const definitionId = typeof bind === "string" ? /environmentvariabledefinitions\(\{?([0-9a-fA-F-]{36})\}?\)$/.exec(bind)?.[1]?.toLowerCase() : undefined;
    if (!definitionId || !this.row(ENVIRONMENT_VARIABLE_DEFINITIONS.set, definitionId)) {
      throw badRequest("An environment variable value must be bound to an existing definition (EnvironmentVariableDefinitionId@odata.bind).");
    }
    if (this.rows(ENVIRONMENT_VARIABLE_VALUES.set).some((v) => v._environmentvariabledefinitionid_value === definitionId)) {
      // One current value per definition: the maker UI and the import both update the existing row.
      throw new DataverseError(412, "0x80040237", "A record with matching key values already exists.");
    }
    const values: PlatformRow = { _environmentvariabledefinitionid_value: definitionId };
    for (const [k, v] of Object.entries(data)) {
      if (k.endsWith("@odata.bind")) continue;
      if (!table.columns.includes(k) || k.startsWith("_"))
        throw badRequest(`Invalid property '${k}' was found in entity 'Microsoft.Dynamics.CRM.${table.logicalName}'.`);
      values[k] = v as PlatformRow[string];
    }
    const id = randomUUID();
    this.put(table, id, values);
    return { status: 204, headers: { "OData-Version": "4.0", "OData-EntityId": `${root}/${table.set}(${id})` } };
  }

  private update(root: string, table: PlatformTable, id: string, body: unknown, ifMatch: string | undefined): DataverseResponse {
    const row = this.rowsBySet.get(table.set)?.get(id);
    if (!row) throw recordNotFound(table.logicalName, id);
    if (ifMatch !== undefined && ifMatch !== "*" && ifMatch !== this.etag(table, id)) throw etagMismatch();
    const data = (body ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(data)) {
      if (!table.columns.includes(k)) throw badRequest(`Invalid property '${k}' was found in entity 'Microsoft.Dynamics.CRM.${table.logicalName}'.`);
      if (!table.writable.includes(k)) throw notSupportedByFake(`writing ${table.logicalName}.${k}`);
    }
    if (table === SYSTEM_FORMS) this.checkFormXml(String(row.objecttypecode), data.formxml);
    if (table === WORKFLOWS) this.changeFlowState(id, row, data);
    this.put(table, id, data as PlatformRow);
    return { status: 204, headers: { "OData-Version": "4.0", "OData-EntityId": `${root}/${table.set}(${id})` } };
  }

  // ---- forms -------------------------------------------------------------------------------

  private columnsOf(entity: string): Set<string> {
    let set = this.knownColumns.get(entity);
    if (!set) this.knownColumns.set(entity, (set = new Set()));
    return set;
  }

  /**
   * The form must stay a well-formed `<form>`; every control description must describe a control on
   * the form (controlDescription@forControl = control@uniqueid, solution-format.md §3.8); a custom
   * control must exist in the environment; a bound control's column must exist on the table. The
   * sources are silent on how the platform answers each; the fake refuses (stricter reading).
   */
  private checkFormXml(entity: string, formxml: unknown): void {
    if (formxml === undefined) return;
    if (typeof formxml !== "string") throw badRequest("formxml must be text.");
    const problem = xmlProblem(formxml);
    if (problem) throw badRequest(`The form XML is not well-formed: ${problem}`);
    const form = parseXml(formxml);
    if (form.name !== "form") throw badRequest(`The form XML's root element is <${form.name}>, not <form>.`);
    const uniqueIds = new Set<string>();
    const columns = this.columnsOf(entity);
    for (const { node } of walk(form)) {
      if (node.name !== "control") continue;
      if (node.attrs.uniqueid) uniqueIds.add(node.attrs.uniqueid.toLowerCase());
      if (node.attrs.datafieldname && !columns.has(node.attrs.datafieldname))
        throw badRequest(`The form refers to the column '${node.attrs.datafieldname}', which '${entity}' does not have.`);
    }
    for (const d of kids(kid(form, "controlDescriptions"), "controlDescription")) {
      if (!uniqueIds.has((d.attrs.forControl ?? "").toLowerCase()))
        throw badRequest(`The control description for '${d.attrs.forControl}' describes no control of the form.`);
      for (const c of kids(d, "customControl")) {
        if (c.attrs.name !== undefined && !this.customControls.has(c.attrs.name))
          throw badRequest(`The custom control '${c.attrs.name}' does not exist in this environment.`);
      }
    }
  }

  /** PublishXml publishes the listed tables' forms (PublishXml action: ParameterXml `<importexportxml><entities><entity>…`). */
  private publishXml(body: unknown): DataverseResponse {
    this.guard("PublishXml");
    const xml = (body as { ParameterXml?: unknown } | undefined)?.ParameterXml;
    if (typeof xml !== "string") throw badRequest("PublishXml needs the parameter ParameterXml.");
    const problem = xmlProblem(xml);
    if (problem) throw badRequest(`ParameterXml is not well-formed: ${problem}`);
    const entities = kids(kid(parseXml(xml), "entities"), "entity").map((e) => e.text);
    for (const entity of entities) {
      const forms = this.rows(SYSTEM_FORMS.set).filter((f) => f.objecttypecode === entity);
      if (forms.length === 0 && !this.knownColumns.has(entity)) throw badRequest(`The entity '${entity}' does not exist.`);
      for (const f of forms) this.published.set(String(f.formid), String(f.formxml));
    }
    return { status: 204, headers: { "OData-Version": "4.0" } };
  }

  // ---- flows -------------------------------------------------------------------------------

  private changeFlowState(id: string, row: PlatformRow, data: Record<string, unknown>): void {
    const target = [data.statecode, data.statuscode];
    const valid = Object.values(FLOW_STATE).some((s) => s.statecode === target[0] && s.statuscode === target[1]);
    if (!valid) throw badRequest(`${String(target[1])} is not a valid status code for state code ${String(target[0])} of workflow.`);
    if (data.statecode !== FLOW_STATE.on.statecode || row.statecode === FLOW_STATE.on.statecode) return;
    const errors: Activation[] = [];
    const refused = this.refusals.get(id);
    if (refused) errors.push(refused);
    const definition = JSON.parse(String(row.clientdata ?? "{}")) as {
      properties?: { connectionReferences?: Record<string, { connection?: { connectionReferenceLogicalName?: string } }> };
    };
    for (const ref of Object.values(definition.properties?.connectionReferences ?? {})) {
      const logicalName = ref.connection?.connectionReferenceLogicalName ?? "";
      const found = this.find(CONNECTION_REFERENCES, "connectionreferencelogicalname", logicalName)?.[1];
      const connectionId = typeof found?.connectionid === "string" ? found.connectionid : "";
      if (connectionId === "") {
        // coe-starter-kit issue 3535.
        errors.push({
          status: "BadRequest",
          code: "XrmConnectionReferenceMissingConnection",
          message: `Connection Id missing for connection reference logical name '${logicalName}'.`,
        });
      } else if (this.connections.get(connectionId) !== found?.connectorid) {
        // coe-starter-kit issue 2911: an unknown connection, or one the caller may not use.
        const api = String(found?.connectorid ?? "");
        errors.push({
          status: "Forbidden",
          code: "ConnectionAuthorizationFailed",
          message: `The caller object id is '${this.userId}'. Connection '${api}/connections/${connectionId}' to '${api.split("/").pop()}' cannot be used to activate this flow, either because this is not a valid connection or because it is not a connection you have access permission for. Either replace the connection with a valid connection you can access or have the connection owner activate the flow, so the connection is shared with you in the context of this flow.`,
        });
      }
    }
    // A child flow must have been on at least once (coe-starter-kit issues 1567, 3168: ChildFlowNeverPublished).
    for (const child of new Set(
      [...String(row.clientdata ?? "").matchAll(/"workflowReferenceName"\s*:\s*"([^"]+)"/g)].map((x) => (x[1] ?? "").toLowerCase()),
    )) {
      if (!this.everPublished.has(child)) {
        errors.push({
          status: "BadRequest",
          code: "ChildFlowNeverPublished",
          message: `The workflow with id '${child}' cannot be used as a child workflow because it has never been published. Child workflows need to be published at least once before they can be included in a published parent workflow.`,
        });
      }
    }
    if (errors.length > 0) throw flowClientError(errors);
    this.everPublished.add(id);
  }

  // ---- solution import ---------------------------------------------------------------------

  /**
   * ImportSolutionAsync (Web API action reference; "Solution staging, with asynchronous import and
   * export"): OverwriteUnmanagedCustomizations, PublishWorkflows and ComponentParameters are not
   * nullable, CustomizationFile is the base64 zip; the answer carries AsyncOperationId and
   * ImportJobKey. The import itself runs in the asynchronous operation.
   */
  private async importSolutionAsync(root: string, body: unknown): Promise<DataverseResponse> {
    this.guard("ImportSolutionAsync");
    const b = (body ?? {}) as Record<string, unknown>;
    for (const p of ["OverwriteUnmanagedCustomizations", "PublishWorkflows"])
      if (typeof b[p] !== "boolean") throw badRequest(`The parameter '${p}' is required and must be a boolean.`);
    if (!Array.isArray(b.ComponentParameters)) throw badRequest("The parameter 'ComponentParameters' is required (it may be empty).");
    if (b.PublishWorkflows === true) throw notSupportedByFake("PublishWorkflows=true (turning flows on during the import)");
    if (typeof b.CustomizationFile !== "string" || b.CustomizationFile === "") throw badRequest("The parameter 'CustomizationFile' is required.");
    let pkg: ImportedPackage;
    try {
      pkg = await readPackage(Buffer.from(b.CustomizationFile, "base64"));
    } catch (e) {
      throw badRequest((e as Error).message, "0x80048060");
    }
    const asyncId = randomUUID();
    const importJobId = randomUUID();
    this.put(ASYNC_OPERATIONS, asyncId, {
      name: "ImportSolution",
      statecode: ASYNC.ready,
      statuscode: ASYNC.waitingForResources,
      message: null,
      friendlymessage: null,
      completedon: null,
    });
    this.put(IMPORT_JOBS, importJobId, { solutionname: pkg.uniqueName, progress: 0, completedon: null, data: null });
    this.pending.set(asyncId, { polls: 0, importJobId, pkg });
    return this.json(200, {
      "@odata.context": `${root}/$metadata#Microsoft.Dynamics.CRM.ImportSolutionAsyncResponse`,
      AsyncOperationId: asyncId,
      ImportJobKey: importJobId,
    });
  }

  /** Each read of the operation moves it on: waiting → in progress → completed (succeeded or failed). */
  private advance(asyncId: string): void {
    const job = this.pending.get(asyncId);
    if (!job) return;
    job.polls += 1;
    if (job.polls < POLLS_UNTIL_DONE) {
      this.put(ASYNC_OPERATIONS, asyncId, { statecode: ASYNC.locked, statuscode: ASYNC.inProgress });
      this.put(IMPORT_JOBS, job.importJobId, { progress: 50 });
      return;
    }
    this.pending.delete(asyncId);
    const now = new Date().toISOString();
    const failure = this.importFailure ?? this.modeMismatch(job.pkg);
    this.importFailure = undefined;
    if (failure) {
      // The solution history shows `Solution "<name>" failed to import: <reason>` (pnp/powerapps-samples issue 265).
      this.put(ASYNC_OPERATIONS, asyncId, {
        statecode: ASYNC.completed,
        statuscode: ASYNC.failed,
        message: failure,
        friendlymessage: `Solution "${job.pkg.friendlyName}" failed to import: ${failure}`,
        completedon: now,
      });
      this.put(IMPORT_JOBS, job.importJobId, { progress: 100, completedon: now });
      return;
    }
    this.apply(job.pkg);
    this.put(ASYNC_OPERATIONS, asyncId, { statecode: ASYNC.completed, statuscode: ASYNC.succeeded, completedon: now });
    this.put(IMPORT_JOBS, job.importJobId, { progress: 100, completedon: now });
  }

  /** Microsoft: "The solution is already installed on this system as an unmanaged solution" (troubleshooting, KB 4456697). */
  private modeMismatch(pkg: ImportedPackage): string | undefined {
    const existing = this.find(SOLUTIONS, "uniquename", pkg.uniqueName)?.[1];
    if (!existing || existing.ismanaged === pkg.managed) return undefined;
    return existing.ismanaged
      ? "Solution manifest import: FAILURE: The solution is already installed on this system as a managed solution and the package supplied is attempting to install it in unmanaged mode. Import can only update solutions when the modes match. Uninstall the current solution and try again."
      : "Solution manifest import: FAILURE: The solution is already installed on this system as an unmanaged solution and the package supplied is attempting to install it in managed mode. Import can only update solutions when the modes match. Uninstall the current solution and try again.";
  }

  /**
   * Creates or updates what the zip carries. The sources are silent on what a re-import does to a
   * bound connection reference and to a flow that is on; the fake keeps the binding (the zip carries
   * none, and no ComponentParameters were given) and puts every flow back into the zip's state, the
   * stricter reading: a draft flow is off after every import, and setup has to turn it on again.
   */
  private apply(pkg: ImportedPackage): void {
    const solution = this.find(SOLUTIONS, "uniquename", pkg.uniqueName);
    this.put(SOLUTIONS, solution?.[0] ?? randomUUID(), {
      uniquename: pkg.uniqueName,
      friendlyname: pkg.friendlyName,
      version: pkg.version,
      ismanaged: pkg.managed,
    });
    for (const v of pkg.environmentVariables) {
      const existing = this.find(ENVIRONMENT_VARIABLE_DEFINITIONS, "schemaname", v.schemaName);
      this.put(ENVIRONMENT_VARIABLE_DEFINITIONS, existing?.[0] ?? randomUUID(), {
        schemaname: v.schemaName,
        displayname: v.displayName,
        defaultvalue: v.defaultValue,
        type: v.type,
      });
    }
    for (const c of pkg.connectionReferences) {
      const existing = this.find(CONNECTION_REFERENCES, "connectionreferencelogicalname", c.logicalName);
      this.put(CONNECTION_REFERENCES, existing?.[0] ?? randomUUID(), {
        connectionreferencelogicalname: c.logicalName,
        connectionreferencedisplayname: c.displayName,
        connectorid: c.connectorId,
        connectionid: existing?.[1].connectionid ?? null,
      });
    }
    for (const w of pkg.workflows) {
      this.put(WORKFLOWS, w.id, { name: w.name, category: w.category, ...FLOW_STATE.draft, clientdata: w.clientData });
    }
    for (const c of pkg.customControls) this.customControls.add(c);
    // Roles come in at the root business unit and are copied into every other one; profiles are
    // organization-wide (ROLES, FIELD_SECURITY_PROFILES). A re-import keeps the rows and so the members.
    for (const name of pkg.roles) {
      const existing = this.rows(ROLES.set).find((r) => r.name === name && r._businessunitid_value === this.rootBusinessUnit);
      const rootRole = existing ? String(existing.roleid) : randomUUID();
      if (existing) continue;
      this.put(ROLES, rootRole, { name, _businessunitid_value: this.rootBusinessUnit, _parentrootroleid_value: rootRole });
      for (const bu of this.businessUnits.slice(1)) this.put(ROLES, randomUUID(), { name, _businessunitid_value: bu, _parentrootroleid_value: rootRole });
    }
    for (const name of pkg.fieldSecurityProfiles) {
      if (!this.find(FIELD_SECURITY_PROFILES, "name", name)) this.put(FIELD_SECURITY_PROFILES, randomUUID(), { name });
    }
    // A flow the zip carries as activated comes up on only when it could be turned on: "if the
    // connection references cannot be bound to connections at import time, the flow stays off"
    // (solution-format.md §3.3). Passes repeat so that children come up before their parents.
    let pending = pkg.workflows.filter((w) => w.stateCode === FLOW_STATE.on.statecode);
    for (let progress = true; progress && pending.length > 0;) {
      progress = false;
      pending = pending.filter((w) => {
        const row = this.row(WORKFLOWS.set, w.id) as PlatformRow;
        try {
          this.changeFlowState(w.id, row, { ...FLOW_STATE.on });
        } catch (e) {
          if (e instanceof DataverseError) return true;
          throw e;
        }
        this.put(WORKFLOWS, w.id, { ...FLOW_STATE.on });
        progress = true;
        return false;
      });
    }
    for (const [table, columns] of pkg.columns) for (const c of columns) this.columnsOf(table).add(c);
  }
}
