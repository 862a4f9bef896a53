import { buildFlows } from "../../flows";
import { cleverReachToCrmFlow } from "../../flows/product/cleverreachToCrm/cleverReachToCrmFlow";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { updateSynchronisationFlows } from "../../flows/product/sync/updateSynchronisationFlows";
import { COLUMNS, TABLES } from "../../solution/src/model/handles";
import { declinedNote } from "../../flows/product/rules/messages";
import { declinedElsewhere, type GroupReceiver } from "../../flows/product/rules/declines";
import { declinedNote as declinedNoteExpression } from "../../flows/product/sync/messages";
import { DECLINED, declinedElsewhere as declinedElsewhereExpression, declineEntry, declinedWithRow } from "../../flows/product/sync/syncGroupFlow/declines";
import { json, createArray } from "../../flows/toolkit/expr/functions";
import { lit } from "../../flows/toolkit/expr/build";
import { evaluateString } from "../../flows/toolkit/sim/evaluate";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import { selectedRows, startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { checklist, groupContents, patchRow, seedContacts, seedStaticList } from "./scenario";

/** A scenario with several flows takes 2–5 s idle; ten times that on a busy machine. */
const BUDGET = 60_000;

/**
 * Issue 15 item 11, as a user meets it: Ann unsubscribes in CleverReach, and before the hourly
 * back-sync has brought that back, her e-mail address changes where no event flow sees it (an
 * import, the flows turned off). Then someone runs Update Synchronisation. CleverReach still holds
 * her old receiver, deactivated, with her CRM row in its group attributes (crm_table, crm_id): that
 * is her decline for this group, and the full sync must not add her new address. The old receiver
 * is left as it is (an unsubscribed receiver is never deleted).
 */
describe("item 11: an unsubscribe the back-sync has not reported yet holds under a new address", () => {
  let fakes: Fakes;
  let router: TriggerRouter | undefined;
  const flows = buildFlows();
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(async () => {
    router?.stop();
    router = undefined;
    await fakes.stop();
  });

  const store = () => fakes.cleverReach.server.store;
  const record = (table: string, id: string) => fakes.dataverse.row(table, id) ?? {};
  const sync = async (table: string, id: string) => {
    const r = await fakes.simulator(flows).run(syncGroupFlow().build(), { body: { table, id } });
    expect(r.error).toBeUndefined();
    return Number(record(table, id)[COLUMNS.cleverReachGroupId]);
  };
  const updateSynchronisation = async (listId: string) => {
    const menu = updateSynchronisationFlows(syncGroupFlow().id)
      .map((f) => f.build())
      .find((f) => f.displayName.en.includes("Marketing List"));
    const [r] = await fakes.simulator(flows).fire(menu!, selectedRows({ listid: listId }));
    expect(r?.error).toBeUndefined();
  };
  const lastLog = () => fakes.dataverse.rows(TABLES.syncLog.logicalName).slice(-1)[0] ?? {};

  /** Ann in News (type 0), synced, then unsubscribed in CleverReach; nothing has read that back yet. */
  async function annUnsubscribed() {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const group = await sync("list", news);
    expect(groupContents(fakes, group).get("ann@example.com")?.attributes).toMatchObject({ crm_table: "contact", crm_id: ann! });
    fakes.cleverReach.seed.unsubscribe(group, "ann@example.com");
    return { ann: ann!, news, group };
  }

  test(
    "the address changed while the flows were off, then Update Synchronisation: the new address is not added, the old receiver stays unsubscribed, and the record and the sync log say why",
    async () => {
      const { ann, news, group } = await annUnsubscribed();
      const oldReceiver = { ...store().groupReceivers(group).get("ann@example.com")! };
      fakes.dataverse.change("contact", ann, { emailaddress1: "ann.new@example.com" });
      await updateSynchronisation(news);
      const inGroup = groupContents(fakes, group);
      expect(inGroup.has("ann.new@example.com")).toBe(false);
      expect(store().groupReceivers(group).get("ann@example.com")).toMatchObject({
        id: oldReceiver.id,
        deactivated: oldReceiver.deactivated,
        activated: oldReceiver.activated,
      });
      const note = String(record("list", news)[COLUMNS.lastSyncError]);
      expect(note).toMatch(/^1 person skipped: unsubscribed from this CleverReach group under an earlier address \(ann\.new@example\.com\)/);
      expect(lastLog()).toMatchObject({ [COLUMNS.skipped]: 1, [COLUMNS.added]: 0 });
      expect(String(lastLog()[COLUMNS.skippedWhy])).toContain("unsubscribed from this CleverReach group under an earlier address");
      // A second run says the same and still adds nobody.
      await sync("list", news);
      expect(groupContents(fakes, group).has("ann.new@example.com")).toBe(false);
    },
    BUDGET,
  );

  test(
    "both addresses in the group (the new one added before this fix, active): the new address goes, the old unsubscribed receiver stays",
    async () => {
      const { ann, news, group } = await annUnsubscribed();
      fakes.dataverse.change("contact", ann, { emailaddress1: "ann.new@example.com" });
      fakes.cleverReach.seed.receivers(group, [{ email: "ann.new@example.com", activated: store().now(), attributes: { crm_table: "contact", crm_id: ann } }]);
      expect(groupContents(fakes, group).get("ann.new@example.com")?.active).toBe(true);
      await sync("list", news);
      expect(groupContents(fakes, group).has("ann.new@example.com")).toBe(false);
      expect(store().groupReceivers(group).get("ann@example.com")?.deactivated).toBeGreaterThan(0);
    },
    BUDGET,
  );

  test(
    "the person reaches the group twice (a campaign with two lists she is on): neither row adds the new address; someone else with the new address is added",
    async () => {
      const [ann, bea] = seedContacts(fakes, [
        { firstname: "Ann", states: { 0: 1 } },
        { firstname: "Bea", email: "bea@example.com", states: { 0: 1 } },
      ]);
      const one = seedStaticList(fakes, "One", {}, [ann!]);
      const two = seedStaticList(fakes, "Two", {}, [ann!, bea!]);
      const [campaign] = fakes.dataverse.seed("campaign", [
        { name: "Spring", [COLUMNS.syncWithCleverReach]: true, [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: 1 })) },
      ]);
      for (const l of [one, two]) fakes.dataverse.relate("campaignlist_association", campaign!, l);
      const group = await sync("campaign", campaign!);
      expect(groupContents(fakes, group).get("ann@example.com")?.active).toBe(true);
      fakes.cleverReach.seed.unsubscribe(group, "ann@example.com");
      fakes.dataverse.change("contact", ann!, { emailaddress1: "ann.new@example.com" });
      await sync("campaign", campaign!);
      expect(groupContents(fakes, group).has("ann.new@example.com")).toBe(false);
      expect(groupContents(fakes, group).get("bea@example.com")?.active).toBe(true);
      expect(String(record("campaign", campaign!)[COLUMNS.lastSyncError])).toBe(declinedNote(2, ["ann.new@example.com"]));
    },
    BUDGET,
  );

  test(
    "the old receiver bounced: a bounce is no decline by the person (the old address does not work), so the new address is added, the bounced one goes, and the hourly run brings no decline",
    async () => {
      const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
      const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
      const group = await sync("list", news);
      fakes.cleverReach.seed.bounce(group, "ann@example.com");
      fakes.dataverse.change("contact", ann!, { emailaddress1: "ann.new@example.com" });
      await sync("list", news);
      expect(groupContents(fakes, group).get("ann.new@example.com")?.active).toBe(true);
      expect(groupContents(fakes, group).has("ann@example.com")).toBe(false);
      const hourly = await fakes.simulator(flows).run(cleverReachToCrmFlow().build(), {});
      expect(hourly.error).toBeUndefined();
      expect(record("contact", ann!)[COLUMNS.cleverReachDeclines] ?? "").toBe("");
      await sync("list", news);
      expect(groupContents(fakes, group).get("ann.new@example.com")?.active).toBe(true);
    },
    BUDGET,
  );

  test(
    "the person flow sees the change (items 12/13 stay fixed): the old receiver stays unsubscribed, the new address is not added to the group, and the hourly run brings the decline back to Ann",
    async () => {
      router = new TriggerRouter(fakes, flows);
      const { ann, news, group } = await annUnsubscribed();
      await patchRow(fakes, "contacts", ann, { emailaddress1: "ann.new@example.com" });
      await router.settle();
      expect(router.runs.filter((r) => r.result?.status !== "Succeeded").map((r) => `${r.flow}: ${r.result?.error?.message}`)).toEqual([]);
      expect(store().groupReceivers(group).get("ann@example.com")?.deactivated).toBeGreaterThan(0);
      expect(groupContents(fakes, group).get("ann.new@example.com")?.active ?? false).toBe(false);
      await updateSynchronisation(news);
      await router.settle();
      expect(groupContents(fakes, group).get("ann.new@example.com")?.active ?? false).toBe(false);
      const hourly = await fakes.simulator(flows).run(cleverReachToCrmFlow().build(), {});
      expect(hourly.error).toBeUndefined();
      await router.settle();
      expect(String(record("contact", ann)[COLUMNS.cleverReachDeclines])).toContain(String(group));
      await updateSynchronisation(news);
      await router.settle();
      expect(groupContents(fakes, group).get("ann.new@example.com")?.active ?? false).toBe(false);
    },
    BUDGET,
  );
});

