import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { startFakes, type Fakes } from "../sim/harness";
import { groupContents, seedContacts, seedStaticList } from "./scenario";

/**
 * Removals in Sync group when runs overlap (event flows fire one run per changed row): a receiver
 * another run removed a moment ago answers 404, which is done, not a failure; any other failure
 * still fails the run and is written on the record.
 */
describe("Sync group: removing receivers", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const run = (table: string, id: string) => fakes.simulator([syncGroupFlow().build()]).run(syncGroupFlow().build(), { body: { table, id } });

  async function listWithOneToRemove(): Promise<{ listId: string; groupId: number }> {
    const [ann, ben] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const listId = seedStaticList(fakes, "Newsletter", { 0: 1 }, [ann!, ben!]);
    expect((await run("list", listId)).status).toBe("Succeeded");
    await fakes.dataverse.handle({ method: "DELETE", path: `/api/data/v9.1/lists(${listId})/listcontact_association(${ben!})/$ref`, query: {}, headers: {} });
    return { listId, groupId: Number(fakes.dataverse.row("list", listId)?.clvr_cleverreachgroupid) };
  }

  // Runs of Sync group for one record no longer overlap (patterns/recordLock.ts), but the person
  // flows remove receivers without that lock: a receiver one of them removed between the sweep's
  // reading and its removal answers 404.
  test("a receiver another flow removed a moment before the sweep's removal: the 404 counts as removed", async () => {
    const { listId, groupId } = await listWithOneToRemove();
    const gate = fakes.gates.hold({ connector: "cleverreach", operationId: "DeleteGroupReceiver" });
    const sync = run("list", listId);
    await gate.reached;
    expect((await fakes.cleverReach.client.call("DeleteGroupReceiver", { group_id: groupId, pool_id: "ben@example.com" })).status).toBe(200);
    gate.release();
    expect((await sync).status).toBe("Succeeded");
    expect(
      fakes.cleverReach.server.requests
        .filter((q) => q.operationId === "DeleteGroupReceiver")
        .map((q) => q.status)
        .sort(),
    ).toEqual([200, 404]);
    expect([...groupContents(fakes, groupId).keys()]).toEqual(["ann@example.com"]);
    expect(fakes.dataverse.row("list", listId)?.clvr_lastsyncerror ?? null).toBeNull();
  });

  test("any other removal failure fails the run, names the receiver and is written on the record", async () => {
    const { listId, groupId } = await listWithOneToRemove();
    // More 500s than the retry policy tries.
    fakes.cleverReach.server.injectFault({ kind: "status", status: 500, times: 5, operationId: "DeleteGroupReceiver" });
    const r = await run("list", listId);
    expect(r.status).toBe("Failed");
    // In words (issue 15 item 20): what failed, for which group, how many, what to do; then the receiver.
    expect(r.error?.message).toMatch(
      new RegExp(
        `^CleverReach sync failed: CleverReach refused to remove 1 receiver from group ${groupId} \\(500\\)\\. They are still in the group; .* Details: step Remove_receiver \\(500\\): ben@example\\.com: `,
      ),
    );
    expect(fakes.dataverse.row("list", listId)?.clvr_lastsyncerror).toBe(r.error?.message);
    // Nothing half-done: the next run converges.
    expect((await run("list", listId)).status).toBe("Succeeded");
    expect([...groupContents(fakes, groupId).keys()]).toEqual(["ann@example.com"]);
    expect(fakes.dataverse.row("list", listId)?.clvr_lastsyncerror ?? null).toBeNull();
  });
});
