import { buildFlows } from "../../flows";
import { COLUMNS } from "../../solution/src/model/handles";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { checklist, groupContents, patchRow, seedContacts, seedStaticList } from "../sync/scenario";

/**
 * Issue 15 item 1 for the person flows: a list whose group id someone set to another group (the
 * company's main newsletter) is synced by nobody, and a person's change must not reach that group
 * either, as it must not through Sync group and Delete group (tests/sync/groupIdentity.test.ts).
 */
describe("person flows write only to groups the product created for the record", () => {
  let fakes: Fakes;
  let router: TriggerRouter | undefined;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(async () => {
    router?.stop();
    await fakes.stop();
  });

  const YEAR = 365 * 24 * 3600;
  function companyNewsletter(emails: string[]) {
    const now = fakes.cleverReach.server.store.now();
    const g = fakes.cleverReach.seed.group("Company newsletter", { locked: true, stamp: now - YEAR });
    fakes.cleverReach.seed.receivers(
      g.id,
      emails.map((email) => ({ email, activated: now - YEAR, registered: now - YEAR })),
    );
    return g;
  }
  const active = (groupId: number) => [...groupContents(fakes, groupId).entries()].filter(([, r]) => r.active).map(([e]) => e);

  test("a member declining, being deactivated or changing name leaves the foreign group as it is", async () => {
    const [ann, ben, cem] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
      { firstname: "Cem", states: { 0: 1 } },
    ]);
    const main = companyNewsletter(["ann@example.com", "ben@example.com", "cem@example.com"]);
    const listId = seedStaticList(fakes, "Takeover", { 0: 1 }, [ann!, ben!, cem!]);
    // Set as an import or a careless administrator would: the flows never wrote it.
    fakes.dataverse.change("list", listId, { [COLUMNS.cleverReachGroupId]: String(main.id) });
    router = new TriggerRouter(fakes, buildFlows());
    await patchRow(fakes, "contacts", ann!, { [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: 2 })) });
    await patchRow(fakes, "contacts", ben!, { statecode: 1, statuscode: 2 });
    await patchRow(fakes, "contacts", cem!, { firstname: "Cemal" });
    await router.settle();
    expect(active(main.id)).toEqual(["ann@example.com", "ben@example.com", "cem@example.com"]);
    expect(groupContents(fakes, main.id).get("cem@example.com")?.attributes.firstname).not.toBe("Cemal");
    const writes = fakes.cleverReach.server.requests.filter((r) => r.method !== "GET" && r.path.includes(`/groups.json/${main.id}`));
    expect(writes).toEqual([]);
  });

  test("the same changes still reach the list's own group", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const listId = seedStaticList(fakes, "Own", { 0: 1 }, [ann!]);
    router = new TriggerRouter(fakes, buildFlows());
    await patchRow(fakes, "lists", listId, { [COLUMNS.syncWithCleverReach]: false });
    await patchRow(fakes, "lists", listId, { [COLUMNS.syncWithCleverReach]: true });
    await router.settle();
    const own = Number(fakes.dataverse.row("list", listId)?.[COLUMNS.cleverReachGroupId]);
    expect(active(own)).toEqual(["ann@example.com"]);
    await patchRow(fakes, "contacts", ann!, { [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: 2 })) });
    await router.settle();
    expect(active(own)).toEqual([]);
  });
});
