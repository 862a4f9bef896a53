import { buildFlows } from "../../flows";
import { UNREADABLE_QUERY_ERROR } from "../../flows/product/rules/eligibility";
import { COLUMNS } from "../../solution/src/model/handles";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { groupContents, patchRow, seedContacts, seedDynamicList, syncRecord } from "../sync/scenario";

/**
 * Issue 15, item 6: a dynamic list's stored query written with single quotes (valid FetchXML)
 * skipped the consent filter, because the flows found the root entity with a text replace of
 * `<entity name="contact">`. Each flow that narrows a stored query reads it as XML now.
 */
const SINGLE_QUOTED =
  "<fetch version='1.0' mapping='logical'>\n  <entity name='contact' >\n    <attribute name='fullname'/>\n" +
  "    <filter type='and'><condition attribute='address1_city' operator='eq' value='Berlin'/></filter>\n  </entity>\n</fetch>";

describe("dynamic lists whose stored query uses single quotes and white space", () => {
  let fakes: Fakes;
  let router: TriggerRouter;
  beforeEach(async () => {
    fakes = await startFakes();
    router = new TriggerRouter(fakes, buildFlows());
  });
  afterEach(async () => {
    router.stop();
    await fakes.stop();
  });

  const inCity = async (ids: string[], cities: string[]) => {
    for (const [i, id] of ids.entries()) await patchRow(fakes, "contacts", id, { address1_city: cities[i] });
    await router.settle();
  };

  test("Sync group: only the Berliners who accepted become receivers; one who declined does not", async () => {
    const ids = seedContacts(fakes, [
      { firstname: "Berta", states: { 0: 1 } },
      { firstname: "Dora", states: { 0: 2 } },
      { firstname: "Hans", states: { 0: 1 } },
    ]);
    await inCity(ids, ["Berlin", "Berlin", "Hamburg"]);
    const listId = seedDynamicList(fakes, "Berliners", { 0: 1 }, SINGLE_QUOTED);
    const groupId = await syncRecord(fakes, "list", listId);
    expect([...groupContents(fakes, groupId).keys()]).toEqual(["berta@example.com"]);
  });

  test("a non-member whose own record changes is not added to the list's group", async () => {
    const ids = seedContacts(fakes, [
      { firstname: "Berta", states: { 0: 1 } },
      { firstname: "Hanna", states: { 0: 1 } },
    ]);
    await inCity(ids, ["Berlin", "Hamburg"]);
    const listId = seedDynamicList(fakes, "Berliners", { 0: 1 }, SINGLE_QUOTED);
    const groupId = await syncRecord(fakes, "list", listId);
    const before = router.runs.length;
    await patchRow(fakes, "contacts", ids[1]!, { lastname: "Neu" });
    await router.settle();
    const runs = router.runs.slice(before);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.filter((r) => r.result?.status !== "Succeeded").map((r) => r.result?.error)).toEqual([]);
    expect([...groupContents(fakes, groupId).keys()]).toEqual(["berta@example.com"]);
  });

  test("a stored query that hides a second entity in a comment is refused with the reason on the list, nothing synced", async () => {
    const ids = seedContacts(fakes, [{ firstname: "Berta", states: { 0: 1 } }]);
    await inCity(ids, ["Berlin"]);
    const hidden = SINGLE_QUOTED.replace(
      "<fetch version='1.0' mapping='logical'>",
      "<fetch version='1.0' mapping='logical'><!-- <entity name=\"contact\"> -->",
    );
    const listId = seedDynamicList(fakes, "Hidden", { 0: 1 }, hidden);
    const flow = buildFlows().find((f) => f.displayName.en === "CleverReach - Sync group")!;
    const r = await fakes.simulator(buildFlows()).run(flow, { body: { table: "list", id: listId } });
    expect(r.error?.code).toBe("UnreadableListQuery");
    expect(String(fakes.dataverse.row("list", listId)?.[COLUMNS.lastSyncError])).toBe(`${UNREADABLE_QUERY_ERROR}${listId}`);
    const groupId = Number(fakes.dataverse.row("list", listId)?.[COLUMNS.cleverReachGroupId]);
    expect(groupId > 0 ? groupContents(fakes, groupId).size : 0).toBe(0);
  });
});
