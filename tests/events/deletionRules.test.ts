import { buildFlows } from "../../flows";
import { deleteGroupFlow } from "../../flows/product/events/deleteGroupFlow";
import { deletionPriorityProblem, shouldDeleteGroup, type DeletionCause, type DeletionSettings } from "../../flows/product/rules/deletion";
import { TABLES } from "../../solution/src/model/handles";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { startFakes, TriggerRouter, type Fakes, CLEVERREACH_API } from "../sim/harness";
import { checklist, groupContents, seedContacts, seedStaticList } from "../sync/scenario";

/**
 * The deletion rules (flows/product/events/README.md, "Deletion rules") end to end:
 * every priority × cause × protection case, through the event flows, with
 * shouldDeleteGroup() as the oracle. Both delete settings are on, so that the priority decides.
 */
describe("deleting groups (events/README.md, Deletion rules)", () => {
  let fakes: Fakes;
  let router: TriggerRouter | undefined;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(async () => {
    router?.stop();
    router = undefined;
    await fakes.stop();
  });

  const patchList = (id: string, body: Record<string, unknown>) =>
    fakes.dataverse.handle({ method: "PATCH", path: `/api/data/v9.2/lists(${id})`, query: {}, headers: { "If-Match": "*" }, body });
  const link = (id: string) => fakes.dataverse.row(TABLES.groupLink.logicalName, id);
  const environment = (s: DeletionSettings) => ({
    clvr_DeleteGroupOnRecordDelete: s.deleteOnRecordDelete,
    clvr_DeleteGroupOnSyncOff: s.deleteOnSyncOff,
    clvr_DeletionProtection: s.protection,
    clvr_DeletionPriority: s.priority,
  });

  /** A synced list with one receiver, its group created through the event flow under `s`. */
  async function syncedList(s: DeletionSettings | Record<string, unknown>) {
    router = new TriggerRouter(fakes, buildFlows(), "priority" in s ? environment(s as DeletionSettings) : s);
    const people = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const listId = seedStaticList(fakes, "Rules", { 0: 1 }, people);
    await patchList(listId, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })) });
    await router.settle();
    const groupId = Number(fakes.dataverse.row("list", listId)?.clvr_cleverreachgroupid);
    expect(fakes.cleverReach.server.store.groups.has(groupId)).toBe(true);
    return { listId, groupId };
  }

  const cases: Array<{ priority: 0 | 1 | 2; cause: DeletionCause; protection: boolean }> = [];
  for (const priority of [0, 1, 2] as const)
    for (const cause of ["recordDeleted", "syncTurnedOff"] as const) for (const protection of [true, false]) cases.push({ priority, cause, protection });

  test.each(cases)("priority $priority, $cause, protection $protection", async ({ priority, cause, protection }) => {
    const settings: DeletionSettings = { deleteOnRecordDelete: true, deleteOnSyncOff: true, protection, priority };
    const { listId, groupId } = await syncedList(settings);
    expect(fakes.cleverReach.server.store.group(groupId).locked).toBe(protection);
    if (cause === "recordDeleted") await fakes.dataverse.handle({ method: "DELETE", path: `/api/data/v9.2/lists(${listId})`, query: {}, headers: {} });
    else await patchList(listId, { clvr_syncwithcleverreach: false });
    await router!.settle();
    expect(router!.runs.filter((r) => r.result?.status !== "Succeeded")).toEqual([]);

    const expected = shouldDeleteGroup(cause, settings);
    expect(fakes.cleverReach.server.store.groups.has(groupId)).toBe(!expected);
    if (!expected) expect([...groupContents(fakes, groupId).keys()]).toEqual(["ann@example.com"]);
    if (cause === "syncTurnedOff") {
      expect(fakes.dataverse.row("list", listId)?.clvr_cleverreachgroupid ?? null).toBe(expected ? null : String(groupId));
      expect(link(listId) === undefined).toBe(expected);
    } else {
      expect(link(listId)).toBeUndefined();
    }
  });

  test("the delete settings decide without protection (all four combinations, both causes)", async () => {
    for (const deleteOnRecordDelete of [true, false]) {
      for (const deleteOnSyncOff of [true, false]) {
        const settings: DeletionSettings = { deleteOnRecordDelete, deleteOnSyncOff, protection: false, priority: 1 };
        const { listId, groupId } = await syncedList(settings);
        await patchList(listId, { clvr_syncwithcleverreach: false });
        await router!.settle();
        expect(fakes.cleverReach.server.store.groups.has(groupId)).toBe(!shouldDeleteGroup("syncTurnedOff", settings));
        await fakes.dataverse.handle({ method: "DELETE", path: `/api/data/v9.2/lists(${listId})`, query: {}, headers: {} });
        await router!.settle();
        const deletedOnSyncOff = shouldDeleteGroup("syncTurnedOff", settings);
        expect(fakes.cleverReach.server.store.groups.has(groupId)).toBe(!deletedOnSyncOff && !shouldDeleteGroup("recordDeleted", settings));
        router!.stop();
      }
    }
  });

  test("a priority outside 0..2: clear error on the run and the record, nothing deleted", async () => {
    const { listId, groupId } = await syncedList({ clvr_DeleteGroupOnSyncOff: true, clvr_DeletionProtection: false, clvr_DeletionPriority: 5 });
    await patchList(listId, { clvr_syncwithcleverreach: false });
    await router!.settle();
    const failed = router!.runs.filter((r) => r.result?.status === "Failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.result?.error?.message).toContain(deletionPriorityProblem(5));
    expect(fakes.dataverse.row("list", listId)?.clvr_lastsyncerror).toBe(deletionPriorityProblem(5));
    expect(fakes.cleverReach.server.store.groups.has(groupId)).toBe(true);
  });

  test("a repeated deletion converges: the group already gone is not an error", async () => {
    const { listId, groupId } = await syncedList({ clvr_DeleteGroupOnSyncOff: true, clvr_DeletionProtection: false });
    fakes.cleverReach.server.store.deleteGroup(groupId);
    const r = await fakes
      .simulator(buildFlows(), { clvr_DeleteGroupOnSyncOff: true, clvr_DeletionProtection: false })
      .run(deleteGroupFlow().build(), { body: { table: "list", id: listId, cause: "syncTurnedOff" } });
    expect(r.error).toBeUndefined();
    expect(r.response?.body).toEqual({ groupId: String(groupId), deleted: true });
    expect(fakes.dataverse.row("list", listId)?.clvr_cleverreachgroupid ?? null).toBeNull();
    expect(r.counts.operations[`${CLEVERREACH_API}:DeleteGroup`]).toBeUndefined();
  });
});
