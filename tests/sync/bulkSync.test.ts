import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { SYNC_MARK } from "../../flows/product/sync/receivers";
import { DATAVERSE_API } from "../../flows/toolkit/builder/dataverse";
import type { HttpRequest, HttpResponse } from "../../flows/toolkit/sim/dispatch";
import { FlowSimulator } from "../../flows/toolkit/sim/engine";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import { CLEVERREACH_API, cleverReachBinding, dataverseBinding, startFakes, withStages, type Fakes } from "../sim/harness";
import { groupContents, LOCK_TAKEN_AND_RELEASED, onLockTable, seedContacts, seedStaticList, writeCalls } from "./scenario";
import { TABLES } from "../../solution/src/model/handles";

/**
 * Issue 11: Sync group works a page at a time (mark and sweep) in the strict simulator, where the
 * platform's limits hold. What it holds never grows with the group; a second run writes nothing to
 * Dataverse; nobody is removed who is still wanted, however runs overlap, and nobody is removed
 * when the run could not read or mark everyone.
 */
describe("Sync group in bulk (mark and sweep)", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const flow = syncGroupFlow().build();
  const run = (listId: string, sim = fakes.simulator([flow])) => sim.run(flow, { body: { table: "list", id: listId } });
  const groupIdOf = (listId: string): number => Number(fakes.dataverse.row("list", listId)?.clvr_cleverreachgroupid);

  /** A simulator whose CleverReach calls pass `hook` first (to play an overlapping run's write). */
  function hooked(hook: (r: HttpRequest) => void): FlowSimulator {
    const cr = cleverReachBinding(fakes.cleverReach);
    const transport = async (r: HttpRequest): Promise<HttpResponse> => {
      hook(r);
      return cr.transport(r);
    };
    return new FlowSimulator({
      connectors: { [DATAVERSE_API]: dataverseBinding(fakes.dataverse), [CLEVERREACH_API]: { ...cr, transport } },
      functions: FUNCTIONS,
      flows: withStages([flow]),
    });
  }

  test("12,000 people: FetchXML pages with paging cookies, batches of 1000, nothing held grows with the group; the second run writes nothing to Dataverse", async () => {
    const n = 12_000;
    const ids = seedContacts(
      fakes,
      Array.from({ length: n }, (_, i) => ({ firstname: `P${i}`, email: `p${i}@example.com`, states: { 0: 1 as const } })),
    );
    const listId = seedStaticList(fakes, "Big", { 0: 1 }, ids);
    const first = await run(listId);
    expect(first.error).toBeUndefined();
    const contents = groupContents(fakes, groupIdOf(listId));
    expect(contents.size).toBe(n);
    expect([...contents.values()].every((r) => r.active)).toBe(true);
    // Three pages of people (5000, 5000, 2000), the second and third asked with the cookie.
    const pages = fakes.dataverse.calls.filter((c) => c.operation === "ListRecords" && c.path.endsWith("/contacts"));
    expect(pages).toHaveLength(3);
    expect(first.counts.operations[`${CLEVERREACH_API}:UpsertReceivers`]).toBe(12);
    // The largest value is one page of people or receivers, not the group.
    expect(first.measures.largestValue.items).toBeLessThanOrEqual(5000);
    // One page of checked people (personChecklist.ts, checkPeople) is the largest variable.
    expect(first.measures.largestVariable.items).toBeLessThanOrEqual(5000);
    expect(first.measures.truncatedLists).toEqual([]);

    fakes.dataverse.resetCalls();
    const second = await run(listId);
    expect(second.status).toBe("Succeeded");
    // Nothing but the run's sync log row (issue 18) and its lock is written to Dataverse.
    expect(fakes.dataverse.calls.filter((c) => c.operation !== "ListRecords" && c.operation !== "GetItem" && !onLockTable(c)).map((c) => c.path)).toEqual([
      expect.stringContaining(TABLES.syncLog.entitySet),
    ]);
    expect(writeCalls(second.counts.operations)).toEqual({
      ...LOCK_TAKEN_AND_RELEASED,
      [`${CLEVERREACH_API}:UpsertReceivers`]: 12,
      [`${DATAVERSE_API}:CreateRecord`]: 2,
    });
    expect(groupContents(fakes, groupIdOf(listId)).size).toBe(n);
  }, 400_000); // the eligibility XPath per person costs the simulator about 3 ms (personChecklist.ts)

  test("a receiver whose mark an overlapping run's late batch set back stays while a query still wants it; the unwanted one goes", async () => {
    const [ann, ben] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const listId = seedStaticList(fakes, "Overlap", { 0: 1 }, [ann!, ben!]);
    expect((await run(listId)).status).toBe("Succeeded");
    const groupId = groupIdOf(listId);
    await fakes.dataverse.handle({ method: "DELETE", path: `/api/data/v9.1/lists(${listId})/listcontact_association(${ben!})/$ref`, query: {}, headers: {} });
    const store = fakes.cleverReach.server.store;
    // Just before this run sweeps, a batch another run prepared earlier lands: Ann's mark goes back.
    let landed = false;
    const sim = hooked((r) => {
      if (!landed && r.method === "GET" && r.query.type === "active") {
        landed = true;
        store.receiver(groupId, "ann@example.com").attributes[SYNC_MARK.name] = "20000101000000000000";
      }
    });
    const r = await run(listId, sim);
    expect(r.error).toBeUndefined();
    expect(landed).toBe(true);
    expect([...groupContents(fakes, groupId).keys()]).toEqual(["ann@example.com"]);
    // Ann was asked about, found wanted and marked anew; only Ben was removed.
    expect(r.counts.operations[`${CLEVERREACH_API}:DeleteGroupReceiver`]).toBe(1);
    expect(store.receiver(groupId, "ann@example.com").attributes[SYNC_MARK.name]! > "2000").toBe(true);
  }, 30_000);

  test("when CleverReach does not keep the mark, the run stops before the sweep and nobody is removed", async () => {
    const [ann, ben] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const listId = seedStaticList(fakes, "Unmarked", { 0: 1 }, [ann!, ben!]);
    expect((await run(listId)).status).toBe("Succeeded");
    const groupId = groupIdOf(listId);
    await fakes.dataverse.handle({ method: "DELETE", path: `/api/data/v9.1/lists(${listId})/listcontact_association(${ben!})/$ref`, query: {}, headers: {} });
    // CleverReach drops the attribute from every upsert (as it drops an attribute the group lacks).
    const sim = hooked((r) => {
      if (r.method === "POST" && r.path.endsWith("/upsertplus")) for (const receiver of r.body as Array<Record<string, unknown>>) delete receiver.attributes;
    });
    const r = await run(listId, sim);
    expect(r.status).toBe("Failed");
    expect(r.error?.message).toBe(`CleverReach sync failed at Marks_kept: CleverReach did not keep the group attribute ${SYNC_MARK.name}; nobody was removed`);
    expect(String(fakes.dataverse.row("list", listId)?.clvr_lastsyncerror)).toBe(r.error?.message);
    expect([...groupContents(fakes, groupId).keys()].sort()).toEqual(["ann@example.com", "ben@example.com"]);
    expect(r.counts.operations[`${CLEVERREACH_API}:DeleteGroupReceiver`]).toBeUndefined();
  }, 30_000);
});
