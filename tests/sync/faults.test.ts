import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { startFakes, type Fakes } from "../sim/harness";
import { checklist, groupContents, seedContacts, seedStaticList } from "./scenario";

/** Issue 6: with 429s and 500s in a share of calls, a full sync still ends exactly right. */
describe("Sync group under faults", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  test("throttled and failing calls are retried: exactly the right receivers, no duplicates, nobody re-activated", async () => {
    const n = 2500;
    const people = Array.from({ length: n }, (_, i) => ({ firstname: `P${i}`, email: `p${i}@example.com`, states: { [i % 2]: 1 as const } }));
    const ids = seedContacts(fakes, people);
    const listId = seedStaticList(fakes, "Faults", { 0: 1 }, ids);
    const run = () => fakes.simulator([syncGroupFlow().build()]).run(syncGroupFlow().build(), { body: { table: "list", id: listId } });
    expect((await run()).status).toBe("Succeeded");
    const groupId = Number(fakes.dataverse.row("list", listId)?.clvr_cleverreachgroupid);
    // Ten receivers unsubscribe in CleverReach; then the list starts sending type 1 as well.
    const unsubscribed = Array.from({ length: 10 }, (_, i) => `p${2 * i}@example.com`);
    for (const e of unsubscribed) fakes.cleverReach.seed.unsubscribe(groupId, e);
    await fakes.dataverse.handle({
      method: "PATCH",
      path: `/api/data/v9.2/lists(${listId})`,
      query: {},
      headers: { "If-Match": "*" },
      body: { clvr_newsletterchecklist: JSON.stringify(checklist({ 0: 1, 1: 1 })) },
    });

    for (const op of ["ListGroups", "ListAttributes", "ListGroupReceivers", "UpsertReceivers", "UpsertReceivers"]) {
      fakes.cleverReach.server.injectFault({ kind: "status", status: 429, operationId: op });
    }
    fakes.cleverReach.server.injectFault({ kind: "status", status: 500, times: 2, operationId: "UpsertReceivers" });
    fakes.cleverReach.server.injectFault({ kind: "status", status: 503, operationId: "ListGroupReceivers" });
    fakes.dataverse.throttle({ share: 0.2, retryAfterSeconds: 1, seed: 7 });

    const r = await run();
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("Succeeded");
    expect(r.counts.retryWaitMs).toBeGreaterThan(0);
    const contents = groupContents(fakes, groupId);
    expect(contents.size).toBe(n);
    expect([...contents.keys()].sort()).toEqual(people.map((p) => p.email).sort());
    for (const e of unsubscribed) expect(contents.get(e)?.active).toBe(false);
    expect([...contents.values()].filter((c) => c.active)).toHaveLength(n - unsubscribed.length);
  }, 120_000); // 2,500 people, each checked by one XPath in the simulator (personChecklist.ts)
});
