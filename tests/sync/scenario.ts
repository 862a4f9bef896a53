import { acceptedTypesKey } from "../../flows/product/rules/eligibility";
import { CHECKLIST_STATE, type ChecklistRow, type ChecklistState } from "../../pcf-checklist/src/checklist";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { COLUMNS, TABLES } from "../../solution/src/model/handles";
import { DATAVERSE_API } from "../../flows/toolkit/builder/dataverse";
import { LIST_MEMBER_CODE } from "../../flows/product/sync/groupOwners";
import type { Fakes, TriggerRouter } from "../sim/harness";
import type { FlowArtifact } from "../../solution/src/slots/flows";
import { cleverReachToCrmFlow } from "../../flows/product/cleverreachToCrm/cleverReachToCrmFlow";
import { readDeclines } from "../../flows/product/rules/receiverStates";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { SYNC_MARK } from "../../flows/product/sync/receivers";

/** Checklist rows from `{ typeId: state }` (descriptions as the seed's types). */
export function checklist(states: Record<number, ChecklistState>): ChecklistRow[] {
  return Object.entries(states).map(([id, state], i) => ({
    id: Number(id),
    state,
    description: `Type ${id}`,
    modifiedby: state === CHECKLIST_STATE.notChosen ? "" : "Test User",
    modifiedon: state === CHECKLIST_STATE.notChosen ? "" : "2026-11-01T10:00:00.000Z",
    position: i,
  }));
}

export interface PersonSeed {
  firstname?: string;
  lastname?: string;
  email?: string | null;
  states?: Record<number, ChecklistState>;
  active?: boolean;
  salutation?: string;
}

/** A person row as the product keeps it: the checklist JSON and its derived accepted-types column. */
export function personRow(p: PersonSeed): Record<string, unknown> {
  const rows = checklist(p.states ?? {});
  return {
    firstname: p.firstname ?? "Test",
    lastname: p.lastname ?? "Person",
    salutation: p.salutation ?? "",
    emailaddress1: p.email === undefined ? `${(p.firstname ?? "test").toLowerCase()}@example.com` : p.email,
    [COLUMNS.newsletterChecklist]: serializeChecklist(rows),
    [COLUMNS.acceptedTypes]: acceptedTypesKey(rows),
    statecode: p.active === false ? 1 : 0,
  };
}

export function seedContacts(fakes: Fakes, people: PersonSeed[]): string[] {
  return fakes.dataverse.seed("contact", people.map(personRow));
}

/** A static marketing list with sync on and the given type selection, holding `members`. */
export function seedStaticList(
  fakes: Fakes,
  name: string,
  states: Record<number, ChecklistState>,
  members: string[],
  memberTable: keyof typeof LIST_MEMBER_CODE = "contact",
): string {
  const [id] = fakes.dataverse.seed("list", [
    {
      listname: name,
      type: false,
      createdfromcode: LIST_MEMBER_CODE[memberTable],
      [COLUMNS.syncWithCleverReach]: true,
      [COLUMNS.newsletterChecklist]: serializeChecklist(checklist(states)),
    },
  ]);
  for (const m of members) fakes.dataverse.relate(`list${memberTable}_association`, id!, m);
  return id!;
}

/** Contacts living in Berlin, as a dynamic list's stored FetchXML. */
export const BERLIN_CONTACTS_QUERY =
  '<fetch version="1.0" mapping="logical"><entity name="contact"><attribute name="fullname"/><filter type="and"><condition attribute="address1_city" operator="eq" value="Berlin"/></filter></entity></fetch>';

/** A dynamic marketing list of contacts with sync on and the given type selection; its members are whoever `query` selects. */
export function seedDynamicList(fakes: Fakes, name: string, states: Record<number, ChecklistState>, query = BERLIN_CONTACTS_QUERY): string {
  const [id] = fakes.dataverse.seed("list", [
    {
      listname: name,
      type: true,
      createdfromcode: LIST_MEMBER_CODE.contact,
      query,
      [COLUMNS.syncWithCleverReach]: true,
      [COLUMNS.newsletterChecklist]: serializeChecklist(checklist(states)),
    },
  ]);
  return id!;
}

