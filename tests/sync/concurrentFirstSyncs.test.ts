import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { startFakes, type Fakes } from "../sim/harness";
import { groupContents, seedContacts, seedStaticList } from "./scenario";

/** Two records synced for the first time at the same moment both need the global attributes. */
describe("first syncs running at once", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  test("both succeed; the attributes exist once; both groups are filled", async () => {
    const ids = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const a = seedStaticList(fakes, "A", { 0: 1 }, ids);
    const b = seedStaticList(fakes, "B", { 0: 1 }, ids);
    const flow = syncGroupFlow().build();
    const sim = fakes.simulator([flow]);
    const [ra, rb] = await Promise.all([sim.run(flow, { body: { table: "list", id: a } }), sim.run(flow, { body: { table: "list", id: b } })]);
    expect([ra.error, rb.error]).toEqual([undefined, undefined]);
    const created = fakes.cleverReach.server.requests.filter((r) => r.operationId === "CreateGlobalAttribute");
    // The race really happened (more creations than attributes), and was absorbed.
    expect(created.length).toBeGreaterThan(6);
    const store = fakes.cleverReach.server.store;
    const names = store
      .attributesOf(0)
      .map((x) => x.name)
      .sort();
    expect(names).toEqual(["company", "firstname", "lastname", "salutation"]);
    for (const id of [a, b]) {
      const groupId = Number(fakes.dataverse.row("list", id)?.clvr_cleverreachgroupid);
      // Each group has its own attributes once: the owner mark, the CRM row (issue 14) and Sync group's mark (issue 11).
      expect(
        store
          .attributesOf(groupId)
          .map((x) => x.name)
          .sort(),
      ).toEqual(["crm_doi_requested", "crm_id", "crm_owner", "crm_synced", "crm_table"]);
      expect([...groupContents(fakes, groupId).keys()].sort()).toEqual(["ann@example.com", "ben@example.com"]);
    }
  });
});
