import { buildFlows } from "../../flows";
import { selectedRows, startFakes, type Fakes } from "../sim/harness";
import { checklist, groupContents, patchRow, seedContacts, seedDynamicList } from "./scenario";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { personRow } from "./scenario";

const menuFlow = (table: string) => {
  const f = buildFlows().find((x) => x.displayName.en.startsWith("Update Synchronisation CleverReach") && x.displayName.en.includes(table));
  if (!f) throw new Error(`no Update Synchronisation flow for ${table}`);
  return f;
};

describe("Update Synchronisation CleverReach (record menu)", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());
  const sim = () => fakes.simulator(buildFlows());
  const groupOf = (entity: string, id: string) => Number(fakes.dataverse.row(entity, id)?.clvr_cleverreachgroupid);

  test("marketing list of leads", async () => {
    const leads = fakes.dataverse.seed("lead", [
      { ...personRow({ firstname: "Lea", states: { 3: 1 } }), companyname: "Lea GmbH" },
      { ...personRow({ firstname: "Leo", states: { 4: 1 } }), companyname: "Leo AG" },
    ]);
    const [listId] = fakes.dataverse.seed("list", [
      { listname: "Leads", type: false, createdfromcode: 4, clvr_syncwithcleverreach: true, clvr_newsletterchecklist: serializeChecklist(checklist({ 3: 1 })) },
    ]);
    for (const l of leads) fakes.dataverse.relate("listlead_association", listId!, l);
    const [r] = await sim().fire(menuFlow("Marketing List"), selectedRows({ listid: listId }));
    expect(r?.error).toBeUndefined();
    const contents = groupContents(fakes, groupOf("list", listId!));
    expect([...contents.keys()]).toEqual(["lea@example.com"]);
    expect(contents.get("lea@example.com")?.attributes).toMatchObject({ company: "Lea GmbH", crm_table: "lead", crm_id: leads[0] });
  });

  test("marketing list of accounts: their active primary contacts, company = their parent account", async () => {
    const [c1, c2, c3] = seedContacts(fakes, [
      { firstname: "Prim", states: { 0: 1 } },
      { firstname: "Other", states: { 0: 1 } },
      { firstname: "Idle", states: { 0: 1 } },
    ]);
    const accounts = fakes.dataverse.seed("account", [
      { name: "Acme", "primarycontactid@odata.bind": `/contacts(${c1})` },
      { name: "Closed Inc", "primarycontactid@odata.bind": `/contacts(${c3})`, statecode: 1 },
      { name: "No Primary" },
    ]);
    void c2;
    // Her company is her own parent account (SPEC §6.2), here the account she heads.
    await patchRow(fakes, "contacts", c1!, { "parentcustomerid_account@odata.bind": `/accounts(${accounts[0]!})` });
    const [listId] = fakes.dataverse.seed("list", [
      {
        listname: "Accounts",
        type: false,
        createdfromcode: 1,
        clvr_syncwithcleverreach: true,
        clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })),
      },
    ]);
    for (const a of accounts) fakes.dataverse.relate("listaccount_association", listId!, a);
    const [r] = await sim().fire(menuFlow("Marketing List"), selectedRows({ listid: listId }));
    expect(r?.error).toBeUndefined();
    const contents = groupContents(fakes, groupOf("list", listId!));
    expect([...contents.keys()]).toEqual(["prim@example.com"]);
    expect(contents.get("prim@example.com")?.attributes.company).toBe("Acme");
  });

  test("dynamic marketing list: members from the list's query", async () => {
    seedContacts(fakes, [
      { firstname: "Berlin", states: { 0: 1 } },
      { firstname: "Hamburg", states: { 0: 1 } },
    ]);
    const rows = fakes.dataverse.rows("contact");
    for (const row of rows) {
      await fakes.dataverse.handle({
        method: "PATCH",
        path: `/api/data/v9.2/contacts(${String(row.contactid)})`,
        query: {},
        headers: { "If-Match": "*" },
        body: { address1_city: row.firstname },
      });
    }
    const listId = seedDynamicList(fakes, "Berliners", { 0: 1 });
    const [r] = await sim().fire(menuFlow("Marketing List"), selectedRows({ listid: listId }));
    expect(r?.error).toBeUndefined();
    expect([...groupContents(fakes, groupOf("list", listId!)).keys()]).toEqual(["berlin@example.com"]);
  });

  test("campaign: members of its lists plus its leads, each person once", async () => {
    const [a, b] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const checklistJson = serializeChecklist(checklist({ 0: 1 }));
    const lists = fakes.dataverse.seed("list", [
      { listname: "L1", type: false, createdfromcode: 2 },
      { listname: "L2", type: false, createdfromcode: 2 },
    ]);
    fakes.dataverse.relate("listcontact_association", lists[0]!, a!);
    fakes.dataverse.relate("listcontact_association", lists[1]!, a!);
    fakes.dataverse.relate("listcontact_association", lists[1]!, b!);
    const [campaignId] = fakes.dataverse.seed("campaign", [{ name: "Autumn", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: checklistJson }]);
    for (const l of lists) fakes.dataverse.relate("campaignlist_association", campaignId!, l);
    fakes.dataverse.seed("lead", [{ ...personRow({ firstname: "Lou", states: { 0: 1 } }), "campaignid@odata.bind": `/campaigns(${campaignId})` }]);
    const [r] = await sim().fire(menuFlow("Campaign"), selectedRows({ campaignid: campaignId }));
    expect(r?.error).toBeUndefined();
    const contents = groupContents(fakes, groupOf("campaign", campaignId!));
    expect([...contents.keys()].sort()).toEqual(["ann@example.com", "ben@example.com", "lou@example.com"]);
    expect(fakes.cleverReach.server.store.group(groupOf("campaign", campaignId!)).name).toBe("CRM - Autumn");
  });

  test("campaign activity: members of its lists; group named after the subject", async () => {
    const [a] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const [listId] = fakes.dataverse.seed("list", [{ listname: "L", type: false, createdfromcode: 2 }]);
    fakes.dataverse.relate("listcontact_association", listId!, a!);
    const [campaignId] = fakes.dataverse.seed("campaign", [{ name: "C" }]);
    const [activityId] = fakes.dataverse.seed("campaignactivity", [
      {
        subject: "Mailing 1",
        description: "First mailing",
        "regardingobjectid_campaign_campaignactivity@odata.bind": `/campaigns(${campaignId})`,
        clvr_syncwithcleverreach: true,
        clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })),
      },
    ]);
    fakes.dataverse.relate("campaignactivitylist_association", activityId!, listId!);
    const [r] = await sim().fire(menuFlow("Campaign Activity"), selectedRows({ activityid: activityId }));
    expect(r?.error).toBeUndefined();
    const groupId = groupOf("campaignactivity", activityId!);
    expect(fakes.cleverReach.server.store.group(groupId)).toMatchObject({ name: "CRM - Mailing 1", receiver_info: "First mailing" });
    expect([...groupContents(fakes, groupId).keys()]).toEqual(["ann@example.com"]);
  });

  test("two campaigns selected at once: one run each, both groups synced", async () => {
    const [a, b] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const checklistJson = serializeChecklist(checklist({ 0: 1 }));
    const lists = fakes.dataverse.seed("list", [
      { listname: "L1", type: false, createdfromcode: 2 },
      { listname: "L2", type: false, createdfromcode: 2 },
    ]);
    fakes.dataverse.relate("listcontact_association", lists[0]!, a!);
    fakes.dataverse.relate("listcontact_association", lists[1]!, b!);
    const campaigns = fakes.dataverse.seed("campaign", [
      { name: "Spring", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: checklistJson },
      { name: "Autumn", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: checklistJson },
    ]);
    fakes.dataverse.relate("campaignlist_association", campaigns[0]!, lists[0]!);
    fakes.dataverse.relate("campaignlist_association", campaigns[1]!, lists[1]!);
    const runs = await sim().fire(menuFlow("Campaign"), selectedRows({ campaignid: campaigns[0] }, { campaignid: campaigns[1] }));
    expect(runs.map((r) => [r.status, r.error])).toEqual([
      ["Succeeded", undefined],
      ["Succeeded", undefined],
    ]);
    expect([...groupContents(fakes, groupOf("campaign", campaigns[0]!)).keys()]).toEqual(["ann@example.com"]);
    expect([...groupContents(fakes, groupOf("campaign", campaigns[1]!)).keys()]).toEqual(["ben@example.com"]);
  });

  test("the selected row's id is read under entity, or from the row itself; a row without it stops before Sync group", async () => {
    const [listId] = fakes.dataverse.seed("list", [
      { listname: "Plain", type: false, createdfromcode: 2, clvr_syncwithcleverreach: true, clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })) },
    ]);
    const [plain] = await sim().fire(menuFlow("Marketing List"), { headers: selectedRows().headers, body: { rows: [{ listid: listId }] } });
    expect(plain?.error).toBeUndefined();
    expect(groupOf("list", listId!)).toBeGreaterThan(0);
    const [missing] = await sim().fire(menuFlow("Marketing List"), selectedRows({ listname: "no id" }));
    expect(missing).toMatchObject({ status: "Failed", error: { code: "NoSelectedRow", message: "The selected row carries no listid; nothing was synced." } });
    expect(missing?.actions.get("Sync_group")?.status).toBeUndefined();
  });
});
