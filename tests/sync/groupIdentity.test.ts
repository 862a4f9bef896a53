import { buildFlows } from "../../flows";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { COLUMNS, TABLES } from "../../solution/src/model/handles";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { groupContents, patchRow, seedContacts, seedStaticList } from "./scenario";

/**
 * Which group belongs to a record (flows/product/README.md, "Whose group it is"): issue 14 finding 3b/3c
 * (one group per record, also when a write after the creation failed or CleverReach's answer was lost)
 * and issue 15 item 1 (a group the product did not create for this record is never touched).
 */
describe("one group per record, and only the record's own group", () => {
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

  const store = () => fakes.cleverReach.server.store;
  /** The groups of a record named `name` (the default group prefix is "CRM - "). */
  const groupsNamed = (name: string) => [...store().groups.values()].filter((g) => g.name === `CRM - ${name}`);
  const run = (id: string, table = "list") => fakes.simulator([syncGroupFlow().build()]).run(syncGroupFlow().build(), { body: { table, id } });
  const record = (id: string, table = "list") => fakes.dataverse.row(table, id) ?? {};
  const link = (id: string) => fakes.dataverse.row(TABLES.groupLink.logicalName, id);

  function newsletterList(name = "Spring news") {
    const people = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    return seedStaticList(fakes, name, { 0: 1 }, people);
  }

  test("finding 3b: the group id could not be written after the group was created; the next run adopts that group", async () => {
    const listId = newsletterList();
    const noId = fakes.gates.hold({ connector: "dataverse", action: "Write_group_id", at: "request" });
    noId.fail();
    expect((await run(listId)).status).toBe("Failed");
    expect(groupsNamed("Spring news")).toHaveLength(1);
    expect(record(listId)[COLUMNS.cleverReachGroupId] ?? null).toBeNull();

    expect((await run(listId)).error).toBeUndefined();
    const [group] = groupsNamed("Spring news");
    expect(groupsNamed("Spring news")).toHaveLength(1);
    expect(record(listId)[COLUMNS.cleverReachGroupId]).toBe(String(group!.id));
    expect(link(listId)?.[COLUMNS.groupId]).toBe(String(group!.id));
    expect([...groupContents(fakes, group!.id).keys()].sort()).toEqual(["ann@example.com", "ben@example.com"]);
  });

  test("finding 3b: neither the link nor the group id could be written; the group is found by its name and the record's mark", async () => {
    const listId = newsletterList();
    fakes.gates.hold({ connector: "dataverse", action: "Write_group_link", at: "request" }).fail();
    expect((await run(listId)).status).toBe("Failed");
    expect(link(listId)).toBeUndefined();
    expect(groupsNamed("Spring news")).toHaveLength(1);

    expect((await run(listId)).error).toBeUndefined();
    expect(groupsNamed("Spring news")).toHaveLength(1);
    expect(record(listId)[COLUMNS.cleverReachGroupId]).toBe(String(groupsNamed("Spring news")[0]!.id));
  });

  test("a group of the same name that another list owns is not adopted", async () => {
    const first = newsletterList("Same name");
    await run(first);
    const other = newsletterList("Same name");
    expect((await run(other)).error).toBeUndefined();
    const groups = groupsNamed("Same name");
    expect(groups).toHaveLength(2);
    expect(new Set([record(first)[COLUMNS.cleverReachGroupId], record(other)[COLUMNS.cleverReachGroupId]]).size).toBe(2);
  });

  test("finding 3c: CleverReach created the group but the answer was lost; no second group", async () => {
    const listId = newsletterList();
    const lost = fakes.gates.hold({ connector: "cleverreach", operationId: "CreateGroup", at: "answer" });
    lost.lose();
    const r = await run(listId);
    expect(r.error).toBeUndefined();
    expect(lost.caught).toHaveLength(1);
    const groups = groupsNamed("Spring news");
    expect(groups).toHaveLength(1);
    expect(record(listId)[COLUMNS.cleverReachGroupId]).toBe(String(groups[0]!.id));
    expect([...groupContents(fakes, groups[0]!.id).keys()].sort()).toEqual(["ann@example.com", "ben@example.com"]);
  });

  test("a creation refused outright (throttled) is tried again, and makes one group", async () => {
    const listId = newsletterList();
    fakes.cleverReach.server.injectFault({ kind: "status", status: 429, operationId: "CreateGroup" });
    expect((await run(listId)).error).toBeUndefined();
    expect(groupsNamed("Spring news")).toHaveLength(1);
  });

  test("a creation that keeps failing stops with CleverReach's words on the record, and leaves no group", async () => {
    const listId = newsletterList();
    fakes.cleverReach.server.injectFault({ kind: "status", status: 503, operationId: "CreateGroup", times: 3 });
    const r = await run(listId);
    expect(r.status).toBe("Failed");
    expect(String(record(listId)[COLUMNS.lastSyncError])).toMatch(/^CleverReach sync failed at Create_group \(3 attempts\): .+/);
    expect(groupsNamed("Spring news")).toHaveLength(0);
  });

  describe("issue 15 item 1: another group's id typed into a record", () => {
    const YEAR = 365 * 24 * 3600;
    function companyNewsletter() {
      const g = fakes.cleverReach.seed.group("Company newsletter", { locked: true, stamp: store().now() - YEAR });
      fakes.cleverReach.seed.receivers(
        g.id,
        ["x@example.com", "y@example.com"].map((email) => ({ email, activated: store().now() - YEAR, registered: store().now() - YEAR })),
      );
      return g;
    }
    const untouched = (g: { id: number }) => {
      expect(store().groups.has(g.id)).toBe(true);
      expect(store().group(g.id)).toMatchObject({ name: "Company newsletter", locked: true });
      expect([...groupContents(fakes, g.id).entries()].map(([e, r]) => [e, r.active])).toEqual([
        ["x@example.com", true],
        ["y@example.com", true],
      ]);
    };
    const environment = {
      clvr_DeleteGroupOnRecordDelete: true,
      clvr_DeleteGroupOnSyncOff: true,
      clvr_DeletionProtection: true,
      clvr_DeletionPriority: 0,
    };

    test("switching sync on neither renames the group nor removes its receivers; the record says why and what to do", async () => {
      const main = companyNewsletter();
      const listId = newsletterList("Takeover");
      await patchRow(fakes, "lists", listId, { [COLUMNS.syncWithCleverReach]: false });
      await patchRow(fakes, "lists", listId, { [COLUMNS.cleverReachGroupId]: String(main.id) });
      router = new TriggerRouter(fakes, buildFlows(), environment);
      await patchRow(fakes, "lists", listId, { [COLUMNS.syncWithCleverReach]: true });
      await router.settle();
      untouched(main);
      expect(String(record(listId)[COLUMNS.lastSyncError])).toBe(
        `CleverReach group ${main.id} was not created by this connector for this record, so the sync leaves it untouched (no rename, no receivers removed, never deleted). ` +
          "An administrator clears the record's CleverReach group id and deletes its CleverReach Group Link row; the next sync then creates the record's own group.",
      );
      expect(groupsNamed("Takeover")).toHaveLength(0);

      // Sync off with delete settings on and priority 0 (which would unlock a protected group): still there.
      await patchRow(fakes, "lists", listId, { [COLUMNS.syncWithCleverReach]: false });
      await router.settle();
      untouched(main);
      // Deleting the list: still there.
      await fakes.dataverse.handle({ method: "DELETE", path: `/api/data/v9.2/lists(${listId})`, query: {}, headers: {} });
      await router.settle();
      untouched(main);
    });

    test("an id typed into a Group Link row: deleting the list does not delete the group", async () => {
      const main = companyNewsletter();
      const listId = newsletterList("Takeover");
      await patchRow(fakes, "lists", listId, { [COLUMNS.syncWithCleverReach]: false });
      fakes.dataverse.seed(TABLES.groupLink.logicalName, [
        {
          [TABLES.groupLink.idColumn]: listId,
          [COLUMNS.name]: "typed",
          [COLUMNS.groupId]: String(main.id),
          [COLUMNS.recordTable]: "list",
          [COLUMNS.recordId]: listId,
        },
      ]);
      router = new TriggerRouter(fakes, buildFlows(), environment);
      await fakes.dataverse.handle({ method: "DELETE", path: `/api/data/v9.2/lists(${listId})`, query: {}, headers: {} });
      await router.settle();
      untouched(main);
      expect(router.runs.some((r) => r.result?.error?.message.includes(`CleverReach group ${main.id} was not created by this connector`))).toBe(true);
    });

    test("the record's own group is used and the typed id corrected, once the record has one", async () => {
      const main = companyNewsletter();
      const listId = newsletterList("Own group");
      await run(listId);
      const own = Number(record(listId)[COLUMNS.cleverReachGroupId]);
      await patchRow(fakes, "lists", listId, { [COLUMNS.cleverReachGroupId]: String(main.id), listname: "Own group, renamed" });
      expect((await run(listId)).error).toBeUndefined();
      untouched(main);
      expect(record(listId)[COLUMNS.cleverReachGroupId]).toBe(String(own));
      expect(store().group(own).name).toBe("CRM - Own group, renamed");
    });
  });

  describe("groups made before the owner mark existed (an upgrade)", () => {
    test("adopted when the flows' Group Link row was written right after the group was made", async () => {
      const listId = newsletterList("Old group");
      const g = fakes.cleverReach.seed.group("Old group");
      await patchRow(fakes, "lists", listId, { [COLUMNS.cleverReachGroupId]: String(g.id) });
      fakes.dataverse.seed(TABLES.groupLink.logicalName, [
        {
          [TABLES.groupLink.idColumn]: listId,
          [COLUMNS.name]: "Old group",
          [COLUMNS.groupId]: String(g.id),
          [COLUMNS.recordTable]: "list",
          [COLUMNS.recordId]: listId,
        },
      ]);
      expect((await run(listId)).error).toBeUndefined();
      expect(
        store()
          .attributesOf(g.id)
          .find((a) => a.name === "crm_owner")?.description,
      ).toBe(`Created by the CRM connector for list ${listId}`);
      expect(groupContents(fakes, g.id).size).toBe(2);
      expect(groupsNamed("Old group")).toHaveLength(1);
    });

    test("refused when the link row was written long after the group was made", async () => {
      const listId = newsletterList("Old group");
      const g = fakes.cleverReach.seed.group("Old group", { stamp: store().now() - 2 * 3600 });
      fakes.dataverse.seed(TABLES.groupLink.logicalName, [
        {
          [TABLES.groupLink.idColumn]: listId,
          [COLUMNS.name]: "Old group",
          [COLUMNS.groupId]: String(g.id),
          [COLUMNS.recordTable]: "list",
          [COLUMNS.recordId]: listId,
        },
      ]);
      expect((await run(listId)).status).toBe("Failed");
      expect(String(record(listId)[COLUMNS.lastSyncError])).toContain(`CleverReach group ${g.id} was not created by this connector`);
      expect(store().attributesOf(g.id)).toEqual([]);
      // The sync log says the same.
      expect(fakes.dataverse.rows(TABLES.syncLog.logicalName).map((r) => r[COLUMNS.error])).toEqual([record(listId)[COLUMNS.lastSyncError]]);
    });
  });
});