/** What the fake CleverReach holds for a group: e-mail → { active, attributes (global and group values) }. */
export function groupContents(fakes: Fakes, groupId: number): Map<string, { active: boolean; attributes: Record<string, string> }> {
  const store = fakes.cleverReach.server.store;
  const out = new Map<string, { active: boolean; attributes: Record<string, string> }>();
  for (const [email, r] of store.groupReceivers(groupId)) {
    // The receiver's global values and its group values, without the sweep's mark (a time).
    const { [SYNC_MARK.name]: _mark, ...own } = r.attributes;
    void _mark;
    out.set(email, { active: r.activated > 0 && r.deactivated === 0, attributes: { ...(store.globalValues.get(email) ?? {}), ...own } });
  }
  return out;
}

/** Calls that change something in CleverReach. */
export const CLEVERREACH_WRITES = [
  "CreateGroup",
  "UpdateGroup",
  "DeleteGroup",
  "UpsertReceivers",
  "DeleteGroupReceiver",
  "CreateGlobalAttribute",
  "DeactivateGroupReceiver",
  "ActivateGroupReceiver",
];
export const DATAVERSE_WRITES = ["CreateRecord", "UpdateRecord", "UpdateOnlyRecord", "DeleteRecord", "AssociateEntities"];

/** The Dataverse writes of a run that took the record's lock and released it (flows/product/patterns/recordLock.ts). */
export const LOCK_TAKEN_AND_RELEASED = { [`${DATAVERSE_API}:CreateRecord`]: 1, [`${DATAVERSE_API}:DeleteRecord`]: 1 };

/** Whether a fake Dataverse call was one on the Sync Lock table. */
export const onLockTable = (call: { path: string }): boolean => call.path.includes(`/${TABLES.syncLock.entitySet}`);

export function writeCalls(operations: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(operations)) {
    const op = k.split(":")[1] ?? "";
    if (CLEVERREACH_WRITES.includes(op) || DATAVERSE_WRITES.includes(op)) out[k] = v;
  }
  return out;
}

/** A user's change through the Web API, as a form saves it (PATCH with If-Match: update only). */
export function patchRow(fakes: Fakes, entitySet: string, id: string, body: Record<string, unknown>) {
  return fakes.dataverse.handle({ method: "PATCH", path: `/api/data/v9.2/${entitySet}(${id})`, query: {}, headers: { "If-Match": "*" }, body });
}

/** Runs Sync group for one record, expects it to succeed, and returns the record's group id. */
/** Sync group for one record with every flow known (child flows included), then the runs its writes trigger; the record's group id. */
export async function syncAndSettle(fakes: Fakes, router: TriggerRouter, flows: FlowArtifact[], table: string, id: string): Promise<number> {
  const r = await fakes.simulator(flows).run(syncGroupFlow().build(), { body: { table, id } });
  expect(r.error).toBeUndefined();
  await router.settle();
  return Number(fakes.dataverse.row(table, id)?.[COLUMNS.cleverReachGroupId]);
}

/** One hourly CleverReachToCrm run, then the runs its writes trigger (the Receiver State flows, the person flows). */
export async function hourlyAndSettle(fakes: Fakes, router: TriggerRouter, flows: FlowArtifact[]): Promise<void> {
  const r = await fakes.simulator(flows).run(cleverReachToCrmFlow().build(), {});
  expect(r.error).toBeUndefined();
  await router.settle();
}

/** A row's CleverReach declines as [type id, group] pairs; an unreadable column fails the test. */
export function declinesOf(fakes: Fakes, table: string, id: string): Array<[number, string]> {
  const r = readDeclines(fakes.dataverse.row(table, id)?.[COLUMNS.cleverReachDeclines] as string | undefined);
  if ("problem" in r) throw new Error(r.problem);
  return r.declines.map((d) => [d.id, d.group]);
}

export async function syncRecord(fakes: Fakes, table: string, id: string): Promise<number> {
  const flow = syncGroupFlow().build();
  const r = await fakes.simulator([flow]).run(flow, { body: { table, id } });
  expect(r.error).toBeUndefined();
  return Number(fakes.dataverse.row(table, id)?.[COLUMNS.cleverReachGroupId]);
}
