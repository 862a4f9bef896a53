import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { GROUP_NAME_MAX } from "../../flows/product/sync/groupOwnership";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { COLUMNS } from "../../solution/src/model/handles";
import { GROUP_NAME_LIMIT } from "../fakes/cleverreach/handlers";
import { startFakes, type Fakes } from "../sim/harness";
import { checklist, patchRow, seedContacts, seedStaticList } from "./scenario";

/**
 * Issue 14 finding 8 (the CleverReach part): a record's name at its longest, with the group prefix,
 * still makes a group CleverReach accepts. Dataverse allows 128 characters for a list's listname and a
 * campaign's name, 200 for a campaign activity's subject (the tables' metadata); the fake CleverReach
 * refuses group names over GROUP_NAME_LIMIT (tests/fakes/cleverreach/handlers.ts says why).
 */
describe("group names at the records' longest", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const run = (table: string, id: string) => fakes.simulator([syncGroupFlow().build()]).run(syncGroupFlow().build(), { body: { table, id } });
  const groupOf = (table: string, id: string) => fakes.cleverReach.server.store.group(Number(fakes.dataverse.row(table, id)?.[COLUMNS.cleverReachGroupId]));

  test("the flows cut names to what the fake accepts", () => {
    expect(GROUP_NAME_MAX).toBeLessThanOrEqual(GROUP_NAME_LIMIT);
  });

  test("a list named with 128 characters, renamed to another 128: one group, its name cut to the limit and ending in …", async () => {
    const ann = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const listId = seedStaticList(fakes, "A".repeat(128), { 0: 1 }, ann);
    expect((await run("list", listId)).error).toBeUndefined();
    const g = groupOf("list", listId);
    expect(g.name).toBe(`CRM - ${"A".repeat(GROUP_NAME_MAX - 7)}…`);
    expect(g.name).toHaveLength(GROUP_NAME_MAX);

    await patchRow(fakes, "lists", listId, { listname: "B".repeat(128) });
    expect((await run("list", listId)).error).toBeUndefined();
    expect(groupOf("list", listId).id).toBe(g.id);
    expect(groupOf("list", listId).name).toBe(`CRM - ${"B".repeat(GROUP_NAME_MAX - 7)}…`);
    // A second run finds nothing to rename.
    const before = fakes.cleverReach.server.requests.length;
    expect((await run("list", listId)).error).toBeUndefined();
    expect(fakes.cleverReach.server.requests.slice(before).some((r) => r.method === "PUT")).toBe(false);
    expect(fakes.cleverReach.server.store.groups.size).toBe(1);
  });

  test("a campaign activity with a 200-character subject and a campaign with a 128-character name", async () => {
    const synced = { [COLUMNS.syncWithCleverReach]: true, [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: 1 })), statecode: 0 };
    const [activity] = fakes.dataverse.seed("campaignactivity", [{ subject: "S".repeat(200), ...synced }]);
    const [campaign] = fakes.dataverse.seed("campaign", [{ name: "C".repeat(128), ...synced }]);
    expect((await run("campaignactivity", activity!)).error).toBeUndefined();
    expect((await run("campaign", campaign!)).error).toBeUndefined();
    expect(groupOf("campaignactivity", activity!).name).toBe(`CRM - ${"S".repeat(GROUP_NAME_MAX - 7)}…`);
    expect(groupOf("campaign", campaign!).name).toBe(`CRM - ${"C".repeat(GROUP_NAME_MAX - 7)}…`);
  });

  test("a name that fits is kept whole", async () => {
    const listId = seedStaticList(fakes, "N".repeat(GROUP_NAME_MAX - 6), { 0: 1 }, []);
    expect((await run("list", listId)).error).toBeUndefined();
    expect(groupOf("list", listId).name).toBe(`CRM - ${"N".repeat(GROUP_NAME_MAX - 6)}`);
  });
});
