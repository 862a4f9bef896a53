import { RECORD_CHECKLIST_ERROR, recordSelection } from "../../flows/product/rules/eligibility";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { COLUMNS } from "../../solution/src/model/handles";
import { startFakes, type Fakes } from "../sim/harness";
import { checklist, groupContents, patchRow, seedContacts, seedStaticList, syncRecord } from "./scenario";

/**
 * A record's checklist decides who is sent mail, so what a user types into it is checked before
 * anything is read or written (issue 15, items 5 and 19): ids must be whole numbers, states the
 * numbers 0/1/2. Each scenario is the payload the audit used.
 */
describe("Sync group: a record checklist that is not valid stops the run, with the reason on the record", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const run = (id: string) => fakes.simulator([syncGroupFlow().build()]).run(syncGroupFlow().build(), { body: { table: "list", id } });
  const cleverReachWrites = () => fakes.cleverReach.server.requests.filter((r) => r.method !== "GET");
  const withRow = (row: Record<string, unknown>) => JSON.stringify([...checklist({ 0: 1 }), row]);

  async function expectRefused(listId: string) {
    const r = await run(listId);
    expect(r.status).toBe("Failed");
    expect(r.error?.code).toBe("InvalidChecklist");
    const error = String(fakes.dataverse.row("list", listId)?.[COLUMNS.lastSyncError]);
    expect(error.startsWith(RECORD_CHECKLIST_ERROR)).toBe(true);
    return error;
  }

  // Issue 15, item 5: the id closes the like condition and adds its own, so people who declined
  // everything matched.
  const INJECTION = '0,%"/><condition attribute="statecode" operator="eq" value="0"/><condition attribute="clvr_acceptedtypes" operator="like" value="%';

  test("FetchXML injection through a checklist id: refused, nobody who declined becomes a receiver, nothing is written to CleverReach", async () => {
    const [ann, dan] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Dan", states: { 0: 2, 1: 2 } },
    ]);
    const listId = seedStaticList(fakes, "Injected", { 0: 1 }, [ann!, dan!]);
    patchRow(fakes, "lists", listId, { [COLUMNS.newsletterChecklist]: withRow({ id: INJECTION, state: 1 }) });
    const error = await expectRefused(listId);
    expect(error).toContain("First row that could not be read");
    expect(fakes.cleverReach.server.store.groups.size).toBe(0);
    expect(cleverReachWrites()).toEqual([]);
  });

  test('an id "%" that would match anyone who accepted any type: refused', async () => {
    const [eve] = seedContacts(fakes, [{ firstname: "Eve", states: { 7: 1 } }]);
    const listId = seedStaticList(fakes, "Percent", { 0: 1 }, [eve!]);
    patchRow(fakes, "lists", listId, { [COLUMNS.newsletterChecklist]: withRow({ id: "%", state: 1 }) });
    await expectRefused(listId);
    expect(fakes.cleverReach.server.store.groups.size).toBe(0);
  });

  test("ids with & or <: refused before a group or an attribute is created", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    for (const id of ["1&2", "<3"]) {
      const listId = seedStaticList(fakes, `Markup ${id}`, { 0: 1 }, [ann!]);
      patchRow(fakes, "lists", listId, { [COLUMNS.newsletterChecklist]: withRow({ id, state: 1 }) });
      await expectRefused(listId);
    }
    expect(cleverReachWrites()).toEqual([]);
  });

  test('a synced group whose record checklist is edited to "state":"1" (a string): an error on the record, nobody removed', async () => {
    const ids = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const listId = seedStaticList(fakes, "Strings", { 0: 1 }, ids);
    const groupId = await syncRecord(fakes, "list", listId);
    expect([...groupContents(fakes, groupId).keys()].sort()).toEqual(["ann@example.com", "ben@example.com"]);
    const before = cleverReachWrites().length;
    patchRow(fakes, "lists", listId, { [COLUMNS.newsletterChecklist]: JSON.stringify([{ ...checklist({ 0: 1 })[0], state: "1" }]) });
    await expectRefused(listId);
    expect(cleverReachWrites().length).toBe(before);
    const contents = groupContents(fakes, groupId);
    expect([...contents.values()].every((r) => r.active)).toBe(true);
    expect(contents.size).toBe(2);
  });

  test("other readings that are refused: an object, a row that is not an object, an id twice, a fraction, a missing state", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const bad = [
      '{"id":0,"state":1}',
      "[1]",
      JSON.stringify([...checklist({ 0: 1 }), { id: 0, state: 2 }]),
      JSON.stringify([{ id: 1.5, state: 1 }]),
      JSON.stringify([{ id: 1 }]),
    ];
    for (const [i, text] of bad.entries()) {
      expect(recordSelection(text)).toBeUndefined();
      // A list name holds at most 128 characters (the fake Dataverse refuses more, as Dataverse does).
      const listId = seedStaticList(fakes, `Bad ${i}`, { 0: 1 }, [ann!]);
      patchRow(fakes, "lists", listId, { [COLUMNS.newsletterChecklist]: text });
      await expectRefused(listId);
    }
    expect(cleverReachWrites()).toEqual([]);
  });

  test("a valid checklist with keys the format does not know, or an empty one, is read as before", async () => {
    expect(recordSelection(JSON.stringify([{ ...checklist({ 0: 1 })[0], extra: { id: "x" } }]))).toEqual({ accepted: [0], declined: [] });
    expect(recordSelection("")).toEqual({ accepted: [], declined: [] });
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const listId = seedStaticList(fakes, "Extra", { 0: 1 }, [ann!]);
    patchRow(fakes, "lists", listId, { [COLUMNS.newsletterChecklist]: JSON.stringify([{ ...checklist({ 0: 1 })[0], extra: { id: "x" } }]) });
    const groupId = await syncRecord(fakes, "list", listId);
    expect([...groupContents(fakes, groupId).keys()]).toEqual(["ann@example.com"]);
  });
});
