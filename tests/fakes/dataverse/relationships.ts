import { badRequest, recordNotFound, resourceNotFound } from "./errors";
import {
  LIST_MEMBER_TABLE,
  LOOKUP_LOGICAL_NAME,
  RELATIONSHIPS,
  tableByEntitySet,
  tableByLogicalName,
  tableByName,
  type ManyToManySpec,
  type TableSpec,
} from "./metadata";
import { parseEntityReference } from "./payload";
import type { RowStore } from "./store";
import { GUID, type Row } from "./values";

/**
 * N:N relationships of marketing lists, campaigns and campaign activities, kept as rows of their
 * intersect tables (listmember, campaignitem, campaignactivityitem) so that queries and FetchXML
 * link-entities over those tables see the same data Associate wrote.
 */
export interface RelationshipEvent {
  message: "Associate" | "Disassociate";
  relationship: string;
  owner: { entity: string; id: string };
  member: { entity: string; id: string };
  /** The intersect rows written (Associate) or removed (Disassociate), for the row-change events. */
  intersectRows: Row[];
}

function relationshipSpec(name: string): ManyToManySpec {
  const spec = RELATIONSHIPS.find((r) => r.name === name);
  if (!spec) throw resourceNotFound(name);
  return spec;
}

/**
 * Which id is the owner's and which the member's. Without `from`, `id` is the owner and `other`
 * the member id; with it (a $ref request on `from`), `other` is a row URL or the other side's id.
 */
function sides(spec: ManyToManySpec, id: string, other: string, from?: TableSpec): { ownerId: string; memberId: string } {
  if (!from) return { ownerId: id.toLowerCase(), memberId: other.toLowerCase() };
  const isOwner = from.logicalName === spec.owner.entity;
  if (!isOwner && from.logicalName !== spec.member.entity) throw resourceNotFound(spec.name);
  const otherEntity = isOwner ? spec.member.entity : spec.owner.entity;
  let otherId = other.toLowerCase();
  if (!GUID.test(other)) {
    const ref = parseEntityReference(other);
    const refTable = ref && tableByEntitySet(ref.entitySet);
    if (!ref || !refTable) throw badRequest(`Invalid row URL '${other}'.`);
    if (refTable.logicalName !== otherEntity)
      throw badRequest(`${spec.name} relates ${spec.owner.entity} and ${spec.member.entity}, not ${refTable.logicalName}.`);
    otherId = ref.id;
  }
  return isOwner ? { ownerId: id.toLowerCase(), memberId: otherId } : { ownerId: otherId, memberId: id.toLowerCase() };
}

/**
 * Intersect rows by relationship, owner and member, so that adding 100,000 list members is not a
 * scan of all members per member. Rows enter intersect tables only through associate(); the index
 * is checked against the table, so rows removed any other way simply drop out.
 */
const linkIndex = new WeakMap<RowStore, Map<string, Set<string>>>();
const linkKey = (spec: ManyToManySpec, ownerId: string, memberId: string): string => `${spec.name}|${ownerId}|${memberId}`;

function indexOf(store: RowStore): Map<string, Set<string>> {
  let index = linkIndex.get(store);
  if (!index) {
    index = new Map();
    linkIndex.set(store, index);
  }
  return index;
}

function linkRows(store: RowStore, spec: ManyToManySpec, ownerId: string, memberId: string): Array<[string, Row]> {
  const table = store.table(tableByName(spec.intersect));
  const keys = indexOf(store).get(linkKey(spec, ownerId, memberId)) ?? new Set<string>();
  return [...keys]
    .map((k): [string, Row | undefined] => [k, table.get(k)])
    .filter((e): e is [string, Row] => e[1] !== undefined)
    .filter(
      ([, row]) =>
        row[spec.owner.column] === ownerId &&
        row[spec.member.column] === memberId &&
        (!spec.member.typeColumn || row[spec.member.typeColumn] === spec.member.entity),
    );
}

function checkListAccepts(list: Row, memberEntity: string): void {
  if (list.type === true) throw badRequest("Members cannot be added to or removed from a dynamic marketing list; change its query instead.", "0x8004f0f2");
  const code = typeof list.createdfromcode === "number" ? list.createdfromcode : undefined;
  const accepted = code === undefined ? undefined : LIST_MEMBER_TABLE[code];
  if (accepted && accepted !== memberEntity) {
    throw badRequest(`This marketing list holds ${accepted} rows; a ${memberEntity} cannot be added.`, "0x8004f0f3");
  }
}

export function associate(store: RowStore, relationship: string, id: string, other: string, from?: TableSpec): RelationshipEvent | undefined {
  const spec = relationshipSpec(relationship);
  const { ownerId, memberId } = sides(spec, id, other, from);
  const ownerTable = tableByName(spec.owner.entity);
  const memberTable = tableByName(spec.member.entity);
  const owner = store.get(ownerTable, ownerId);
  if (!owner) throw recordNotFound(ownerTable.logicalName, ownerId);
  if (!store.get(memberTable, memberId)) throw recordNotFound(memberTable.logicalName, memberId);
  if (ownerTable.logicalName === "list") checkListAccepts(owner, memberTable.logicalName);
  // Adding an existing member is a no-op, as AddMemberList is.
  if (linkRows(store, spec, ownerId, memberId).length > 0) return undefined;

  const intersect = tableByName(spec.intersect);
  const now = store.now();
  const row: Row = { [intersect.primaryId]: store.newId(), createdon: now, modifiedon: now, versionnumber: store.nextVersion() };
  row[spec.owner.column] = ownerId;
  if (spec.owner.column.startsWith("_")) row[`${spec.owner.column}${LOOKUP_LOGICAL_NAME}`] = spec.owner.entity;
  row[spec.member.column] = memberId;
  if (spec.member.column.startsWith("_")) row[`${spec.member.column}${LOOKUP_LOGICAL_NAME}`] = spec.member.entity;
  if (spec.member.typeColumn) row[spec.member.typeColumn] = spec.member.entity;
  store.table(intersect).set(String(row[intersect.primaryId]), row);
  const index = indexOf(store);
  const k = linkKey(spec, ownerId, memberId);
  index.set(k, (index.get(k) ?? new Set<string>()).add(String(row[intersect.primaryId])));
  return {
    message: "Associate",
    relationship,
    owner: { entity: spec.owner.entity, id: ownerId },
    member: { entity: spec.member.entity, id: memberId },
    intersectRows: [row],
  };
}

