import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { COLUMNS } from "../../solution/src/model/handles";
import { startFakes, type Fakes } from "../sim/harness";
import { groupContents, patchRow, personRow, seedContacts, seedStaticList } from "./scenario";

/**
 * Issue 14, "Done when": CleverReach carries out a write of Sync group but its answer is lost (the
 * platform's 504 after 120 s; the default retry policy re-sends the call, CreateGroup excepted). For
 * every write Sync group makes, the end state is exact: one group, linked to the record, every wanted
 * receiver present and active, the unwanted one gone, and the one who unsubscribed still inactive.
 */
describe("Sync group when CleverReach's answer to a write is lost", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const store = () => fakes.cleverReach.server.store;
  const run = (id: string) => fakes.simulator([syncGroupFlow().build()]).run(syncGroupFlow().build(), { body: { table: "list", id } });

  /**
   * A synced list whose next run has every kind of write to make: Ann and Cleo stay, Cleo having
   * unsubscribed in CleverReach; Ben declined (removal); Dora joined (new receiver); the list was
   * renamed (group update); a global attribute and the group's sync-mark attribute are missing (both
   * created again).
   */
  async function listWithWorkToDo(): Promise<{ listId: string; groupId: number }> {
    const [ann, ben, cleo, dora] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
      { firstname: "Cleo", states: { 0: 1 } },
      { firstname: "Dora", states: { 0: 1 } },
    ]);
    const listId = seedStaticList(fakes, "Lost answers", { 0: 1 }, [ann!, ben!, cleo!]);
    expect((await run(listId)).error).toBeUndefined();
    const groupId = Number(fakes.dataverse.row("list", listId)?.[COLUMNS.cleverReachGroupId]);
    fakes.cleverReach.seed.unsubscribe(groupId, "cleo@example.com");
    await patchRow(fakes, "contacts", ben!, personRow({ firstname: "Ben", states: { 0: 2 } }));
    fakes.dataverse.relate("listcontact_association", listId, dora!);
    await patchRow(fakes, "lists", listId, { listname: "Lost answers, renamed" });
    for (const a of [...store().attributes.values()]) if (a.name === "company" || a.name === "crm_synced") store().attributes.delete(a.id);
    return { listId, groupId };
  }

  function expectExactEnd(listId: string, groupId: number, name: string, wanted: string[], inactive: string[]): void {
    const groups = [...store().groups.values()];
    expect(groups.map((g) => [g.id, g.name])).toEqual([[groupId, name]]);
    expect(fakes.dataverse.row("list", listId)?.[COLUMNS.cleverReachGroupId]).toBe(String(groupId));
    expect(fakes.dataverse.row("list", listId)?.[COLUMNS.lastSyncError] ?? null).toBeNull();
    const contents = groupContents(fakes, groupId);
    expect([...contents.keys()].sort()).toEqual([...wanted, ...inactive].sort());
    for (const e of wanted) expect(contents.get(e)?.active).toBe(true);
    for (const e of inactive) expect(contents.get(e)?.active).toBe(false);
    const names = store()
      .attributesOf(0)
      .map((a) => a.name)
      .sort();
    expect(names).toEqual(["company", "firstname", "lastname", "salutation"]);
    const own = store()
      .attributesOf(groupId)
      .map((a) => a.name)
      .sort();
    expect(own).toEqual(["crm_doi_requested", "crm_id", "crm_owner", "crm_synced", "crm_table"]);
  }

  test.each([["UpsertReceivers"], ["DeleteGroupReceiver"], ["CreateGlobalAttribute"], ["CreateGroupAttribute"], ["UpdateGroup"]])(
    "%s: carried out, answer lost",
    async (operationId) => {
      const { listId, groupId } = await listWithWorkToDo();
      const lost = fakes.gates.hold({ connector: "cleverreach", operationId, at: "answer" });
      lost.lose();
      const r = await run(listId);
      expect(r.error).toBeUndefined();
      expect(lost.caught).toHaveLength(1);
      expectExactEnd(listId, groupId, "CRM - Lost answers, renamed", ["ann@example.com", "dora@example.com"], ["cleo@example.com"]);
    },
    30_000,
  );

  test.each([["CreateGroup"], ["CreateGroupAttribute"], ["UpsertReceivers"], ["CreateGlobalAttribute"]])(
    "first sync, %s: carried out, answer lost",
    async (operationId) => {
      const people = seedContacts(fakes, [
        { firstname: "Ann", states: { 0: 1 } },
        { firstname: "Ben", states: { 0: 1 } },
      ]);
      const listId = seedStaticList(fakes, "First", { 0: 1 }, people);
      const lost = fakes.gates.hold({ connector: "cleverreach", operationId, at: "answer" });
      lost.lose();
      const r = await run(listId);
      expect(r.error).toBeUndefined();
      expect(lost.caught).toHaveLength(1);
      const [group] = [...store().groups.values()];
      expectExactEnd(listId, group!.id, "CRM - First", ["ann@example.com", "ben@example.com"], []);
    },
    30_000,
  );

  test("every answer of a run lost once, one after another: still exact", async () => {
    const { listId, groupId } = await listWithWorkToDo();
    for (const operationId of ["UpsertReceivers", "DeleteGroupReceiver", "CreateGlobalAttribute", "CreateGroupAttribute", "UpdateGroup"])
      fakes.gates.hold({ connector: "cleverreach", operationId, at: "answer" }).lose();
    expect((await run(listId)).error).toBeUndefined();
    expectExactEnd(listId, groupId, "CRM - Lost answers, renamed", ["ann@example.com", "dora@example.com"], ["cleo@example.com"]);
  }, 30_000);
});
