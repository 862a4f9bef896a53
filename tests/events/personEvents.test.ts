import { buildFlows } from "../../flows";
import { acceptedTypesKey, TRANSFER_SETTING_ERROR } from "../../flows/product/rules/eligibility";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { REFUSED } from "../sim/gates";
import { FAILURE_SENTENCES } from "../../flows/product/rules/messages";
import { COLUMNS } from "../../solution/src/model/handles";

/** The answer a refused call gets from a test's gate (tests/sim/gates.ts). */
const REFUSED_BY_GATE = (REFUSED.body as { error: { message: string } }).error.message;
import { checklist, groupContents, personRow, seedContacts, seedStaticList, seedDynamicList, patchRow, syncRecord } from "../sync/scenario";

const API = "/api/data/v9.2";

describe("person event flows (events/README.md, Person events)", () => {
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

  const patch = (set: string, id: string, body: Record<string, unknown>) => patchRow(fakes, set, id, body);
  const sync = (table: string, id: string): Promise<number> => syncRecord(fakes, table, id);
  const personRuns = () => router.runs.filter((r) => r.flow.endsWith("changed"));
  const failures = () =>
    personRuns()
      .filter((r) => r.result?.status !== "Succeeded")
      .map((r) => r.result?.error ?? r.result?.status);

  test("checklist changed: derived column kept in step, added to and removed from groups accordingly", async () => {
    const [ann, ben] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 1: 1 } },
    ]);
    const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!, ben!]);
    const offers = seedStaticList(fakes, "Offers", { 1: 1 }, [ann!, ben!]);
    const newsGroup = await sync("list", news);
    const offersGroup = await sync("list", offers);
    expect([...groupContents(fakes, newsGroup).keys()]).toEqual(["ann@example.com"]);

    const rows = checklist({ 0: 2, 1: 1, 3: 1 });
    await patch("contacts", ann!, { clvr_newsletterchecklist: serializeChecklist(rows) });
    await router.settle();
    expect(failures()).toEqual([]);
    expect(fakes.dataverse.row("contact", ann!)?.clvr_acceptedtypes).toBe(acceptedTypesKey(rows));
    expect(fakes.dataverse.row("contact", ann!)?.clvr_acceptedtypes).toBe(",1,3,");
    expect([...groupContents(fakes, newsGroup).keys()]).toEqual([]);
    const offersNow = groupContents(fakes, offersGroup);
    expect([...offersNow.keys()].sort()).toEqual(["ann@example.com", "ben@example.com"]);
    expect(offersNow.get("ann@example.com")).toEqual({
      active: true,
      attributes: { salutation: "", firstname: "Ann", lastname: "Person", company: "", crm_table: "contact", crm_id: ann },
    });
    // The receiver has the Sync group's shape: a full sync afterwards changes nothing. Since issue 11
    // a full sync re-sends every wanted receiver with its mark (one upsert), so that is its only write.
    fakes.cleverReach.server.requests.length = 0;
    const before = JSON.stringify([...groupContents(fakes, offersGroup)]);
    await sync("list", offers);
    expect(fakes.cleverReach.server.requests.filter((r) => r.method !== "GET").map((r) => r.operationId)).toEqual(["UpsertReceivers"]);
    expect(JSON.stringify([...groupContents(fakes, offersGroup)])).toBe(before);
  });

  test("checklist with invalid JSON: the run fails clearly and nothing is changed", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const group = await sync("list", news);
    await patch("contacts", ann!, { clvr_newsletterchecklist: "[{oops" });
    await router.settle();
    const runs = personRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.result?.status).toBe("Failed");
    expect(runs[0]?.result?.error?.message).toMatch(/not valid checklist JSON/);
    expect(fakes.dataverse.row("contact", ann!)?.clvr_acceptedtypes).toBe(",0,");
    expect(groupContents(fakes, group).get("ann@example.com")?.active).toBe(true);
  });

  test("name, salutation and company changed: receiver updated in every group, an unsubscribed one stays unsubscribed", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const a = seedStaticList(fakes, "A", { 0: 1 }, [ann!]);
    const b = seedStaticList(fakes, "B", { 0: 1 }, [ann!]);
    const groupA = await sync("list", a);
    const groupB = await sync("list", b);
    fakes.cleverReach.seed.unsubscribe(groupB, "ann@example.com");
    const [acme] = fakes.dataverse.seed("account", [{ name: "Acme" }]);
    fakes.cleverReach.server.requests.length = 0;
    await patch("contacts", ann!, { firstname: "Anna", salutation: "Frau", "parentcustomerid_account@odata.bind": `/accounts(${acme})` });
    await router.settle();
    expect(failures()).toEqual([]);
    // Per group one lookup and at most one upsert (global attributes are per address, so the
    // second group already shows them); no group is read in full.
    const ops = fakes.cleverReach.server.requests.map((r) => r.operationId).sort();
    // One ListAttributes per group: the flow checks the group is the record's own before writing.
    expect(ops).toEqual(["GetGroupReceiver", "GetGroupReceiver", "ListAttributes", "ListAttributes", "UpsertReceivers"]);
    const want = { salutation: "Frau", firstname: "Anna", lastname: "Person", company: "Acme", crm_table: "contact", crm_id: ann };
    expect(groupContents(fakes, groupA).get("ann@example.com")).toEqual({ active: true, attributes: want });
    expect(groupContents(fakes, groupB).get("ann@example.com")).toEqual({ active: false, attributes: want });
  });

  test("a campaign reached through two of the person's lists is updated once (List rows has no <fetch distinct>; union() keeps it once)", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const lists = [seedStaticList(fakes, "A", { 0: 1 }, [ann!]), seedStaticList(fakes, "B", { 0: 1 }, [ann!])];
    const [campaignId] = fakes.dataverse.seed("campaign", [
      { name: "Both", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })) },
    ]);
    for (const l of lists) fakes.dataverse.relate("campaignlist_association", campaignId!, l);
    const groups = [...(await Promise.all(lists.map((l) => sync("list", l)))), await sync("campaign", campaignId!)];
    fakes.cleverReach.server.requests.length = 0;
    await patch("contacts", ann!, { firstname: "Anna" });
    await router.settle();
    expect(failures()).toEqual([]);
    const lookups = fakes.cleverReach.server.requests.filter((r) => r.operationId === "GetGroupReceiver").map((r) => Number(/groups\/(\d+)/.exec(r.path)?.[1]));
    expect(lookups.sort()).toEqual([...groups].sort());
  });

  test("an invalid transfer setting: the run stops before anything is written, naming the variable", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const group = await sync("list", seedStaticList(fakes, "A", { 0: 1 }, [ann!]));
    router.stop();
    router = new TriggerRouter(fakes, buildFlows(), { clvr_TransferTables: { tabels: ["contact"] } });
    fakes.cleverReach.server.requests.length = 0;
    await patch("contacts", ann!, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 2 })) });
    await router.settle();
    expect(personRuns().map((r) => r.result?.error)).toEqual([{ code: "InvalidConfiguration", message: TRANSFER_SETTING_ERROR }]);
    expect(fakes.cleverReach.server.requests).toEqual([]);
    expect(fakes.dataverse.row("contact", ann!)?.clvr_acceptedtypes).toBe(",0,");
    expect(groupContents(fakes, group).get("ann@example.com")?.active).toBe(true);
  });

  test("the transfer setting cannot be read (the connection refused): the person and the run say so in words, not that the setting is invalid", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const group = await sync("list", seedStaticList(fakes, "A", { 0: 1 }, [ann!]));
    fakes.cleverReach.server.requests.length = 0;
    const gate = fakes.gates.hold({ connector: "dataverse", action: "Transfer_setting_definition" });
    void gate.reached.then(() => gate.fail());
    await patch("contacts", ann!, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 2 })) });
    await router.settle();
    const text = String(fakes.dataverse.row("contact", ann!)?.[COLUMNS.cleverReachSyncError] ?? "");
    expect(text.startsWith(`CleverReach update of this contact failed: ${FAILURE_SENTENCES.dataverse.any}`)).toBe(true);
    expect(text).toContain("Details: step Transfer_setting_definition (400): ");
    expect(text).toContain(REFUSED_BY_GATE);
    expect(text).not.toContain(TRANSFER_SETTING_ERROR);
    expect(personRuns().map((r) => r.result?.error)).toEqual([{ code: "PersonSyncFailed", message: text }]);
    // Nothing was sent or written for the person's groups.
    expect(fakes.cleverReach.server.requests).toEqual([]);
    expect(groupContents(fakes, group).get("ann@example.com")?.active).toBe(true);
  });

  test("a receiver lookup that keeps failing: that group is left alone, the other is updated, and the run fails naming the group", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const groups = [await sync("list", seedStaticList(fakes, "A", { 0: 1 }, [ann!])), await sync("list", seedStaticList(fakes, "B", { 0: 1 }, [ann!]))];
    // More 500s than the connector's retry policy tries (1 + 4): the first group's lookup fails.
    fakes.cleverReach.server.injectFault({ kind: "status", status: 500, times: 5, operationId: "GetGroupReceiver" });
    fakes.cleverReach.server.requests.length = 0;
    await patch("contacts", ann!, { firstname: "Anna" });
    await router.settle();
    const runs = personRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.result?.error).toMatchObject({
      code: "ReceiverLookupFailed",
      message: expect.stringMatching(/^Reading the receiver from CleverReach group \d+ failed: /),
    });
    const failedGroup = Number(/group (\d+)/.exec(runs[0]?.result?.error?.message ?? "")?.[1]);
    // Nothing is written to the group whose lookup failed; the other group gets the new name.
    const writes = fakes.cleverReach.server.requests.filter((r) => r.method !== "GET").map((r) => [r.operationId, Number(/groups\/(\d+)/.exec(r.path)?.[1])]);
    expect(writes).toEqual([["UpsertReceivers", groups.find((g) => g !== failedGroup)]]);
    expect(groupContents(fakes, failedGroup).get("ann@example.com")?.attributes.firstname).toBe("Anna");
  });

  test("e-mail changed: the old address's active receiver is removed and the new one added; an unsubscribed person stays unsubscribed, and their unsubscribed receiver stays (issue 15 item 12)", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const a = seedStaticList(fakes, "A", { 0: 1 }, [ann!]);
    const b = seedStaticList(fakes, "B", { 0: 1 }, [ann!]);
    const groupA = await sync("list", a);
    const groupB = await sync("list", b);
    fakes.cleverReach.seed.unsubscribe(groupB, "ann@example.com");
    await patch("contacts", ann!, { emailaddress1: "Ann.New@Example.com" });
    await router.settle();
    expect(failures()).toEqual([]);
    const inA = groupContents(fakes, groupA);
    expect([...inA.keys()]).toEqual(["ann.new@example.com"]);
    expect(inA.get("ann.new@example.com")?.active).toBe(true);
    const inB = groupContents(fakes, groupB);
    expect([...inB.keys()].sort()).toEqual(["ann.new@example.com", "ann@example.com"]);
    expect(inB.get("ann.new@example.com")?.active).toBe(false);
    expect(inB.get("ann@example.com")?.active).toBe(false);
  });

  test("deactivated: removed from every group", async () => {
    const [ann, ben] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const a = seedStaticList(fakes, "A", { 0: 1 }, [ann!, ben!]);
    const group = await sync("list", a);
    await patch("contacts", ann!, { statecode: 1 });
    await router.settle();
    expect(failures()).toEqual([]);
    expect([...groupContents(fakes, group).keys()]).toEqual(["ben@example.com"]);
  });

  test("deleted: removed from every group (list memberships are gone with the row)", async () => {
    const leads = fakes.dataverse.seed("lead", [
      { ...personRow({ firstname: "Lea", states: { 0: 1 } }), companyname: "Lea GmbH" },
      personRow({ firstname: "Leo", states: { 0: 1 } }),
    ]);
    const a = seedStaticList(fakes, "A", { 0: 1 }, leads, "lead");
    const group = await sync("list", a);
    expect(groupContents(fakes, group).get("lea@example.com")?.attributes.company).toBe("Lea GmbH");
    await fakes.dataverse.handle({ method: "DELETE", path: `${API}/leads(${leads[0]})`, query: {}, headers: {} });
    await router.settle();
    expect(failures()).toEqual([]);
    expect([...groupContents(fakes, group).keys()]).toEqual(["leo@example.com"]);
  });

  test("created and matching a dynamic list: added to that list's group and the campaign containing the list", async () => {
    const listId = seedDynamicList(fakes, "Berliners", { 0: 1 });
    const [campaignId] = fakes.dataverse.seed("campaign", [
      { name: "Autumn", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })) },
    ]);
    fakes.dataverse.relate("campaignlist_association", campaignId!, listId!);
    const listGroup = await sync("list", listId!);
    const campaignGroup = await sync("campaign", campaignId!);
    const created = await fakes.dataverse.handle({
      method: "POST",
      path: `${API}/contacts`,
      query: {},
      headers: { Prefer: "return=representation" },
      body: { ...personRow({ firstname: "Bea", states: { 0: 1 } }), clvr_acceptedtypes: null, address1_city: "Berlin" },
    });
    expect(created.status).toBeLessThan(300);
    await fakes.dataverse.handle({
      method: "POST",
      path: `${API}/contacts`,
      query: {},
      headers: {},
      body: { ...personRow({ firstname: "Hal", states: { 0: 1 } }), address1_city: "Hamburg" },
    });
    await router.settle();
    expect(failures()).toEqual([]);
    expect([...groupContents(fakes, listGroup).keys()]).toEqual(["bea@example.com"]);
    expect([...groupContents(fakes, campaignGroup).keys()]).toEqual(["bea@example.com"]);
    const bea = fakes.dataverse.rows("contact").find((r) => r.firstname === "Bea");
    expect(bea?.clvr_acceptedtypes).toBe(",0,");
  });

  test("lead: company changed updates the receiver in the campaign it belongs to", async () => {
    const [campaignId] = fakes.dataverse.seed("campaign", [
      { name: "Autumn", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })) },
    ]);
    const [lea] = fakes.dataverse.seed("lead", [
      { ...personRow({ firstname: "Lea", states: { 0: 1 } }), companyname: "Old", "campaignid@odata.bind": `/campaigns(${campaignId})` },
    ]);
    const group = await sync("campaign", campaignId!);
    await patch("leads", lea!, { companyname: "New GmbH" });
    await router.settle();
    expect(failures()).toEqual([]);
    expect(groupContents(fakes, group).get("lea@example.com")).toEqual({
      active: true,
      attributes: { salutation: "", firstname: "Lea", lastname: "Person", company: "New GmbH", crm_table: "lead", crm_id: lea },
    });
  });

  test("checklist changed to nothing accepted: empty derived column, removed from the group", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1, 2: 1 } }]);
    const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const group = await sync("list", news);
    expect(fakes.dataverse.row("contact", ann!)?.clvr_acceptedtypes).toBe(",0,2,");
    const rows = checklist({ 0: 2, 2: 0 });
    await patch("contacts", ann!, { clvr_newsletterchecklist: serializeChecklist(rows) });
    await router.settle();
    expect(failures()).toEqual([]);
    expect(fakes.dataverse.row("contact", ann!)?.clvr_acceptedtypes ?? "").toBe(acceptedTypesKey(rows));
    expect(acceptedTypesKey(rows)).toBe("");
    expect([...groupContents(fakes, group).keys()]).toEqual([]);
  });
});
