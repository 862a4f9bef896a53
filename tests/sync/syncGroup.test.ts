import { isEligible, groupSelection, TRANSFER_SETTING_ERROR, transferTablesFrom } from "../../flows/product/rules/eligibility";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { skippedNote } from "../../flows/product/rules/messages";
import { lintFlow } from "../../flows/toolkit/lint";
import { defaultLintContext } from "../../flows/product/lintContext";
import { startFakes, type Fakes, CLEVERREACH_API } from "../sim/harness";
import { DATAVERSE_API } from "../../flows/toolkit/builder/dataverse";
import { TABLES } from "../../solution/src/model/handles";
import { checklist, groupContents, LOCK_TAKEN_AND_RELEASED, personRow, seedContacts, seedStaticList, writeCalls, type PersonSeed } from "./scenario";

describe("Sync group (the shared child flow)", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const run = (table: string, id: string) => fakes.simulator([syncGroupFlow().build()]).run(syncGroupFlow().build(), { body: { table, id } });
  const groupIdOf = (entity: string, id: string): number => Number(fakes.dataverse.row(entity, id)?.clvr_cleverreachgroupid);

  test("is lint-clean", () => {
    expect(lintFlow(syncGroupFlow().clientData(), defaultLintContext(), "sync-group")).toEqual([]);
  });

  const people: PersonSeed[] = [
    { firstname: "Ann", salutation: "Frau", states: { 0: 1 } },
    { firstname: "Ben", states: { 0: 1, 1: 1 } },
    { firstname: "Cem", states: { 1: 1 } },
    { firstname: "Dora", email: "not-an-address", states: { 0: 1 } },
    { firstname: "Eve", states: { 0: 1 }, active: false },
    { firstname: "Finn", states: { 0: 2 } },
    { firstname: "Gus", email: null, states: { 0: 1 } },
  ];

  test("a static contact list: exactly the eligible people become active receivers with their attributes", async () => {
    const ids = seedContacts(fakes, people);
    const [outsider] = seedContacts(fakes, [{ firstname: "Olga", states: { 0: 1 } }]);
    const listId = seedStaticList(fakes, "Spring", { 0: 1, 1: 2 }, ids);
    const r = await run("list", listId);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("Succeeded");

    const groupId = groupIdOf("list", listId);
    const group = fakes.cleverReach.server.store.group(groupId);
    expect(group.name).toBe("CRM - Spring");
    expect(group.locked).toBe(true);
    const contents = groupContents(fakes, groupId);
    // The rule's own function is the oracle.
    const selection = groupSelection(checklist({ 0: 1, 1: 2 }));
    const expected = people
      .map((p) => personRow(p))
      .filter((p) =>
        isEligible(
          { via: "contact", active: p.statecode === 0, email: p.emailaddress1 as string, checklist: p.clvr_newsletterchecklist as string },
          selection,
          ["contact", "account", "lead"],
        ),
      )
      .map((p) => (p.emailaddress1 as string).toLowerCase());
    expect([...contents.keys()].sort()).toEqual(expected.sort());
    expect(expected).toEqual(["ann@example.com"]);
    expect(contents.get("ann@example.com")).toEqual({
      active: true,
      attributes: { salutation: "Frau", firstname: "Ann", lastname: "Person", company: "", crm_table: "contact", crm_id: ids[0] },
    });
    expect(contents.has("olga@example.com")).toBe(false);
    void outsider;
    const list = fakes.dataverse.row("list", listId);
    // Dora's address is not valid: she is left out and counted on the record (SPEC §6.2).
    expect(list?.clvr_lastsyncerror).toBe(skippedNote(1, ["not-an-address"]));
    expect(typeof list?.clvr_lastsyncon).toBe("string");
  });

  // Issue 11 changed what a second run costs: mark and sweep re-sends every wanted receiver (one
  // upsert per 1000, with the run's mark) instead of comparing the whole group in one value, so
  // "no write call anywhere" became "no Dataverse write, the group unchanged".
  test("idempotence: a second run changes nothing, writes nothing to Dataverse but its lock and re-sends the wanted receivers in one upsert", async () => {
    const ids = seedContacts(fakes, people);
    const listId = seedStaticList(fakes, "Twice", { 0: 1 }, ids);
    const first = await run("list", listId);
    expect(first.status).toBe("Succeeded");
    const before = JSON.stringify([...groupContents(fakes, groupIdOf("list", listId))]);
    const second = await run("list", listId);
    expect(second.status).toBe("Succeeded");
    // Issue 18: every run that touched a group writes its sync log row (one Dataverse create), and takes and releases its lock.
    expect(writeCalls(second.counts.operations)).toEqual({
      ...LOCK_TAKEN_AND_RELEASED,
      [`${CLEVERREACH_API}:UpsertReceivers`]: 1,
      [`${DATAVERSE_API}:CreateRecord`]: 2,
    });
    expect(fakes.dataverse.rows(TABLES.syncLog.logicalName)).toHaveLength(2);
    expect(JSON.stringify([...groupContents(fakes, groupIdOf("list", listId))])).toBe(before);
  });

  test("checklist change: newly qualifying people are added, no longer qualifying ones removed", async () => {
    const ids = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Cem", states: { 1: 1 } },
    ]);
    const listId = seedStaticList(fakes, "Switch", { 0: 1 }, ids);
    await run("list", listId);
    const groupId = groupIdOf("list", listId);
    expect([...groupContents(fakes, groupId).keys()]).toEqual(["ann@example.com"]);
    await fakes.dataverse.handle({
      method: "PATCH",
      path: `/api/data/v9.2/lists(${listId})`,
      query: {},
      headers: { "If-Match": "*" },
      body: { clvr_newsletterchecklist: JSON.stringify(checklist({ 0: 0, 1: 1 })) },
    });
    const r = await run("list", listId);
    expect(r.status).toBe("Succeeded");
    expect([...groupContents(fakes, groupId).keys()]).toEqual(["cem@example.com"]);
    expect(r.counts.operations[`${CLEVERREACH_API}:DeleteGroupReceiver`]).toBe(1);
    // One batch of the wanted receivers, and one that activates the one new among them (issue 11).
    expect(r.counts.operations[`${CLEVERREACH_API}:UpsertReceivers`]).toBe(2);
  });

  test("never resubscribe: a receiver who unsubscribed in CleverReach stays inactive and is not removed", async () => {
    const ids = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const listId = seedStaticList(fakes, "Unsub", { 0: 1 }, ids);
    await run("list", listId);
    const groupId = groupIdOf("list", listId);
    fakes.cleverReach.seed.unsubscribe(groupId, "ann@example.com");
    // Her name changes in the CRM, so the next sync sends her again (without activation fields).
    await fakes.dataverse.handle({
      method: "PATCH",
      path: `/api/data/v9.2/contacts(${ids[0]})`,
      query: {},
      headers: { "If-Match": "*" },
      body: { lastname: "Renamed" },
    });
    const r = await run("list", listId);
    expect(r.status).toBe("Succeeded");
    expect(groupContents(fakes, groupId).get("ann@example.com")).toEqual(
      expect.objectContaining({ active: false, attributes: expect.objectContaining({ lastname: "Renamed" }) }),
    );
  });

  test("sync off or inactive record: nothing is sent", async () => {
    const ids = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const [listId] = fakes.dataverse.seed("list", [
      { listname: "Off", type: false, createdfromcode: 2, clvr_syncwithcleverreach: false, clvr_newsletterchecklist: JSON.stringify(checklist({ 0: 1 })) },
    ]);
    fakes.dataverse.relate("listcontact_association", listId!, ids[0]!);
    const r = await run("list", listId!);
    expect(r.status).toBe("Succeeded");
    expect(fakes.cleverReach.server.store.groups.size).toBe(0);
  });

  test("a checklist that is not valid JSON: the error is written on the record, CleverReach untouched", async () => {
    const [listId] = fakes.dataverse.seed("list", [
      { listname: "Broken", type: false, createdfromcode: 2, clvr_syncwithcleverreach: true, clvr_newsletterchecklist: "[{oops" },
    ]);
    const r = await run("list", listId!);
    expect(r.status).toBe("Failed");
    expect(r.error?.code).toBe("SyncFailed");
    expect(String(fakes.dataverse.row("list", listId!)?.clvr_lastsyncerror)).toMatch(/^CleverReach sync failed: .*Details: step Checklist: .*json/i);
    expect(fakes.cleverReach.server.store.groups.size).toBe(0);
    // The stored value is kept as it was.
    expect(fakes.dataverse.row("list", listId!)?.clvr_newsletterchecklist).toBe("[{oops");
  });

  test("an invalid transfer setting stops before anything of the group is read, with the variable named", async () => {
    // Not JSON at all, an empty list (it would silently empty every group: issue 15 item 19), a
    // table unknown, the wrong shape.
    // A bare array followed by text: spliced into '{"tables":' … '}' it became an object whose later
    // "tables" won (leads instead of contacts, issue 15: no JSON built by splicing text).
    for (const value of [
      "contact, lead",
      "[]",
      { tables: [] },
      ["contact", "company"],
      { tabels: ["contact"] },
      { tables: "contact" },
      '["contact"], "tables": ["lead"]',
    ]) {
      const [listId] = fakes.dataverse.seed("list", [{ listname: "Cfg", type: false, createdfromcode: 2, clvr_syncwithcleverreach: true }]);
      const r = await fakes.simulator([], { clvr_TransferTables: value }).run(syncGroupFlow().build(), { body: { table: "list", id: listId } });
      expect(r).toMatchObject({ status: "Failed", error: { code: "InvalidConfiguration", message: TRANSFER_SETTING_ERROR } });
      expect(fakes.dataverse.row("list", listId!)?.clvr_lastsyncerror).toBe(TRANSFER_SETTING_ERROR);
      expect(fakes.cleverReach.server.requests).toHaveLength(0);
    }
  });

  test("the transfer setting as an object, and the older bare array a user may have set, are both read", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const [lea] = fakes.dataverse.seed("lead", [personRow({ firstname: "Lea", states: { 0: 1 } })]);
    const contacts = seedStaticList(fakes, "Contacts", { 0: 1 }, [ann!]);
    const leads = seedStaticList(fakes, "Leads", { 0: 1 }, [lea!], "lead");
    const sync = async (setting: unknown) => {
      for (const id of [contacts, leads]) {
        const r = await fakes.simulator([], { clvr_TransferTables: setting }).run(syncGroupFlow().build(), { body: { table: "list", id } });
        expect(r.error).toBeUndefined();
      }
      return [contacts, leads].map((id) => [...groupContents(fakes, groupIdOf("list", id)).keys()]);
    };
    expect(await sync({ tables: ["lead"] })).toEqual([[], ["lea@example.com"]]);
    expect(await sync(["contact"])).toEqual([["ann@example.com"], []]);
  });

  test("transferTablesFrom(): the oracle of both forms", () => {
    expect(transferTablesFrom('{"tables":["contact","lead"]}')).toEqual({ tables: ["contact", "lead"] });
    expect(transferTablesFrom('["account"]')).toEqual({ tables: ["account"] });
    for (const bad of ['{"tables":[]}', "[]", '{"tabels":["contact"]}', '["contact","company"]', '["lead","lead"]', "not json", '"contact"']) {
      expect(transferTablesFrom(bad)).toEqual({ problem: TRANSFER_SETTING_ERROR });
    }
  });
});