export function disassociate(store: RowStore, relationship: string, id: string, other: string, from?: TableSpec): RelationshipEvent | undefined {
  const spec = relationshipSpec(relationship);
  const { ownerId, memberId } = sides(spec, id, other, from);
  const owner = store.get(tableByName(spec.owner.entity), ownerId);
  if (!owner) throw recordNotFound(spec.owner.entity, ownerId);
  if (spec.owner.entity === "list" && owner.type === true) checkListAccepts(owner, spec.member.entity);
  const links = linkRows(store, spec, ownerId, memberId);
  if (links.length === 0) return undefined;
  const intersect = store.table(tableByName(spec.intersect));
  for (const [key] of links) intersect.delete(key);
  return {
    message: "Disassociate",
    relationship,
    owner: { entity: spec.owner.entity, id: ownerId },
    member: { entity: spec.member.entity, id: memberId },
    intersectRows: links.map(([, row]) => row),
  };
}

/** Deleting a row deletes its intersect rows, as Dataverse does for N:N relationships. */
export function removeRelationshipsOf(store: RowStore, logicalName: string, id: string): void {
  for (const spec of RELATIONSHIPS) {
    const intersect = store.table(tableByName(spec.intersect));
    for (const [key, row] of [...intersect.entries()]) {
      const asOwner = spec.owner.entity === logicalName && row[spec.owner.column] === id;
      const asMember =
        spec.member.entity === logicalName && row[spec.member.column] === id && (!spec.member.typeColumn || row[spec.member.typeColumn] === logicalName);
      if (asOwner || asMember) intersect.delete(key);
    }
  }
}

/**
 * The most members one AddListMembersList call takes here. Microsoft documents no limit for the action
 * (its Web API reference lists only `List` and `Members`); the fake refuses more than the SDK's batch
 * size of 1000 (ExecuteMultiple's MaxBatchSize), the stricter plausible choice, so that a flow that
 * sends a whole page of members at once is caught here and not by a timeout on the platform.
 */
export const ADD_LIST_MEMBERS_MAX = 1000;

const GUID_TEXT = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;

/**
 * AddListMembersList (Web API action reference, "AddListMembersList Action": unbound, parameters
 * `List` (list EntityType) and `Members` (Collection(crmbaseentity EntityType)), returns no value),
 * as the organization service's AddListMembersListRequest: adds every member to a static list. An
 * entity-typed parameter is the row's primary key; a crmbaseentity one also names its type with
 * `@odata.type` ("Use Web API actions": the base type says nothing of the table). Refused whole
 * (nothing is added) for a dynamic list, a member of another table than the list's, a member that
 * does not exist, or a malformed body: the action runs in one transaction. A member already in the
 * list is passed over, as AddMemberList does.
 */
export function addListMembersList(store: RowStore, body: unknown): RelationshipEvent[] {
  const b = (body ?? {}) as { List?: Record<string, unknown>; Members?: unknown };
  const listId = b.List?.listid;
  if (typeof listId !== "string" || !GUID_TEXT.test(listId)) throw badRequest('AddListMembersList needs List as {"listid": "<guid>"}.');
  if (!Array.isArray(b.Members) || b.Members.length === 0) throw badRequest("AddListMembersList needs Members: a non-empty collection of rows.");
  if (b.Members.length > ADD_LIST_MEMBERS_MAX)
    throw badRequest(`AddListMembersList takes at most ${ADD_LIST_MEMBERS_MAX} members per call here; it was sent ${b.Members.length}.`);
  const listTable = tableByName("list");
  const list = store.get(listTable, listId.toLowerCase());
  if (!list) throw recordNotFound("list", listId.toLowerCase());
  const members = b.Members.map((m) => {
    const row = (m ?? {}) as Record<string, unknown>;
    const type = typeof row["@odata.type"] === "string" ? (row["@odata.type"] as string).replace(/^#?Microsoft\.Dynamics\.CRM\./, "") : undefined;
    if (!type) throw badRequest("Each of Members needs its @odata.type (Microsoft.Dynamics.CRM.contact, .lead or .account).");
    const table = tableByLogicalName(type);
    if (!table || !Object.values(LIST_MEMBER_TABLE).includes(type)) throw badRequest(`A ${type} cannot be a member of a marketing list.`);
    const id = row[table.primaryId];
    if (typeof id !== "string" || !GUID_TEXT.test(id)) throw badRequest(`A ${type} in Members needs its ${table.primaryId}.`);
    checkListAccepts(list, type);
    if (!store.get(table, id.toLowerCase())) throw recordNotFound(type, id.toLowerCase());
    return { type, id: id.toLowerCase() };
  });
  const events: RelationshipEvent[] = [];
  for (const m of members) {
    const event = associate(store, `list${m.type}_association`, listId.toLowerCase(), m.id);
    if (event) events.push(event);
  }
  return events;
}
