import { buildFlows } from "../../flows";
import type { FlowArtifact } from "../../solution/src/slots/flows";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { selectedRows, startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { checklist, groupContents, personRow, seedContacts, seedStaticList, seedDynamicList, patchRow } from "../sync/scenario";

const ORG = "https://fake.crm.dynamics.com/api/data/v9.1";
const MEMBERSHIP_FLOWS = ["Dynamic list query changed", "Lead campaign changed"];

/**
 * Membership events (flows/product/events/README.md, "Membership events"), end to end:
 * a user change through the fake's Web API, the row trigger
 * fires the membership flows, they run Sync group, and the fake CleverReach holds the result.
 * Static list members and the lists of a campaign or campaign activity are N:N relationships, on
 * which no row trigger fires: those changes wait for the nightly sync (tests/sync/nightlySync.test.ts)
 * or Update Synchronisation CleverReach.
 */
describe("membership events (events/README.md, Membership events)", () => {
  let fakes: Fakes;
  let router: TriggerRouter;
  const all = buildFlows();
  const flow = (prefix: string): FlowArtifact => {
    const f = all.find((x) => x.displayName.en.startsWith(prefix));
    if (!f) throw new Error(`no flow ${prefix}`);
    return f;
  };
  // Only these flows listen, so that the tests say what the membership flows do on their own.
  const listening = (): FlowArtifact[] => [flow("CleverReach - Sync group"), ...MEMBERSHIP_FLOWS.map((n) => flow(`CleverReach - ${n}`))];

  beforeEach(async () => {
    fakes = await startFakes();
    router = new TriggerRouter(fakes, listening());
  });
  afterEach(async () => {
    router.stop();
    await fakes.stop();
  });

  const dv = () => fakes.dataverse;
  const groupOf = (entity: string, id: string): number => Number(dv().row(entity, id)?.clvr_cleverreachgroupid);
  const emails = (entity: string, id: string): string[] => [...groupContents(fakes, groupOf(entity, id)).keys()].sort();
  const relate = (set: string, id: string, relationship: string, otherSet: string, otherId: string) =>
    dv().handle({
      method: "POST",
      path: `/api/data/v9.1/${set}(${id})/${relationship}/$ref`,
      query: {},
      headers: {},
      body: { "@odata.id": `${ORG}/${otherSet}(${otherId})` },
    });
  const unrelate = (set: string, id: string, relationship: string, otherId: string) =>
    dv().handle({ method: "DELETE", path: `/api/data/v9.1/${set}(${id})/${relationship}(${otherId})/$ref`, query: {}, headers: {} });
  const update = (set: string, id: string, body: Record<string, unknown>) => patchRow(fakes, set, id, body);
  /** The menu flow "Update Synchronisation CleverReach" on one selected record. */
  const menuSync = async (table: string, row: Record<string, string>) => {
    const f = all.find((x) => x.displayName.en.startsWith("Update Synchronisation CleverReach") && x.displayName.en.includes(table));
    if (!f) throw new Error(`no menu flow for ${table}`);
    const [r] = await fakes.simulator(all).fire(f, selectedRows(row));
    expect(r?.error).toBeUndefined();
  };
  const settled = async () => {
    await router.settle();
    for (const r of router.runs)
      expect({ flow: r.flow, status: r.result?.status, error: r.result?.error }).toEqual({ flow: r.flow, status: "Succeeded", error: undefined });
  };
  const synced = (entity: string, id: string) => {
    const row = dv().row(entity, id);
    expect(row?.clvr_lastsyncerror ?? null).toBeNull();
    expect(row?.clvr_lastsyncon).toEqual(expect.any(String));
  };
  const checklistJson = serializeChecklist(checklist({ 0: 1 }));

  test("dynamic list: a changed query adds the people it now matches and removes the others, also in a campaign that contains the list", async () => {
    const [berlin, hamburg] = seedContacts(fakes, [
      { firstname: "Berlin", states: { 0: 1 } },
      { firstname: "Hamburg", states: { 0: 1 } },
    ]);
    dv().seed("contact", [{ ...personRow({ firstname: "Munich", states: { 0: 2 } }), address1_city: "Hamburg" }]);
    await update("contacts", berlin!, { address1_city: "Berlin" });
    await update("contacts", hamburg!, { address1_city: "Hamburg" });
    const query = (city: string) =>
      `<fetch version="1.0" mapping="logical"><entity name="contact"><attribute name="fullname"/><filter type="and"><condition attribute="address1_city" operator="eq" value="${city}"/></filter></entity></fetch>`;
    const [listId] = dv().seed("list", [
      { listname: "City", type: true, createdfromcode: 2, query: query("Berlin"), clvr_syncwithcleverreach: true, clvr_newsletterchecklist: checklistJson },
    ]);
    const [campaignId] = dv().seed("campaign", [{ name: "City campaign", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: checklistJson }]);
    dv().relate("campaignlist_association", campaignId!, listId!);
    await menuSync("Marketing List", { listid: listId! });
    await menuSync("Campaign", { campaignid: campaignId! });
    expect(emails("list", listId!)).toEqual(["berlin@example.com"]);

    await update("lists", listId!, { description: "not the query" });
    await settled();
    expect(router.runs).toHaveLength(0);

    await update("lists", listId!, { query: query("Hamburg") });
    await settled();
    expect(router.runs.map((r) => r.flow)).toEqual(["CleverReach - Dynamic list query changed"]);
    // Munich matches the query but declined the list's type.
    expect(emails("list", listId!)).toEqual(["hamburg@example.com"]);
    expect(emails("campaign", campaignId!)).toEqual(["hamburg@example.com"]);
    synced("list", listId!);
  });

  test("dynamic list: a person who starts matching the query is not seen at once; Update Synchronisation CleverReach repairs it", async () => {
    const [berlin, hamburg] = seedContacts(fakes, [
      { firstname: "Berlin", states: { 0: 1 } },
      { firstname: "Hamburg", states: { 0: 1 } },
    ]);
    await update("contacts", berlin!, { address1_city: "Berlin" });
    await update("contacts", hamburg!, { address1_city: "Hamburg" });
    const listId = seedDynamicList(fakes, "Berliners", { 0: 1 });
    await menuSync("Marketing List", { listid: listId! });

    await update("contacts", hamburg!, { address1_city: "Berlin" });
    await settled();
    // No membership trigger relates a person's change to the lists whose query it now matches.
    expect(router.runs).toHaveLength(0);
    expect(emails("list", listId!)).toEqual(["berlin@example.com"]);

    await menuSync("Marketing List", { listid: listId! });
    expect(emails("list", listId!)).toEqual(["berlin@example.com", "hamburg@example.com"]);
  });

  test("campaign: a lead linked to it is added; re-linked to another campaign, it moves from the old group to the new one", async () => {
    const [a, b, other] = dv().seed("campaign", [
      { name: "Campaign A", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: checklistJson },
      { name: "Campaign B", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: checklistJson },
      { name: "Campaign C", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: checklistJson },
    ]);
    for (const id of [a!, b!, other!]) await menuSync("Campaign", { campaignid: id });
    const [lea] = dv().seed("lead", [{ ...personRow({ firstname: "Lea", states: { 0: 1 } }), companyname: "Lea GmbH" }]);

    await update("leads", lea!, { "campaignid@odata.bind": `/campaigns(${a!})` });
    await settled();
    expect(router.runs.map((r) => r.flow)).toEqual(["CleverReach - Lead campaign changed"]);
    expect(emails("campaign", a!)).toEqual(["lea@example.com"]);
    expect(groupContents(fakes, groupOf("campaign", a!)).get("lea@example.com")).toMatchObject({
      active: true,
      attributes: { company: "Lea GmbH", crm_table: "lead", crm_id: lea },
    });

    fakes.cleverReach.server.requests.length = 0;
    await update("leads", lea!, { "campaignid@odata.bind": `/campaigns(${b!})` });
    await settled();
    expect(emails("campaign", a!)).toEqual([]);
    expect(emails("campaign", b!)).toEqual(["lea@example.com"]);
    expect(emails("campaign", other!)).toEqual([]);
    // One look-up per other synced campaign finds the one the lead left.
    expect(fakes.cleverReach.server.requests.filter((r) => r.operationId === "GetGroupReceiver")).toHaveLength(2);
    synced("campaign", a!);
    synced("campaign", b!);
  });

  test("static list members, a campaign's and a campaign activity's lists: no flow fires; Update Synchronisation CleverReach brings the groups in step", async () => {
    const [ann, ben, prim] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
      { firstname: "Prim", states: { 0: 1 } },
    ]);
    const [acme] = dv().seed("account", [{ name: "Acme", "primarycontactid@odata.bind": `/contacts(${prim!})` }]);
    const listId = seedStaticList(fakes, "Newsletter", { 0: 1 }, [ann!]);
    const accounts = seedStaticList(fakes, "Accounts", { 0: 1 }, [], "account");
    const [campaignId] = dv().seed("campaign", [{ name: "Autumn", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: checklistJson }]);
    const [activityId] = dv().seed("campaignactivity", [{ subject: "Mailing 1", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: checklistJson }]);
    await menuSync("Marketing List", { listid: listId });
    await menuSync("Marketing List", { listid: accounts });
    await menuSync("Campaign", { campaignid: campaignId! });
    await menuSync("Campaign Activity", { activityid: activityId! });

    // Every flow listens: none of these changes fires one.
    router.stop();
    router = new TriggerRouter(fakes, all);
    await relate("lists", listId, "listcontact_association", "contacts", ben!);
    await unrelate("lists", listId, "listcontact_association", ann!);
    await relate("lists", accounts, "listaccount_association", "accounts", acme!);
    await relate("campaigns", campaignId!, "campaignlist_association", "lists", listId);
    await relate("campaignactivities", activityId!, "campaignactivitylist_association", "lists", listId);
    await settled();
    expect(router.runs).toEqual([]);
    expect([emails("list", listId), emails("list", accounts), emails("campaign", campaignId!), emails("campaignactivity", activityId!)]).toEqual([
      ["ann@example.com"],
      [],
      [],
      [],
    ]);

    await menuSync("Marketing List", { listid: listId });
    await menuSync("Marketing List", { listid: accounts });
    await menuSync("Campaign", { campaignid: campaignId! });
    await menuSync("Campaign Activity", { activityid: activityId! });
    expect([emails("list", listId), emails("list", accounts), emails("campaign", campaignId!), emails("campaignactivity", activityId!)]).toEqual([
      ["ben@example.com"],
      ["prim@example.com"],
      ["ben@example.com"],
      ["ben@example.com"],
    ]);
    // A primary contact's company is her own parent account's name (SPEC §6.2): she has none here.
    expect(groupContents(fakes, groupOf("list", accounts)).get("prim@example.com")?.attributes.company).toBe("");
  });

  test("a failing CleverReach: the run fails with a clear message and the list keeps the Sync group's own error; the next event converges", async () => {
    const query = (city: string) =>
      `<fetch version="1.0" mapping="logical"><entity name="contact"><attribute name="fullname"/><filter type="and"><condition attribute="address1_city" operator="eq" value="${city}"/></filter></entity></fetch>`;
    const [berlin] = seedContacts(fakes, [{ firstname: "Berlin", states: { 0: 1 } }]);
    await update("contacts", berlin!, { address1_city: "Berlin" });
    const [listId] = dv().seed("list", [
      { listname: "City", type: true, createdfromcode: 2, query: query("Hamburg"), clvr_syncwithcleverreach: true, clvr_newsletterchecklist: checklistJson },
    ]);
    await menuSync("Marketing List", { listid: listId! });
    // More 500s than the connector's retry policy tries (1 + 4); the Sync group call is not repeated.
    fakes.cleverReach.server.injectFault({ kind: "status", status: 500, times: 5, operationId: "UpsertReceivers" });
    await update("lists", listId!, { query: query("Berlin") });
    await router.settle();
    const run = router.runs[0]?.result;
    expect(run?.status).toBe("Failed");
    expect(run?.error?.message).toMatch(/^CleverReach dynamic list sync failed at Sync_each_Synced_list: a Sync group run failed/);
    // The list carries the Sync group's own, more precise error.
    expect(String(dv().row("list", listId!)?.clvr_lastsyncerror)).toMatch(/^CleverReach sync failed: /);
    expect(emails("list", listId!)).toEqual([]);

    router.runs.length = 0;
    await update("lists", listId!, { description: "a query edit saves more than the query" });
    await update("lists", listId!, { query: query("Berlin") + " " });
    await settled();
    expect(emails("list", listId!)).toEqual(["berlin@example.com"]);
    synced("list", listId!);
  });
});