describe("item 11's rule: the flows' expressions are the rule's", () => {
  const evaluate = (e: { value: string }, declined = ";"): unknown =>
    evaluateString(e.value, { context: { variables: ([name]) => (name === DECLINED.text ? declined : null) }, functions: FUNCTIONS });
  const receiver = (email: string, o: Partial<GroupReceiver> = {}): GroupReceiver => ({
    email,
    deactivated: 0,
    bounced: 0,
    attributes: { crm_table: "contact", crm_id: "AB-1" },
    ...o,
  });
  const receivers: GroupReceiver[] = [
    receiver("ann@example.com", { deactivated: 1700000000 }),
    receiver("ann.second@example.com"),
    receiver("ben@example.com", { bounced: 1700000000, attributes: { crm_table: "lead", crm_id: "cd-2" } }),
    receiver("cid@example.com", { deactivated: 1700000000, attributes: {} }),
    receiver("dan@example.com", { attributes: { crm_table: "contact", crm_id: "ef-3" } }),
    receiver("eve@example.com", { deactivated: 1700000000, attributes: { crm_table: "contact", crm_id: "gh-4" } }),
    receiver("eve.new@example.com", { bounced: 1700000000, attributes: { crm_table: "contact", crm_id: "gh-4" } }),
  ];
  const text =
    ";" +
    receivers
      .filter((r) => evaluate(declinedWithRow(json(JSON.stringify(r)))) === true)
      .map((r) => String(evaluate(declineEntry(json(JSON.stringify(r))))))
      .join("");

  test.each([
    ["contact", "ab-1", "ann.new@example.com"],
    ["contact", "AB-1", "Ann@Example.com"],
    ["contact", "ab-1", "ann.second@example.com"],
    ["lead", "cd-2", "ben.new@example.com"],
    ["contact", "cd-2", "ben.new@example.com"],
    ["contact", "", "cid.new@example.com"],
    ["contact", "ef-3", "dan.new@example.com"],
    ["contact", "gh-4", "eve.new@example.com"],
    ["contact", "gh-4", "eve.third@example.com"],
    ["lead", "zz-9", "zed@example.com"],
  ])("%s %s now at %s", (table, id, email) => {
    const want = declinedElsewhere({ table, id, email }, receivers);
    expect(evaluate(declinedElsewhereExpression(lit(table), lit(id), lit(email.toLowerCase())), text)).toBe(want);
  });

  test("the rule: declined under another address only when no declined receiver of the row has its current address", () => {
    expect(declinedElsewhere({ table: "contact", id: "ab-1", email: " ANN.NEW@example.com " }, receivers)).toBe(true);
    expect(declinedElsewhere({ table: "contact", id: "ab-1", email: "ann@example.com" }, receivers)).toBe(false);
    expect(declinedElsewhere({ table: "contact", id: "ef-3", email: "dan.new@example.com" }, receivers)).toBe(false);
    // Bounced only: no decline.
    expect(declinedElsewhere({ table: "lead", id: "cd-2", email: "ben.new@example.com" }, receivers)).toBe(false);
    expect(declinedElsewhere({ table: "contact", id: "cd-2", email: "ben.new@example.com" }, receivers)).toBe(false);
  });

  test("the record's note: the flows' text is the rule's", () => {
    for (const [count, examples] of [
      [0, []],
      [1, ["x@y"]],
      [7, ["a", "b", "c", "d", "e"]],
    ] as Array<[number, string[]]>) {
      const list = examples.length === 0 ? json("[]") : createArray(...(examples as [string, ...string[]]));
      expect(evaluate(declinedNoteExpression(lit(count), list))).toBe(declinedNote(count, examples));
    }
  });
});
