import { DataverseError, badRequest, duplicateKey, duplicateRecord, etagMismatch, recordNotFound, resourceNotFound } from "./errors";
import { parseFetchXml, runFetch, type FetchQuery } from "./fetchXml";
import { PAGING_ANNOTATIONS, pagingCookieAnnotation, parsePagingCookie, SIMPLE_PAGING_MAX_ROWS } from "./fetchPaging";
import { FaultInjector, type ThrottleOptions } from "./faults";
import { FORMATTED_VALUE, formattedValue, stringMapRows, wantsFormattedValues } from "./formattedValues";
import { LOOKUP_LOGICAL_NAME, RELATIONSHIPS, TABLES, lookupValueKey, tableByName, type TableSpec } from "./metadata";
import { evaluateFilter, type FilterExpr } from "./odataFilter";
import { MAX_PAGE_SIZE, nextLink, parsePrefer, parseSkiptoken, skiptokenFor } from "./paging";
import { applyDerivedColumns, applyPayload, seedLookupValue } from "./payload";
import { parseCheckedFilter, parseExpand, parseOrderBy, parseSelect, rowResolver } from "./queryOptions";
import { addListMembersList, associate, disassociate, removeRelationshipsOf, type RelationshipEvent } from "./relationships";
import { representRow, rowUrl, type JsonObject, type RepresentationOptions } from "./representation";
import { operationOf, parseRoute, unboundAction, type HttpMethod, type OperationId, type Route } from "./routes";
import { fieldSecurityProfiles, securedColumns } from "../../../solution/src/model/security";
import { RowStore, etagOf } from "./store";
import type { ChangeEvent, ChangeMessage } from "./triggers";
import { sortCompare, type FieldValue, type Row } from "./values";

export interface DataverseRequest {
  method: HttpMethod;
  /** Web API path after the connection id, e.g. `/api/data/v9.1/contacts(<guid>)`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: unknown;
  /** Who the connection signs in as (the simulator's Caller); unset: the flows' own identity. */
  principal?: string;
}

export interface DataverseResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface FakeDataverseOptions {
  /** Rows per page (default and maximum 5000); tests use small pages to exercise paging. */
  pageSize?: number;
  orgUrl?: string;
  /** Clock for createdon/modifiedon; default the real time. */
  now?: () => Date;
}

export interface CallRecord {
  operation: OperationId;
  method: HttpMethod;
  path: string;
  status: number;
}

/** A row to seed: columns, `_x_value` lookups (with an optional lookuplogicalname annotation) or @odata.bind. */
export type SeedRow = Record<string, unknown>;

type ChangeListener = (event: ChangeEvent) => void;
type RelationshipListener = (event: RelationshipEvent) => void;

/** Object type codes of the system tables a flow writes (each table's reference page: ObjectTypeCode). */
const OBJECT_TYPE_CODES: Record<string, number> = { contact: 2, lead: 4, list: 4300, campaign: 4400, campaignactivity: 4402 };
/** The owner and business unit an access error names: someone else's record. */
const FOREIGN_OWNER = "5d0c1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f";

const JSON_HEADERS = { "Content-Type": "application/json; odata.metadata=minimal", "OData-Version": "4.0" };

const lowerKeys = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/**
 * In-memory Dataverse behind the Web API subset the Dataverse connector's operations use. The flow
 * simulator calls `handle`; tests seed and inspect rows through the typed helpers.
 */
export class FakeDataverse {
  private readonly store: RowStore;
  private readonly faults = new FaultInjector();
  private readonly writeDenied: Array<{ principal: string; table: string; ids?: string[] }> = [];
  /** Field security profiles (by name) of the users that sign in as themselves (invoker connections). */
  private readonly profiles = new Map<string, Set<string>>();
  private readonly pageSize: number;
  private readonly orgUrl: string;
  private readonly callLog: CallRecord[] = [];
  private readonly changeListeners = new Set<ChangeListener>();
  private readonly relationshipListeners = new Set<RelationshipListener>();
  /** Moves on every change of the data, so that a cached query result is never served stale. */
  private generation = 0;
  /** The last FetchXML query's full result, reused while its pages are read and nothing changes (speed only). */
  private fetchCache: { key: string; generation: number; rows: Row[]; positions: Map<unknown, number> } | undefined;
  /** Each row's place in its table, for answers found by key (speed only). */
  private positions: { table: TableSpec; generation: number; order: Map<unknown, number> } | undefined;

