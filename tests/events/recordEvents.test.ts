import { buildFlows } from "../../flows";
import { TABLES } from "../../solution/src/model/handles";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { checklist, groupContents, seedContacts, seedStaticList } from "../sync/scenario";

/**
 * Record events (flows/product/events/README.md, "Record events"), rows whose record is a
 * marketing list, campaign or campaign activity: each change is
 * made through the fake's Web API as a user would, the event flows fire from their row triggers,
 * and the result is read from the fake CleverReach and the record.
 */
describe("record events: list, campaign, campaign activity (events/README.md, Record events)", () => {
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

  const SET = { list: "lists", campaign: "campaigns", campaignactivity: "campaignactivities" } as const;
  type Table = keyof typeof SET;
  const listen = (environment: Record<string, unknown> = {}) => {
    router = new TriggerRouter(fakes, buildFlows(), environment);
    return router;
  };
  const settle = async () => {
    await router?.settle();
    const failed = router?.runs.filter((r) => r.result?.status !== "Succeeded") ?? [];
    if (process.env.DEBUG_RUNS) for (const f of failed) console.log(JSON.stringify(f.result, null, 1).slice(0, 4000));
    return failed.map((r) => `${r.flow}: ${r.result?.error?.message ?? "?"}`);
  };
  const patch = (table: Table, id: string, body: Record<string, unknown>) =>
    fakes.dataverse.handle({ method: "PATCH", path: `/api/data/v9.2/${SET[table]}(${id})`, query: {}, headers: { "If-Match": "*" }, body });
  const create = async (table: Table, body: Record<string, unknown>): Promise<string> => {
    const r = await fakes.dataverse.handle({ method: "POST", path: `/api/data/v9.2/${SET[table]}`, query: {}, headers: {}, body });
    expect(r.status).toBeLessThan(300);
    return /\(([0-9a-f-]{36})\)/.exec(String(r.headers["OData-EntityId"]))![1]!;
  };
  const remove = (table: Table, id: string) =>
    fakes.dataverse.handle({ method: "DELETE", path: `/api/data/v9.2/${SET[table]}(${id})`, query: {}, headers: {} });
  const record = (table: Table, id: string) => fakes.dataverse.row(table, id);
  const groupIdOf = (table: Table, id: string) => Number(record(table, id)?.clvr_cleverreachgroupid);
  const groups = () => fakes.cleverReach.server.store.groups;
  const members = (groupId: number) => [...groupContents(fakes, groupId).keys()].sort();
  const link = (id: string) => fakes.dataverse.row(TABLES.groupLink.logicalName, id);
  const DELETE_ALL = { clvr_DeleteGroupOnRecordDelete: true, clvr_DeleteGroupOnSyncOff: true, clvr_DeletionProtection: false };

  /** A synced static list with Ann (type 0) and Cem (type 1) as members, its group already made. */
  async function syncedList(name = "Spring", states: Record<number, 0 | 1 | 2> = { 0: 1 }) {
    const people = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Cem", states: { 1: 1 } },
    ]);
    const listId = seedStaticList(fakes, name, states, people);
    await patch("list", listId, { clvr_newsletterchecklist: serializeChecklist(checklist(states)) });
    expect(await settle()).toEqual([]);
    return { listId, groupId: groupIdOf("list", listId), people };
  }

  test("created with sync = Yes: group created (prefix + name, protected, description) and linked; sync = No: nothing", async () => {
    listen();
    const id = await create("list", {
      listname: "Newcomers",
      description: "for new customers",
      type: false,
      createdfromcode: 2,
      clvr_syncwithcleverreach: true,
      clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })),
    });
    const off = await create("list", { listname: "Quiet", type: false, createdfromcode: 2, clvr_syncwithcleverreach: false });
    expect(await settle()).toEqual([]);
    expect(groups().size).toBe(1);
    const groupId = groupIdOf("list", id);
    expect(fakes.cleverReach.server.store.group(groupId)).toMatchObject({ name: "CRM - Newcomers", receiver_info: "for new customers", locked: true });
    expect(link(id)).toMatchObject({ clvr_groupid: String(groupId), clvr_recordtable: "list", clvr_recordid: id, clvr_name: "CRM - Newcomers" });
    expect(typeof record("list", id)?.clvr_lastsyncon).toBe("string");
    expect(record("list", off)?.clvr_cleverreachgroupid ?? null).toBeNull();
  });

  test("created with sync = Yes (campaign, with leads already linked to it): group filled with the eligible ones", async () => {
    listen();
    const id = await create("campaign", { name: "Launch", clvr_syncwithcleverreach: false, clvr_newsletterchecklist: serializeChecklist(checklist({ 2: 1 })) });
    const leads = fakes.dataverse.seed("lead", [
      {
        firstname: "Lea",
        lastname: "L",
        emailaddress1: "lea@example.com",
        clvr_acceptedtypes: ",2,",
        clvr_newsletterchecklist: serializeChecklist(checklist({ 2: 1 })),
        companyname: "Lea GmbH",
        "campaignid@odata.bind": `/campaigns(${id})`,
      },
      {
        firstname: "Leo",
        lastname: "L",
        emailaddress1: "leo@example.com",
        clvr_acceptedtypes: ",3,",
        clvr_newsletterchecklist: serializeChecklist(checklist({ 3: 1 })),
        "campaignid@odata.bind": `/campaigns(${id})`,
      },
    ]);
    await patch("campaign", id, { clvr_syncwithcleverreach: true });
    expect(await settle()).toEqual([]);
    const contents = groupContents(fakes, groupIdOf("campaign", id));
    expect([...contents.keys()]).toEqual(["lea@example.com"]);
    expect(contents.get("lea@example.com")).toMatchObject({ active: true, attributes: { company: "Lea GmbH", crm_table: "lead", crm_id: leads[0] } });
  });

  test("checklist changed: receivers that now qualify are added, the others removed", async () => {
    listen();
    const { listId, groupId } = await syncedList();
    expect(members(groupId)).toEqual(["ann@example.com"]);
    await patch("list", listId, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 0, 1: 1 })) });
    expect(await settle()).toEqual([]);
    expect(members(groupId)).toEqual(["cem@example.com"]);
    expect(groupIdOf("list", listId)).toBe(groupId);
  });

  test("sync set to Yes: group created and filled", async () => {
    listen();
    const people = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Cem", states: { 1: 1 } },
    ]);
    const [listId] = fakes.dataverse.seed("list", [
      {
        listname: "Later",
        type: false,
        createdfromcode: 2,
        clvr_syncwithcleverreach: false,
        clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1, 1: 1 })),
      },
    ]);
    for (const p of people) fakes.dataverse.relate("listcontact_association", listId!, p);
    await patch("list", listId!, { clvr_syncwithcleverreach: true });
    expect(await settle()).toEqual([]);
    expect(members(groupIdOf("list", listId!))).toEqual(["ann@example.com", "cem@example.com"]);
  });

  test("sync set to No, deletion allowed: group deleted with its receivers, group id cleared, link dropped", async () => {
    listen(DELETE_ALL);
    const { listId, groupId } = await syncedList();
    await patch("list", listId, { clvr_syncwithcleverreach: false });
    expect(await settle()).toEqual([]);
    expect(groups().has(groupId)).toBe(false);
    expect(record("list", listId)?.clvr_cleverreachgroupid ?? null).toBeNull();
    expect(link(listId)).toBeUndefined();
  });

  test("sync set to No under the defaults (protected, priority 1): group left as it is and no longer updated; sync Yes again reuses it", async () => {
    listen();
    const { listId, groupId } = await syncedList();
    await patch("list", listId, { clvr_syncwithcleverreach: false });
    await patch("list", listId, { listname: "Renamed while off", clvr_newsletterchecklist: serializeChecklist(checklist({ 1: 1 })) });
    expect(await settle()).toEqual([]);
    expect(fakes.cleverReach.server.store.group(groupId).name).toBe("CRM - Spring");
    expect(members(groupId)).toEqual(["ann@example.com"]);
    expect(groupIdOf("list", listId)).toBe(groupId);
    await patch("list", listId, { clvr_syncwithcleverreach: true });
    expect(await settle()).toEqual([]);
    expect(groups().size).toBe(1);
    expect(fakes.cleverReach.server.store.group(groupId).name).toBe("CRM - Renamed while off");
    expect(members(groupId)).toEqual(["cem@example.com"]);
  });

  // Since issue 11 the full sync re-sends the wanted receivers (one upsert with the run's mark)
  // where it used to compare the whole group in one value: the receivers stay as they were.
  test("list and campaign name changed: group renamed (one UpdateGroup, the receivers unchanged)", async () => {
    listen();
    const { listId, groupId } = await syncedList();
    const before = fakes.cleverReach.server.requests.length;
    const receiversBefore = JSON.stringify([...groupContents(fakes, groupId)]);
    await patch("list", listId, { listname: "Summer" });
    expect(await settle()).toEqual([]);
    expect(fakes.cleverReach.server.store.group(groupId).name).toBe("CRM - Summer");
    const writes = fakes.cleverReach.server.requests.slice(before).filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.path.replace(/groups\/\d+/, "groups/#")}`)).toEqual([
      "PUT /v3/groups/#",
      "POST /v3/groups/#/receivers/upsertplus",
    ]);
    expect(JSON.stringify([...groupContents(fakes, groupId)])).toBe(receiversBefore);

    const [campaignId] = fakes.dataverse.seed("campaign", [
      { name: "Autumn", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })) },
    ]);
    await patch("campaign", campaignId!, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1, 1: 0 })) });
    expect(await settle()).toEqual([]);
    await patch("campaign", campaignId!, { name: "Winter" });
    expect(await settle()).toEqual([]);
    expect(fakes.cleverReach.server.store.group(groupIdOf("campaign", campaignId!)).name).toBe("CRM - Winter");
  });

  test("campaign activity: subject changed → group renamed; description changed → group description updated", async () => {
    listen();
    const [a] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const [listId] = fakes.dataverse.seed("list", [{ listname: "L", type: false, createdfromcode: 2 }]);
    fakes.dataverse.relate("listcontact_association", listId!, a!);
    const [campaignId] = fakes.dataverse.seed("campaign", [{ name: "C" }]);
    const activityId = await create("campaignactivity", {
      subject: "Mailing 1",
      description: "First",
      "regardingobjectid_campaign_campaignactivity@odata.bind": `/campaigns(${campaignId})`,
      clvr_syncwithcleverreach: false,
      clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })),
    });
    fakes.dataverse.relate("campaignactivitylist_association", activityId, listId!);
    await patch("campaignactivity", activityId, { clvr_syncwithcleverreach: true });
    expect(await settle()).toEqual([]);
    const groupId = groupIdOf("campaignactivity", activityId);
    expect(members(groupId)).toEqual(["ann@example.com"]);
    await patch("campaignactivity", activityId, { subject: "Mailing 1 (final)" });
    expect(await settle()).toEqual([]);
    expect(fakes.cleverReach.server.store.group(groupId)).toMatchObject({ name: "CRM - Mailing 1 (final)", receiver_info: "First" });
    await patch("campaignactivity", activityId, { description: "Second text" });
    expect(await settle()).toEqual([]);
    expect(fakes.cleverReach.server.store.group(groupId)).toMatchObject({ name: "CRM - Mailing 1 (final)", receiver_info: "Second text" });
    expect(members(groupId)).toEqual(["ann@example.com"]);
  });

  test("deactivated: sync set to No, then as for sync off (here: group deleted)", async () => {
    listen(DELETE_ALL);
    const { listId, groupId } = await syncedList();
    await patch("list", listId, { statecode: 1 });
    expect(await settle()).toEqual([]);
    expect(record("list", listId)?.clvr_syncwithcleverreach).toBe(false);
    expect(groups().has(groupId)).toBe(false);
    expect(record("list", listId)?.clvr_cleverreachgroupid ?? null).toBeNull();
  });

  test("activated with sync = Yes: group created and filled; activated with sync = No: nothing", async () => {
    listen();
    const people = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const [on, off] = fakes.dataverse.seed("list", [
      {
        listname: "Dormant",
        type: false,
        createdfromcode: 2,
        statecode: 1,
        statuscode: 1,
        clvr_syncwithcleverreach: true,
        clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })),
      },
      {
        listname: "Unsynced",
        type: false,
        createdfromcode: 2,
        statecode: 1,
        statuscode: 1,
        clvr_syncwithcleverreach: false,
        clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })),
      },
    ]);
    fakes.dataverse.relate("listcontact_association", on!, people[0]!);
    fakes.dataverse.relate("listcontact_association", off!, people[0]!);
    await patch("list", on!, { statecode: 0 });
    await patch("list", off!, { statecode: 0 });
    expect(await settle()).toEqual([]);
    expect(groups().size).toBe(1);
    expect(members(groupIdOf("list", on!))).toEqual(["ann@example.com"]);
  });

  test("deleted, deletion allowed: group deleted with its receivers and the link dropped (the trigger carries only the id)", async () => {
    listen(DELETE_ALL);
    const { listId, groupId } = await syncedList();
    await remove("list", listId);
    expect(await settle()).toEqual([]);
    const run = router!.runs.find((r) => r.flow.endsWith("deleted"));
    expect(run?.event.message).toBe("Delete");
    expect(groups().has(groupId)).toBe(false);
    expect(link(listId)).toBeUndefined();
  });

  test("deleted under the defaults (protected, priority 1): group and receivers left as they are; link dropped", async () => {
    listen();
    const { listId, groupId } = await syncedList();
    await remove("list", listId);
    expect(await settle()).toEqual([]);
    expect(members(groupId)).toEqual(["ann@example.com"]);
    expect(link(listId)).toBeUndefined();
  });

  test("deleted campaign and campaign activity: their groups deleted too", async () => {
    listen(DELETE_ALL);
    const [campaignId] = fakes.dataverse.seed("campaign", [
      { name: "Gone", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })) },
    ]);
    const [activityId] = fakes.dataverse.seed("campaignactivity", [
      { subject: "Gone too", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })) },
    ]);
    // One after the other: two first syncs at once race on creating the global attributes (see report).
    await patch("campaign", campaignId!, { name: "Gone!" });
    expect(await settle()).toEqual([]);
    await patch("campaignactivity", activityId!, { subject: "Gone too!" });
    expect(await settle()).toEqual([]);
    expect(groups().size).toBe(2);
    await remove("campaign", campaignId!);
    await remove("campaignactivity", activityId!);
    expect(await settle()).toEqual([]);
    expect(groups().size).toBe(0);
  });

  test("a Sync group that fails is not started again: one run, its error on the record, the event's run failed", async () => {
    listen();
    const { listId } = await syncedList();
    // More 500s than the connector's retry policy tries (1 + 4).
    fakes.cleverReach.server.injectFault({ kind: "status", status: 500, times: 5, operationId: "ListGroups" });
    fakes.cleverReach.server.requests.length = 0;
    router!.runs.length = 0;
    await patch("list", listId, { listname: "Spring 2" });
    expect(await settle()).toEqual([expect.stringMatching(/^CleverReach - Marketing List added or changed: /)]);
    const syncGroupId = buildFlows().find((f) => f.displayName.en === "CleverReach - Sync group")!.id;
    expect(router!.runs[0]?.result?.counts.operations[`Workflow:${syncGroupId}`]).toBe(1);
    expect(fakes.cleverReach.server.requests.filter((r) => r.operationId === "ListGroups")).toHaveLength(5);
    expect(String(record("list", listId)?.clvr_lastsyncerror)).toMatch(/^CleverReach sync failed: /);
  });

  test("a record deleted that never had a group: nothing happens, the run succeeds", async () => {
    listen(DELETE_ALL);
    const [listId] = fakes.dataverse.seed("list", [{ listname: "Never synced", type: false, createdfromcode: 2 }]);
    await remove("list", listId!);
    expect(await settle()).toEqual([]);
    expect(fakes.cleverReach.server.requests.filter((r) => r.method === "DELETE")).toEqual([]);
  });
});