  constructor(options: FakeDataverseOptions = {}) {
    this.store = new RowStore(options.now ?? (() => new Date()));
    this.pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    this.orgUrl = (options.orgUrl ?? "https://fake.crm.dynamics.com").replace(/\/$/, "");
    this.seed("stringmap", stringMapRows());
  }

  // ---- test helpers ------------------------------------------------------------------------

  /** Inserts rows without events or call counting; returns their ids. `table` is a logical or entity set name. */
  seed(table: string, rows: SeedRow[]): string[] {
    this.generation++;
    const spec = tableByName(table);
    return rows.map((seed) => {
      const row: Row = {};
      const payload: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(seed)) {
        if (key === spec.primaryId) continue;
        if (key.endsWith(LOOKUP_LOGICAL_NAME)) row[key] = value as FieldValue;
        else if (seedLookupValue(spec, key, value as FieldValue, row)) continue;
        else if (spec.columns[key]?.readOnly) row[key] = value as FieldValue;
        else payload[key] = value;
      }
      const touched = applyPayload(this.store, spec, payload, row);
      const id = typeof seed[spec.primaryId] === "string" ? String(seed[spec.primaryId]).toLowerCase() : this.store.newId();
      if (this.store.get(spec, id)) throw new Error(`seed: ${spec.logicalName} ${id} exists already`);
      this.insert(spec, id, row, touched);
      return id;
    });
  }

  /** Changes plain columns of a stored row without events or call counting, as settings edited outside any flow. */
  change(table: string, id: string, values: Record<string, FieldValue>): void {
    const spec = tableByName(table);
    const row = this.store.get(spec, id);
    if (!row) throw new Error(`change: ${spec.logicalName} ${id} does not exist`);
    for (const key of Object.keys(values)) if (!spec.columns[key]) throw new Error(`change: ${spec.logicalName} has no column ${key}`);
    // A query read after the change sees it (the FetchXML results are kept per state of the data).
    this.generation++;
    Object.assign(row, values, { versionnumber: this.store.nextVersion() });
  }

  /** Relates two rows as Associate would (no events, not counted): e.g. ("listcontact_association", listId, contactId). */
  relate(relationship: string, ownerId: string, memberId: string): void {
    this.generation++;
    associate(this.store, relationship, ownerId, memberId);
  }

  /** Copies of the stored rows (with `_x_value` lookups and their lookuplogicalname annotations). */
  rows(table: string): Row[] {
    return [...this.store.table(tableByName(table)).values()].map((r) => ({ ...r }));
  }

  row(table: string, id: string): Row | undefined {
    const r = this.store.get(tableByName(table), id);
    return r && { ...r };
  }

  get calls(): readonly CallRecord[] {
    return this.callLog;
  }

  /** Calls per connector operation (all calls when omitted), including those that failed. */
  callCount(operation?: OperationId): number {
    return operation === undefined ? this.callLog.length : this.callLog.filter((c) => c.operation === operation).length;
  }

  resetCalls(): void {
    this.callLog.length = 0;
  }

  /**
   * `principal` may read but not write these rows of `table` (all of its rows without `ids`): as a
   * user whose roles give read but not write on records they do not own.
   */
  denyWrite(principal: string, table: string, ids?: string[]): void {
    this.writeDenied.push({ principal, table, ids: ids?.map((i) => i.toLowerCase()) });
  }

  /**
   * Adds `principal` to the solution's field security profile `profile` (solution/src/model/security.ts),
   * as an administrator does in the maker portal. A user in no profile may not write any secured column.
   */
  grantProfile(principal: string, profile: string): void {
    if (!fieldSecurityProfiles.some((p) => p.name === profile)) throw new Error(`${profile} is not a field security profile of the solution`);
    this.profiles.set(principal, (this.profiles.get(principal) ?? new Set<string>()).add(profile));
  }

  failNext(count: number, status: number): void {
    this.faults.failNext(count, status);
  }

  /** Answers a share of calls with 429 + Retry-After; `undefined` switches throttling off. */
  throttle(options: ThrottleOptions | undefined): void {
    this.faults.throttle(options);
  }

  /** Fires after every successful Create/Update/Delete through `handle`; returns an unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /**
   * Fires after Associate/Disassociate through `handle`. The intersect row they write or remove is
   * also reported to `onChange` as a Create/Delete of the intersect table.
   */
  onRelationshipChange(listener: RelationshipListener): () => void {
    this.relationshipListeners.add(listener);
    return () => this.relationshipListeners.delete(listener);
  }

  // ---- Web API -----------------------------------------------------------------------------

  async handle(request: DataverseRequest): Promise<DataverseResponse> {
    const action = unboundAction(request.method, request.path);
    if (action !== undefined) return this.unbound(request, action);
    const headers = lowerKeys(request.headers);
    let route: Route | undefined;
    let routeError: DataverseError | undefined;
    try {
      route = parseRoute(request.path);
    } catch (e) {
      if (!(e instanceof DataverseError)) throw e;
      routeError = e;
    }
    const operation = operationOf(request.method, route, headers);
    const record: CallRecord = { operation, method: request.method, path: request.path, status: 0 };
    this.callLog.push(record);
    const response = await Promise.resolve().then(() => {
      try {
        const fault = this.faults.next();
        if (fault) throw fault;
        if (routeError || !route) throw routeError ?? badRequest("Unroutable request.");
        this.checkWriteAccess(request.principal, route, operation);
        this.checkFieldSecurity(request.principal, route, operation, request.body);
        return this.dispatch(request, route, headers, operation);
      } catch (e) {
        if (!(e instanceof DataverseError)) throw e;
        return { status: e.status, headers: { ...JSON_HEADERS, ...e.headers }, body: e.body() };
      }
    });
    record.status = response.status;
    if (operation !== "ListRecords" && operation !== "GetItem") this.generation++;
    return response;
  }

  /** An unbound action: only AddListMembersList (relationships.ts), run as the flows' identity or the caller. */
  private async unbound(request: DataverseRequest, action: string): Promise<DataverseResponse> {
    const record: CallRecord = { operation: "PerformUnboundAction", method: request.method, path: request.path, status: 0 };
    this.callLog.push(record);
    const response = await Promise.resolve().then((): DataverseResponse => {
      try {
        const fault = this.faults.next();
        if (fault) throw fault;
        if (action !== "AddListMembersList") throw resourceNotFound(action);
        for (const event of addListMembersList(this.store, request.body)) {
          for (const listener of this.relationshipListeners) listener(event);
          this.emitIntersectChanges(event);
        }
        // The action returns no value: 204 No Content, as every Web API action without a return type.
        return { status: 204, headers: { "OData-Version": "4.0" } };
      } catch (e) {
        if (!(e instanceof DataverseError)) throw e;
        return { status: e.status, headers: { ...JSON_HEADERS, ...e.headers }, body: e.body() };
      }
    });
    record.status = response.status;
    this.generation++;
    return response;
  }

  /**
   * A write to a record the caller may not write fails the access check: 403 with the platform's
   * SecLib::AccessCheckEx text, hr -2147187962 (0x80048306, "Not enough privilege to access the
   * Microsoft Dynamics 365 object or perform the requested operation"; Microsoft's troubleshooting
   * page for server-side synchronization quotes it with "AccessRights: WriteAccess").
   */
  private checkWriteAccess(principal: string | undefined, route: Route, operation: OperationId): void {
    if (principal === undefined || !["UpdateRecord", "UpdateOnlyRecord", "DeleteRecord"].includes(operation) || route.id === undefined) return;
    const id = route.id.toLowerCase();
    const table = route.table.logicalName;
    const denied = this.writeDenied.some((d) => d.principal === principal && d.table === table && (d.ids === undefined || d.ids.includes(id)));
    if (!denied) return;
    throw new DataverseError(
      403,
      "0x80048306",
      `SecLib::AccessCheckEx failed. Returned hr = -2147187962, ObjectID: ${id}, OwnerId: ${FOREIGN_OWNER},  OwnerIdType: 8 and CallingUser: ${principal}. ObjectTypeCode: ${OBJECT_TYPE_CODES[table] ?? 0}, objectBusinessUnitId: ${FOREIGN_OWNER}, AccessRights: WriteAccess `,
    );
  }

  /**
   * Column security: a user (an invoker connection) writes a secured column only through a field
   * security profile that lets them update (create, for a new row) it; otherwise the whole write is
   * refused. The words follow the platform's create case, "The user does not have create permissions
   * to a secured field. The requested operation could not be completed." (quoted from a real
   * environment in rappen/AutoNumManager#18). The status and code were found in no source: the fake
   * answers 403 with the access check's code, and the flows treat any refusal of such a write alike.
   */
  private checkFieldSecurity(principal: string | undefined, route: Route, operation: OperationId, body: unknown): void {
    if (principal === undefined || !["CreateRecord", "UpdateRecord", "UpdateOnlyRecord"].includes(operation)) return;
    const creating = operation === "CreateRecord";
    const columns = Object.keys((body ?? {}) as Record<string, unknown>).map((k) => k.toLowerCase());
    const table = route.table.logicalName;
    const mine = fieldSecurityProfiles.filter((p) => this.profiles.get(principal)?.has(p.name));
    for (const secured of securedColumns().filter((c) => c.table === table && columns.includes(c.column))) {
      const allowed = mine.some((p) => p.permissions.some((x) => x.table === table && x.column === secured.column && (creating ? x.create : x.update)));
      if (!allowed)
        throw new DataverseError(
          403,
          "0x80048306",
          `The user does not have ${creating ? "create" : "update"} permissions to a secured field. The requested operation could not be completed.`,
        );
    }
  }

  private dispatch(request: DataverseRequest, route: Route, headers: Record<string, string>, operation: OperationId): DataverseResponse {
    switch (operation) {
      case "ListRecords":
        return this.listRecords(route, request.query, headers);
      case "GetItem":
        return this.getItem(route, request.query, headers);
      case "CreateRecord":
        return this.write(route, request, headers, "create");
      case "UpdateRecord":
        return this.write(route, request, headers, "upsert");
      case "UpdateOnlyRecord":
        return this.write(route, request, headers, "update");
      case "DeleteRecord":
        return this.deleteRecord(route);
      case "AssociateEntities":
      case "DisassociateEntities":
        return this.relationship(route, request, operation);
      case "PerformUnboundAction":
      case "Unknown":
        throw new DataverseError(405, "0x80060888", `${request.method} is not supported on '${request.path}'.`);
    }
  }

  private serviceRoot(route: Route): string {
    return `${this.orgUrl}/api/data/${route.version}`;
  }

  private representation(route: Route, query: Record<string, string>, headers: Record<string, string>): RepresentationOptions {
    const prefer = parsePrefer(headers.prefer);
    return {
      select: parseSelect(route.table, query.$select),
      expand: parseExpand(route.table, query.$expand),
      annotations: prefer.has("odata.include-annotations"),
      formattedValues: wantsFormattedValues(prefer.get("odata.include-annotations")),
      fullMetadata: /odata\.metadata=full/.test(headers.accept ?? ""),
      serviceRoot: this.serviceRoot(route),
    };
  }

  private context(route: Route, select: string[] | undefined, entity: boolean): string {
    const columns = select ? `(${select.join(",")})` : "";
    return `${this.serviceRoot(route)}/$metadata#${route.table.entitySetName}${columns}${entity ? "/$entity" : ""}`;
  }

  private listRecords(route: Route, query: Record<string, string>, headers: Record<string, string>): DataverseResponse {
    const prefer = parsePrefer(headers.prefer);
    const maxPageSize = Number(prefer.get("odata.maxpagesize") ?? MAX_PAGE_SIZE);
    const pageSize = Math.max(1, Math.min(this.pageSize, Number.isFinite(maxPageSize) ? maxPageSize : MAX_PAGE_SIZE));
    if (query.fetchXml !== undefined) return this.listByFetchXml(route, query, headers, pageSize);

    const table = route.table;
    const options = this.representation(route, query, headers);
    const filter = parseCheckedFilter(table, query.$filter);
    const orderBy = parseOrderBy(table, query.$orderby);
    const top = query.$top === undefined ? undefined : Number.parseInt(query.$top, 10);
    if (top !== undefined && (!Number.isInteger(top) || top < 0)) throw badRequest(`Invalid $top value '${query.$top}'.`);

    const ids = filter && primaryKeysOnly(filter, table.primaryId);
    let rows = ids ? this.rowsById(table, ids) : [...this.store.table(table).values()];
    if (filter && !ids) rows = rows.filter((row) => evaluateFilter(filter, rowResolver(this.store, table, row)));
    if (orderBy.length > 0) {
      rows.sort((a, b) => {
        for (const o of orderBy) {
          const c = sortCompare(a[o.property] ?? null, b[o.property] ?? null);
          if (c !== 0) return o.descending ? -c : c;
        }
        return 0;
      });
    }
    // $top bounds the whole result; pages of at most pageSize are served from within it.
    if (top !== undefined) rows = rows.slice(0, top);

    const offset = parseSkiptoken(query.$skiptoken)?.offset ?? 0;
    const page = rows.slice(offset, offset + pageSize);
    const body: JsonObject = {
      "@odata.context": this.context(route, options.select, false),
      value: page.map((row) => representRow(this.store, table, row, options)),
    };
    if (query.$count === "true") body["@odata.count"] = Math.min(rows.length, MAX_PAGE_SIZE);
    const next = offset + pageSize;
    if (next < rows.length) {
      const pageNumber = Math.floor(next / pageSize) + 1;
      body["@odata.nextLink"] = nextLink(this.serviceRoot(route), table.entitySetName, query, skiptokenFor(pageNumber, next));
    }
    return {
      status: 200,
      headers: { ...JSON_HEADERS, ...(prefer.has("odata.maxpagesize") ? { "Preference-Applied": `odata.maxpagesize=${pageSize}` } : {}) },
      body,
    };
  }

  /** FetchXML is paged by the caller only, with page, count and paging-cookie (see fetchPaging.ts). */
  private listByFetchXml(route: Route, query: Record<string, string>, headers: Record<string, string>, pageSize: number): DataverseResponse {
    if (query.$skiptoken !== undefined) throw badRequest("A fetchXml query is paged by its page and paging-cookie attributes, not by $skiptoken.");
    const fetch = parseFetchXml(query.fetchXml ?? "");
    const table = route.table;
    if (fetch.table.logicalName !== table.logicalName) {
      throw badRequest(`The FetchXML entity '${fetch.table.logicalName}' does not match the entity set '${table.entitySetName}'.`);
    }
    // "Don't use the fetch element top attribute with paging. These different methods of limiting
    // the results of a query are not compatible." Refused rather than guessed.
    if (fetch.top !== undefined && (fetch.page !== undefined || fetch.count !== undefined || fetch.pagingCookie !== undefined)) {
      throw badRequest("The fetch element's top attribute can't be combined with paging (count, page, paging-cookie).");
    }
    if (fetch.count !== undefined && (!Number.isInteger(fetch.count) || fetch.count < 1 || fetch.count > MAX_PAGE_SIZE)) {
      throw badRequest(`The fetch count ${fetch.count} is outside 1..${MAX_PAGE_SIZE}.`);
    }
    const prefer = parsePrefer(headers.prefer);
    const annotations = prefer.has("odata.include-annotations");
    const wanted = (prefer.get("odata.include-annotations") ?? "").split(",").map((x) => x.trim());
    const pagingAnnotations = wanted.includes("*") || PAGING_ANNOTATIONS.every((a) => wanted.includes(a));
    const formatted = wantsFormattedValues(prefer.get("odata.include-annotations"));
    const { rows, positions } = this.fetchResult(table, query.fetchXml ?? "", fetch);
    const size = Math.min(fetch.count ?? pageSize, pageSize);
    const page = fetch.page ?? 1;
    if (!Number.isInteger(page) || page < 1) throw badRequest(`The fetch page ${page} must be 1 or more.`);
    const primaryKey = table.primaryId;
    const cookie = fetch.pagingCookie !== undefined && fetch.pagingCookie !== "" ? parsePagingCookie(primaryKey, fetch.pagingCookie) : undefined;
    let from: number;
    if (cookie && cookie.page === page - 1) {
      // The cookie positions after its last row; a row gone since then falls back to the page's offset.
      const at = positions(primaryKey).get(cookie.last);
      from = at !== undefined ? at + 1 : (page - 1) * size;
    } else {
      // Simple paging (no cookie, or one for another page, which is ignored).
      if (page * size > SIMPLE_PAGING_MAX_ROWS) {
        throw badRequest(
          `Simple paging (count and page without a paging-cookie) can't return a data set larger than ${SIMPLE_PAGING_MAX_ROWS} records; pass the paging cookie of page ${page - 1}.`,
        );
      }
      from = (page - 1) * size;
    }
    const slice = rows.slice(from, from + size);
    const more = rows.length > from + size;
    const body: JsonObject = { "@odata.context": this.context(route, undefined, false) };
    if (more && pagingAnnotations && slice.length > 0) {
      const pageCookie = { page, first: String(slice[0]?.[primaryKey]), last: String(slice[slice.length - 1]?.[primaryKey]) };
      body["@Microsoft.Dynamics.CRM.fetchxmlpagingcookie"] = pagingCookieAnnotation(primaryKey, pageCookie);
      body["@Microsoft.Dynamics.CRM.morerecords"] = true;
    }
    body.value = slice.map((row) => {
      const out: JsonObject = { "@odata.etag": etagOf(row) };
      for (const [k, v] of Object.entries(row)) {
        if (k === "versionnumber") continue;
        const lookupEntity = annotations && v !== null ? fetchLookupEntity(fetch.table, k, row, this.store) : undefined;
        if (lookupEntity) out[`${k}${LOOKUP_LOGICAL_NAME}`] = lookupEntity;
        const shown = formatted && !k.includes("@") ? formattedValue(this.store, table, row, k) : undefined;
        if (shown !== undefined) out[`${k}${FORMATTED_VALUE}`] = shown;
        out[k] = v;
      }
      return out;
    });
    return { status: 200, headers: JSON_HEADERS, body };
  }

  /**
   * The rows with these primary keys, in the table's own order, found by key: the answer a filter
   * of `<id> eq … or <id> eq …` gives, without testing every row (speed only).
   */
  private rowsById(table: TableSpec, ids: string[]): Row[] {
    const rows = this.store.table(table);
    const found = [...new Set(ids.map((id) => id.toLowerCase()))].flatMap((id) => {
      const row = rows.get(id);
      return row ? [row] : [];
    });
    if (found.length < 2) return found;
    if (this.positions?.table !== table || this.positions.generation !== this.generation) {
      const order = new Map<unknown, number>();
      let i = 0;
      for (const key of rows.keys()) order.set(key, i++);
      this.positions = { table, generation: this.generation, order };
    }
    const order = this.positions.order;
    return found.sort((a, b) => (order.get(a[table.primaryId]) ?? 0) - (order.get(b[table.primaryId]) ?? 0));
  }

  /**
   * The query's whole result, computed once per query and state of the data: a flow reads a large
   * result a page at a time, and recomputing it per page would make the fake, not the flow, the cost
   * of a benchmark. `positions` finds a row by its primary key (where a paging cookie continues).
   */
  private fetchResult(table: TableSpec, xml: string, fetch: FetchQuery): { rows: Row[]; positions: (key: string) => Map<unknown, number> } {
    const key = `${table.logicalName}|${xml.replace(/\s(count|page|paging-cookie)=("[^"]*"|'[^']*')/g, "")}`;
    let cached = this.fetchCache;
    if (!cached || cached.key !== key || cached.generation !== this.generation) {
      cached = { key, generation: this.generation, rows: runFetch(this.store, fetch), positions: new Map() };
      this.fetchCache = cached;
    }
    const result = cached;
    return {
      rows: result.rows,
      positions: (primaryKey) => {
        if (result.positions.size === 0) result.rows.forEach((r, i) => result.positions.set(r[primaryKey], i));
        return result.positions;
      },
    };
  }

  private getItem(route: Route, query: Record<string, string>, headers: Record<string, string>): DataverseResponse {
    const row = this.requireRow(route.table, route.id ?? "");
    const options = this.representation(route, query, headers);
    return {
      status: 200,
      headers: JSON_HEADERS,
      body: { "@odata.context": this.context(route, options.select, true), ...representRow(this.store, route.table, row, options) },
    };
  }

  private requireRow(table: TableSpec, id: string): Row {
    const row = this.store.get(table, id);
    if (!row) throw recordNotFound(table.logicalName, id);
    return row;
  }

  /**
   * create: POST; upsert: PATCH v9.1 (UpdateRecord) creates a missing row with the given id;
   * update: UpdateOnlyRecord, 404 when missing. If-Match / If-None-Match are honoured.
   */
  private write(route: Route, request: DataverseRequest, headers: Record<string, string>, mode: "create" | "upsert" | "update"): DataverseResponse {
    const table = route.table;
    if (table.intersect) {
      const message = mode === "create" ? "Create" : "Update";
      throw badRequest(
        `The '${message}' method does not support entities of type '${table.logicalName}'. Relate the rows with Associate instead.`,
        "0x80040800",
      );
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const bodyId = typeof body[table.primaryId] === "string" ? String(body[table.primaryId]).toLowerCase() : undefined;
    const id = route.id ?? bodyId ?? this.store.newId();
    const existing = this.store.get(table, id);
    const ifMatch = headers["if-match"];
    const ifNoneMatch = headers["if-none-match"];
    const prefer = parsePrefer(headers.prefer);
    const options = this.representation(route, request.query, headers);
    const entityId = rowUrl(this.serviceRoot(route), table, id);

    if (!existing) {
      if (mode === "update" || (ifMatch !== undefined && mode === "upsert")) throw recordNotFound(table.logicalName, id);
      const row: Row = {};
      const touched = applyPayload(this.store, table, body, row);
      const created = this.insert(table, id, row, touched);
      this.emit("Create", table, id, touched, null, created);
      if (prefer.get("return") === "representation") {
        return {
          status: 201,
          headers: { ...JSON_HEADERS, "OData-EntityId": entityId },
          body: { "@odata.context": this.context(route, options.select, true), ...representRow(this.store, table, created, options) },
        };
      }
      return { status: 204, headers: { "OData-Version": "4.0", "OData-EntityId": entityId } };
    }

    // A create of a taken id fails and changes nothing (errors.ts, duplicateKey): flows use it as a claim only one run wins.
    if (mode === "create") throw duplicateKey();
    if (ifNoneMatch === "*") throw duplicateRecord();
    if (ifMatch !== undefined && ifMatch !== "*" && ifMatch !== etagOf(existing)) throw etagMismatch();
    const before = { ...existing };
    const next: Row = { ...existing };
    const touched = applyPayload(this.store, table, body, next);
    applyDerivedColumns(table, next, touched);
    next.modifiedon = this.store.now();
    next.versionnumber = this.store.nextVersion();
    this.store.table(table).set(id, next);
    this.emit("Update", table, id, touched, before, next);
    if (prefer.get("return") === "representation") {
      return {
        status: 200,
        headers: JSON_HEADERS,
        body: { "@odata.context": this.context(route, options.select, true), ...representRow(this.store, table, next, options) },
      };
    }
    return { status: 204, headers: { "OData-Version": "4.0", "OData-EntityId": entityId } };
  }

  private insert(table: TableSpec, id: string, row: Row, touched: string[]): Row {
    row[table.primaryId] = id;
    applyDerivedColumns(table, row, touched);
    const now = this.store.now();
    row.createdon ??= now;
    row.modifiedon ??= now;
    row.versionnumber = this.store.nextVersion();
    this.store.table(table).set(id, row);
    return row;
  }

  private deleteRecord(route: Route): DataverseResponse {
    const table = route.table;
    const id = route.id ?? "";
    const row = this.requireRow(table, id);
    this.store.table(table).delete(id);
    removeRelationshipsOf(this.store, table.logicalName, id);
    this.removeLinksTo(table.logicalName, id);
    this.emit("Delete", table, id, [], row, row);
    return { status: 204, headers: { "OData-Version": "4.0" } };
  }

  /** Lookups to a deleted row are cleared (the "Remove Link" cascade of referential relationships). */
  private removeLinksTo(logicalName: string, id: string): void {
    for (const table of TABLES) {
      for (const lookup of table.lookups) {
        const key = lookupValueKey(lookup.name);
        for (const row of this.store.table(table).values()) {
          if (row[key] === id && row[`${key}${LOOKUP_LOGICAL_NAME}`] === logicalName) {
            row[key] = null;
            delete row[`${key}${LOOKUP_LOGICAL_NAME}`];
          }
        }
      }
    }
  }

  private relationship(route: Route, request: DataverseRequest, operation: OperationId): DataverseResponse {
    const ref = route.ref;
    if (!ref || route.id === undefined) throw badRequest("A $ref request needs a row and a relationship.");
    let otherUrl: string | undefined;
    if (operation === "AssociateEntities") {
      const body = request.body as Record<string, unknown> | undefined;
      const value = body?.["@odata.id"];
      if (typeof value !== "string") throw badRequest('Associate needs a body {"@odata.id": "<row URL>"}.');
      otherUrl = value;
    } else {
      otherUrl = ref.otherId !== undefined ? undefined : request.query.$id;
      if (ref.otherId === undefined && otherUrl === undefined) throw badRequest("Disassociate needs $id or the related row's id in the path.");
    }
    const event =
      operation === "AssociateEntities"
        ? associate(this.store, ref.relationship, route.id, otherUrl ?? "", route.table)
        : disassociate(this.store, ref.relationship, route.id, otherUrl ?? ref.otherId ?? "", route.table);
    if (event) {
      for (const listener of this.relationshipListeners) listener(event);
      this.emitIntersectChanges(event);
    }
    return { status: 204, headers: { "OData-Version": "4.0" } };
  }

  /**
   * Associate writes a row of the intersect table (listmember, campaignitem, campaignactivityitem)
   * and Disassociate deletes it; Dataverse raises Create and Delete on those tables (their table
   * reference lists both as events), which is what a row trigger on them subscribes to. The N:N
   * relationship itself is no trigger table ("doesn't support relationships of type 1:N or N:N").
   */
  private emitIntersectChanges(event: RelationshipEvent): void {
    const table = tableByName(RELATIONSHIPS.find((r) => r.name === event.relationship)?.intersect ?? "");
    for (const row of event.intersectRows) {
      const id = String(row[table.primaryId]);
      if (event.message === "Associate") this.emit("Create", table, id, Object.keys(row), null, row);
      else this.emit("Delete", table, id, [], row, row);
    }
  }

  private emit(message: ChangeMessage, table: TableSpec, id: string, changedAttributes: string[], before: Row | null, after: Row): void {
    if (this.changeListeners.size === 0) return;
    // The trigger's row: lookup names, but no formatted values (no source shows them in the trigger's body).
    const full: RepresentationOptions = { annotations: true, formattedValues: false, fullMetadata: false, serviceRoot: `${this.orgUrl}/api/data/v9.1` };
    const event: ChangeEvent = {
      message,
      entity: table.logicalName,
      id,
      changedAttributes: [...new Set(changedAttributes)],
      row: representRow(this.store, table, after, full),
      preImage: before && representRow(this.store, table, before, full),
    };
    for (const listener of this.changeListeners) listener(event);
  }
}

function fetchLookupEntity(table: TableSpec, key: string, row: Row, store: RowStore): string | undefined {
  if (!table.lookups.some((l) => lookupValueKey(l.name) === key)) return undefined;
  const stored = store.get(table, String(row[table.primaryId]));
  const entity = stored?.[`${key}${LOOKUP_LOGICAL_NAME}`];
  return typeof entity === "string" ? entity : undefined;
}

/** The primary keys a filter asks for when it is nothing but `<primary key> eq <value>` joined by `or`. */
function primaryKeysOnly(filter: FilterExpr, primaryId: string): string[] | undefined {
  if (filter.kind === "or") {
    const left = primaryKeysOnly(filter.left, primaryId);
    const right = left && primaryKeysOnly(filter.right, primaryId);
    return left && right ? [...left, ...right] : undefined;
  }
  if (filter.kind !== "compare" || filter.op !== "eq") return undefined;
  const [property, literal] = filter.left.kind === "property" ? [filter.left, filter.right] : [filter.right, filter.left];
  if (property.kind !== "property" || literal.kind !== "literal") return undefined;
  if (property.path.length !== 1 || property.path[0] !== primaryId || typeof literal.value !== "string") return undefined;
  return [literal.value];
}
