import { buildFlows } from "../../flows";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { IMPORT_TEXTS, UNMATCHED_SETTING_ERROR } from "../../flows/product/rules/importGroup";
import { CLEVERREACH_AUTHOR } from "../../flows/product/rules/receiverStates";
import { CHECKLIST_STATE, parseChecklist } from "../../pcf-checklist/src/checklist";
import { COLUMNS, ENV, TABLES } from "../../solution/src/model/handles";
import { ADMINISTRATOR_PROFILE, USER_PROFILE } from "../../solution/src/model/security";
import { CLEVERREACH_API, selectedRowsBy, startFakes, type Fakes } from "../sim/harness";
import { CLEVERREACH_WRITES, groupContents, personRow, seedContacts, seedDynamicList, seedStaticList, syncRecord } from "./scenario";
import type { FlowArtifact } from "../../solution/src/slots/flows";
import type { RunResult } from "../../flows/toolkit/sim/engine";

/**
 * Issue 18 item 3: a CleverReach administrator imports a CleverReach group into a marketing list from
 * its Flow menu (flows/product/README.md, "Import a CleverReach group").
 */
jest.setTimeout(120_000);

const ADMIN = "admin@contoso.example";
const DAY = 86_400;
const CAMPAIGN_ID = "7a3e0f9e-5b1c-4d3a-9c1e-0a0b0c0d0e09";

describe("Import from CleverReach: a group's active receivers become the list's members", () => {
  let fakes: Fakes;
  let flows: FlowArtifact[];
  beforeEach(async () => {
    fakes = await startFakes();
    flows = buildFlows();
    fakes.dataverse.grantProfile(ADMIN, ADMINISTRATOR_PROFILE.name);
  });
  afterEach(() => fakes.stop());

  const importFlow = (): FlowArtifact => {
    const f = flows.find((x) => x.displayName.en === "Import from CleverReach (Marketing List)");
    if (!f) throw new Error("no Import from CleverReach flow");
    return f;
  };
  const runImport = async (listId: string, user = ADMIN, environment: Record<string, unknown> = {}): Promise<RunResult> => {
    const [run] = await fakes.simulator(flows, environment).fire(importFlow(), selectedRowsBy(user, { listid: listId }));
    if (!run) throw new Error("the import did not run");
    if (process.env.DEBUG_IMPORT)
      for (const [n, r] of run.actions) if (r.status === "Failed") console.log(n, JSON.stringify(r.error), JSON.stringify(r.outputs)?.slice(0, 600));
    return run;
  };
  const store = () => fakes.cleverReach.server.store;
  const now = () => Math.floor(Date.now() / 1000);

  /** A CleverReach group as a marketing team has it: active receivers with names, one unsubscribed, one bounced. */
  function seedGroup(name = "Newsletter DE"): number {
    const g = fakes.cleverReach.seed.group(name);
    // The account's global attributes, as a CleverReach account that collected names has them.
    for (const a of ["firstname", "lastname", "salutation"])
      if (![...store().attributes.values()].some((x) => x.name === a)) fakes.cleverReach.seed.attribute(0, a);
    const active = (email: string, firstname = "", lastname = "") => ({
      email,
      activated: now() - DAY,
      registered: now() - 2 * DAY,
      global_attributes: { firstname, lastname, salutation: "" },
    });
    fakes.cleverReach.seed.receivers(g.id, [
      active("ann@example.com", "Ann", "Archer"),
      active("bob@example.com", "Bob", "Baker"),
      active("cem@example.com", "Cem", "Cook"),
      active("fay@example.com", "Fay", "Fisher"),
      active("dora@example.com", "Dora", "Diaz"),
      active("eve@example.com", "Eve", "East"),
      active("gus@example.com", "Gus", "Gray"),
    ]);
    fakes.cleverReach.seed.bounce(g.id, "dora@example.com");
    fakes.cleverReach.seed.unsubscribe(g.id, "eve@example.com");
    return g.id;
  }

  /** The CRM side: Ann (nothing ticked), Bob (declined type 0), Fay (stored in capitals), Gus (CleverReach declined type 0 for him). */
  function seedCrm(): { ann: string; bob: string; fay: string; gus: string; listId: string } {
    const [ann, bob, fay, gus] = seedContacts(fakes, [
      { firstname: "Ann", email: "ann@example.com" },
      { firstname: "Bob", email: "bob@example.com", states: { 0: CHECKLIST_STATE.declined } },
      { firstname: "Fay", email: "FAY@Example.com" },
      { firstname: "Gus", email: "gus@example.com" },
    ]) as [string, string, string, string];
    fakes.dataverse.change("contact", gus, {
      [COLUMNS.cleverReachDeclines]: JSON.stringify([{ id: 0, group: "999", on: "2026-11-01T10:00:00Z", state: "unsubscribed" }]),
    });
    const listId = seedStaticList(fakes, "Spring", { 0: CHECKLIST_STATE.accepted }, []);
    fakes.dataverse.change("list", listId, { [COLUMNS.syncWithCleverReach]: false });
    return { ann, bob, fay, gus, listId };
  }

  const members = (listId: string): string[] =>
    fakes.dataverse
      .rows("listmember")
      .filter((r) => r._listid_value === listId)
      .map((r) => String(r._entityid_value))
      .sort();
  const contactByEmail = (email: string) => fakes.dataverse.rows("contact").find((c) => String(c.emailaddress1).toLowerCase() === email);
  const rowsOf = (id: string) => parseChecklist(String(fakes.dataverse.row("contact", id)?.[COLUMNS.newsletterChecklist] ?? "[]"));
  const typeRow = (id: string, type: number) => rowsOf(id).find((r) => r.id === type);
  const importLog = () => fakes.dataverse.rows(TABLES.syncLog.logicalName).filter((r) => r[COLUMNS.flow] === "Import from CleverReach");
  const setImportGroup = (listId: string, value: string) => fakes.dataverse.change("list", listId, { [COLUMNS.importGroup]: value });

  test("by name, unmatched created: matched and created people become members with the list's types accepted by CleverReach; declines stay; the list is linked and synced", async () => {
    const groupId = seedGroup();
    const crm = seedCrm();
    setImportGroup(crm.listId, "Newsletter DE");

    const run = await runImport(crm.listId);
    expect(run.error).toBeUndefined();
    expect(run.status).toBe("Succeeded");

    // Ann, Bob, Fay and Gus matched (Fay by her normalised address), Cem created with his names from CleverReach.
    const cem = contactByEmail("cem@example.com");
    expect(cem).toMatchObject({ firstname: "Cem", lastname: "Cook" });
    const cemId = String(cem?.contactid);
    expect(members(crm.listId)).toEqual([crm.ann, crm.bob, crm.fay, crm.gus, cemId].sort());
    // Dora bounced and Eve unsubscribed: not imported, nobody created for them.
    expect(contactByEmail("dora@example.com")).toBeUndefined();
    expect(contactByEmail("eve@example.com")).toBeUndefined();

    // Accepted by CleverReach, for the list's type; a person's own decline and CleverReach's declines are never overridden.
    for (const id of [crm.ann, crm.fay, cemId]) expect(typeRow(id, 0)).toMatchObject({ state: CHECKLIST_STATE.accepted, modifiedby: CLEVERREACH_AUTHOR });
    expect(typeRow(crm.bob, 0)).toMatchObject({ state: CHECKLIST_STATE.declined, modifiedby: "Test User" });
    expect(typeRow(crm.gus, 0)).toBeUndefined();
    expect(fakes.dataverse.row("contact", crm.ann)?.[COLUMNS.acceptedTypes]).toBe(",0,");

    // Linked to that group (claimed with the list's mark) and synced: no second group.
    const list = fakes.dataverse.row("list", crm.listId);
    expect(list?.[COLUMNS.cleverReachGroupId]).toBe(String(groupId));
    expect(list?.[COLUMNS.syncWithCleverReach]).toBe(true);
    expect(list?.[COLUMNS.lastSyncError] ?? null).toBeNull();
    expect(store().groups.size).toBe(1);
    // Synced, it carries the list's name (clvr_GroupPrefix + list name), as every synced group.
    expect(store().groups.get(groupId)?.name).toBe("CRM - Spring");
    const mark = [...store().attributes.values()].find((x) => x.groups_id === groupId && x.name === "crm_owner");
    expect(mark?.description).toBe(`Created by the CRM connector for list ${crm.listId}`);

    // The sync that followed: what the CRM wants is active, Bob (declined) and Dora (bounced) are gone, Eve stays inactive.
    const contents = groupContents(fakes, groupId);
    expect(
      [...contents.entries()]
        .filter(([, r]) => r.active)
        .map(([e]) => e)
        .sort(),
    ).toEqual(["ann@example.com", "cem@example.com", "fay@example.com"]);
    expect(contents.get("eve@example.com")?.active).toBe(false);
    expect(contents.has("bob@example.com")).toBe(false);
    expect(contents.has("dora@example.com")).toBe(false);

    // The sync log says what was done and what was left out, and why.
    const [log] = importLog();
    expect(log).toMatchObject({ [COLUMNS.added]: 5, [COLUMNS.updated]: 2, [COLUMNS.groupId]: String(groupId) });
    expect(log?.[COLUMNS.skippedWhy]).toBe(
      "Not imported as accepted: 1 person declined the list's types in the CRM; 1 person is declined for them in CleverReach; " +
        "1 active receiver has bounced; 1 receiver is inactive in CleverReach.",
    );

    // A second sync changes nothing in CleverReach.
    const before = JSON.stringify([...groupContents(fakes, groupId)]);
    const flow = syncGroupFlow().build();
    const again = await fakes.simulator([flow]).run(flow, { body: { table: "list", id: crm.listId } });
    expect(again.status).toBe("Succeeded");
    expect(JSON.stringify([...groupContents(fakes, groupId)])).toBe(before);
    const crWrites = Object.entries(again.counts.operations).filter(
      ([k]) => k.startsWith(CLEVERREACH_API) && CLEVERREACH_WRITES.includes(k.split(":")[1] ?? ""),
    );
    expect(crWrites).toEqual([[`${CLEVERREACH_API}:UpsertReceivers`, 1]]);
  });

  test("a list of two types: a person who declined one gets the other; checklists that cannot be read are left exactly as they are, and counted", async () => {
    const g = seedGroup("Two types");
    const [hal, ivy, jon] = seedContacts(fakes, [
      { firstname: "Hal", email: "ann@example.com", states: { 0: CHECKLIST_STATE.declined } },
      { firstname: "Ivy", email: "bob@example.com" },
      { firstname: "Jon", email: "cem@example.com" },
    ]) as [string, string, string];
    const ivyText = '[{"id":0,"state":"2","description":"Type 0","modifiedby":"Ivy","modifiedon":"2026-11-01T10:00:00Z","position":0}]';
    fakes.dataverse.change("contact", ivy, { [COLUMNS.newsletterChecklist]: ivyText });
    fakes.dataverse.change("contact", jon, { [COLUMNS.newsletterChecklist]: '[{"id":0,' });
    const listId = seedStaticList(fakes, "Two", { 0: CHECKLIST_STATE.accepted, 1: CHECKLIST_STATE.accepted }, []);
    fakes.dataverse.change("list", listId, { [COLUMNS.syncWithCleverReach]: false });
    setImportGroup(listId, String(g));
    expect((await runImport(listId)).error).toBeUndefined();
    expect(rowsOf(hal).map((r) => [r.id, r.state, r.modifiedby])).toEqual([
      [0, CHECKLIST_STATE.declined, "Test User"],
      [1, CHECKLIST_STATE.accepted, CLEVERREACH_AUTHOR],
    ]);
    expect(fakes.dataverse.row("contact", hal)?.[COLUMNS.acceptedTypes]).toBe(",1,");
    expect(fakes.dataverse.row("contact", ivy)?.[COLUMNS.newsletterChecklist]).toBe(ivyText);
    expect(fakes.dataverse.row("contact", jon)?.[COLUMNS.newsletterChecklist]).toBe('[{"id":0,');
    expect(members(listId)).toEqual(expect.arrayContaining([hal, ivy, jon]));
    expect(importLog()[0]?.[COLUMNS.skippedWhy]).toMatch(/2 people's checklists or declines are not valid JSON/);
  });

  test("addresses stored in the CRM with white space around them are found too: nobody is created twice", async () => {
    seedGroup();
    const crm = seedCrm();
    // Cem exists after all, typed with a no-break space and a tab around his address.
    const [cem] = seedContacts(fakes, [{ firstname: "Cem", email: "\u00a0Cem@Example.com\t" }]) as [string];
    setImportGroup(crm.listId, "Newsletter DE");
    expect((await runImport(crm.listId)).error).toBeUndefined();
    expect(fakes.dataverse.rows("contact").filter((c) => String(c.emailaddress1).toLowerCase().includes("cem@example.com"))).toHaveLength(1);
    expect(members(crm.listId)).toContain(cem);
    expect(typeRow(cem, 0)).toMatchObject({ state: CHECKLIST_STATE.accepted, modifiedby: CLEVERREACH_AUTHOR });
  });

  test("unmatched only listed (clvr_ImportUnmatched log): nobody is created, the sync log lists their addresses, and the sync that follows removes them from the group", async () => {
    const groupId = seedGroup();
    const crm = seedCrm();
    setImportGroup(crm.listId, " Newsletter DE ");
    const run = await runImport(crm.listId, ADMIN, { [ENV.importUnmatched.schemaName]: "Log" });
    expect(run.error).toBeUndefined();
    expect(contactByEmail("cem@example.com")).toBeUndefined();
    expect(members(crm.listId)).toEqual([crm.ann, crm.bob, crm.fay, crm.gus].sort());
    const [log] = importLog();
    expect(log?.[COLUMNS.unmatched]).toBe("cem@example.com");
    expect(log?.[COLUMNS.skippedWhy]).toMatch(/1 receiver is in no contact or lead \(see Not in the CRM\)\.$/);
    expect(log?.[COLUMNS.added]).toBe(4);
    expect(groupContents(fakes, groupId).has("cem@example.com")).toBe(false);
  });

  test("a lead list, the group given by its id: leads are matched and created", async () => {
    const groupId = seedGroup();
    const [lea] = fakes.dataverse.seed("lead", [personRow({ firstname: "Ann", email: "ann@example.com" })]) as [string];
    const listId = seedStaticList(fakes, "Leads", { 0: CHECKLIST_STATE.accepted, 1: CHECKLIST_STATE.notChosen }, [], "lead");
    fakes.dataverse.change("list", listId, { [COLUMNS.syncWithCleverReach]: false });
    setImportGroup(listId, String(groupId));
    const run = await runImport(listId);
    expect(run.error).toBeUndefined();
    const leads = fakes.dataverse.rows("lead");
    expect(leads.map((l) => String(l.emailaddress1)).sort()).toEqual([
      "ann@example.com",
      "bob@example.com",
      "cem@example.com",
      "fay@example.com",
      "gus@example.com",
    ]);
    expect(fakes.dataverse.rows("contact")).toEqual([]);
    expect(members(listId)).toEqual(leads.map((l) => String(l.leadid)).sort());
    const annRows = parseChecklist(String(fakes.dataverse.row("lead", lea)?.[COLUMNS.newsletterChecklist]));
    // Only the type the list sends (state 1) is accepted; type 1 (not chosen on the list) is left alone.
    expect(annRows.map((r) => [r.id, r.state, r.modifiedby])).toEqual([[0, CHECKLIST_STATE.accepted, CLEVERREACH_AUTHOR]]);
    expect(fakes.dataverse.row("list", listId)?.[COLUMNS.cleverReachGroupId]).toBe(String(groupId));
  });

  test("hostile addresses: long ones full of characters XML and URLs escape are matched exactly, within the request URL limit", async () => {
    const g = fakes.cleverReach.seed.group("Long");
    // Dataverse keeps at most 100 characters of emailaddress1 (the entity reference): each address has 99,
    // with an apostrophe, an ampersand and a plus, which XML escapes and URLs encode (up to 10 characters each).
    const emails = Array.from({ length: 120 }, (_, i) => {
      const head = `o'connor&sons+${String(i).padStart(3, "0")}.`;
      return `${head}${"x".repeat(99 - head.length - "@example.com".length)}@example.com`;
    });
    // And one CleverReach has with a longer address than the CRM can hold: counted as not created.
    const tooLong = `${"y".repeat(110)}@example.com`;
    fakes.cleverReach.seed.receivers(
      g.id,
      [...emails, tooLong].map((email) => ({ email, activated: now() - DAY, registered: now() - DAY })),
    );
    const ids = seedContacts(
      fakes,
      // A third of them are in the CRM (in capitals); the first 80, one query's worth, are looked for again with like, and created.
      emails.filter((_, i) => i >= 80).map((email, i) => ({ firstname: `P${i}`, email: email.toUpperCase() })),
    );
    const listId = seedStaticList(fakes, "Long", { 0: CHECKLIST_STATE.accepted }, []);
    fakes.dataverse.change("list", listId, { [COLUMNS.syncWithCleverReach]: false });
    setImportGroup(listId, "Long");
    const run = await runImport(listId);
    expect(run.error).toBeUndefined();
    expect(emails.every((e) => e.length === 99)).toBe(true);
    expect(members(listId)).toEqual(expect.arrayContaining(ids));
    expect(members(listId)).toHaveLength(120);
    expect(fakes.dataverse.rows("contact")).toHaveLength(120);
    expect(importLog()[0]?.[COLUMNS.skippedWhy]).toBe("Not imported as accepted: 1 person could not be created.");
  });

  test("a failure while importing (Dataverse refuses the members): the list says so in the import's words, and a second import completes it", async () => {
    seedGroup();
    const crm = seedCrm();
    setImportGroup(crm.listId, "Newsletter DE");
    const refusedOnce = fakes.gates.hold({ connector: "dataverse", action: "Add_list_members", at: "request" });
    const running = runImport(crm.listId);
    await refusedOnce.reached;
    refusedOnce.fail();
    const run = await running;
    expect(run.error?.code).toBe("ImportFailed");
    // The step inside the page loop is not named: result() of an Until shows no steps in the simulator.
    expect(run.error?.message).toMatch(/^Import from CleverReach failed: .*run Import from CleverReach again/);
    expect(run.error?.message).not.toMatch(/Update Synchronisation/);
    expect(fakes.dataverse.row("list", crm.listId)?.[COLUMNS.lastSyncError]).toBe(run.error?.message);
    expect(importLog()[0]?.[COLUMNS.outcome]).toBeDefined();
    expect(fakes.dataverse.rows(TABLES.syncLock.logicalName)).toEqual([]);
    const again = await runImport(crm.listId);
    expect(again.error).toBeUndefined();
    expect(members(crm.listId)).toHaveLength(5);
    expect(fakes.dataverse.row("list", crm.listId)?.[COLUMNS.lastSyncError] ?? null).toBeNull();
  });

  describe("refused in words on the list, before anything changes", () => {
    /** Runs the import expecting a refusal; nothing may have been written to CleverReach or made a member. */
    async function refused(listId: string, user = ADMIN, environment: Record<string, unknown> = {}): Promise<RunResult> {
      const groupsBefore = JSON.stringify([...store().groups.values()]);
      const attributesBefore = store().attributes.size;
      const run = await runImport(listId, user, environment);
      expect(run.status).toBe("Failed");
      const writes = Object.entries(run.counts.operations).filter(([k]) => k.startsWith(CLEVERREACH_API) && CLEVERREACH_WRITES.includes(k.split(":")[1] ?? ""));
      expect(writes).toEqual([]);
      expect(JSON.stringify([...store().groups.values()])).toBe(groupsBefore);
      expect(store().attributes.size).toBe(attributesBefore);
      expect(members(listId)).toEqual([]);
      return run;
    }
    const lastError = (listId: string) => fakes.dataverse.row("list", listId)?.[COLUMNS.lastSyncError];

    test("a user without the CleverReach Administrator profile (who may change the list): not allowed, and says who may", async () => {
      seedGroup();
      const { listId } = seedCrm();
      setImportGroup(listId, "Newsletter DE");
      fakes.dataverse.grantProfile("user@contoso.example", USER_PROFILE.name);
      const run = await refused(listId, "user@contoso.example");
      expect(run.error?.code).toBe("NotAllowedToImport");
      expect(run.error?.message).toMatch(/^Only a CleverReach administrator who may change this marketing list can import a CleverReach group into it/);
      expect(run.error?.message).toMatch(/does not have update permissions to a secured field/);
      expect(fakes.dataverse.row("list", listId)?.[COLUMNS.syncRequestedOn]).toBeFalsy();
    });

    test("an administrator who may not change this list: not allowed", async () => {
      seedGroup();
      const { listId } = seedCrm();
      setImportGroup(listId, "Newsletter DE");
      fakes.dataverse.denyWrite(ADMIN, "list", [listId]);
      const run = await refused(listId);
      expect(run.error?.code).toBe("NotAllowedToImport");
      expect(run.error?.message).toMatch(/SecLib::AccessCheckEx failed/);
    });

    test("a run without the user's own connection imports nothing", async () => {
      seedGroup();
      const { listId } = seedCrm();
      setImportGroup(listId, "Newsletter DE");
      const [run] = await fakes.simulator(flows).fire(importFlow(), { body: { rows: [{ entity: { listid: listId } }] } });
      expect(run?.error?.code).toBe("ImportNotRequested");
      expect(members(listId)).toEqual([]);
    });

    test.each([
      ["nothing entered", "", IMPORT_TEXTS.noGroupGiven],
      ["no group of that name", "Newsletter EN", IMPORT_TEXTS.noSuchGroup("Newsletter EN")],
      ["a name in other case", "newsletter de", IMPORT_TEXTS.noSuchGroup("newsletter de")],
      ["an id that is no group", "424242", IMPORT_TEXTS.noSuchGroup("424242")],
    ])("%s", async (_what, given, text) => {
      seedGroup();
      const { listId } = seedCrm();
      setImportGroup(listId, given);
      const run = await refused(listId);
      expect(run.error?.message).toBe(text);
      expect(lastError(listId)).toBe(text);
    });

    test("two groups of that name: says which ids to choose from", async () => {
      const a = seedGroup();
      const b = fakes.cleverReach.seed.group("Newsletter DE").id;
      const { listId } = seedCrm();
      setImportGroup(listId, "Newsletter DE");
      const run = await refused(listId);
      expect(run.error?.message).toBe(IMPORT_TEXTS.severalGroups("Newsletter DE", `${a}, ${b}`));
      expect(lastError(listId)).toBe(run.error?.message);
    });

    test("a dynamic list, an account list, a list that sends no type, a checklist that is not JSON, an inactive list", async () => {
      seedGroup();
      const dynamic = seedDynamicList(fakes, "Berlin", { 0: CHECKLIST_STATE.accepted });
      const accounts = seedStaticList(fakes, "Accounts", { 0: CHECKLIST_STATE.accepted }, [], "account");
      const noTypes = seedStaticList(fakes, "No types", { 0: CHECKLIST_STATE.notChosen }, []);
      const broken = seedStaticList(fakes, "Broken", { 0: CHECKLIST_STATE.accepted }, []);
      const inactive = seedStaticList(fakes, "Inactive", { 0: CHECKLIST_STATE.accepted }, []);
      fakes.dataverse.change("list", inactive, { statecode: 1 });
      fakes.dataverse.change("list", broken, { [COLUMNS.newsletterChecklist]: '[{"id":0,"state":1' });
      for (const [listId, text] of [
        [dynamic, IMPORT_TEXTS.dynamicList],
        [accounts, IMPORT_TEXTS.accountList],
        [noTypes, IMPORT_TEXTS.noTypes],
        [broken, IMPORT_TEXTS.unreadableChecklist],
        [inactive, IMPORT_TEXTS.inactiveList],
      ] as const) {
        setImportGroup(listId, "Newsletter DE");
        const run = await refused(listId);
        expect([listId, run.error?.message]).toEqual([listId, text]);
        expect(lastError(listId)).toBe(text);
      }
    });

    test("the group belongs to another list (its mark), or another record's Group Link names it: never taken over", async () => {
      const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: CHECKLIST_STATE.accepted } }]) as [string];
      const other = seedStaticList(fakes, "Other", { 0: CHECKLIST_STATE.accepted }, [ann]);
      const otherGroup = await syncRecord(fakes, "list", other);
      const { listId } = seedCrm();
      setImportGroup(listId, String(otherGroup));
      const run = await refused(listId);
      expect(run.error?.message).toBe(IMPORT_TEXTS.ownedByAnother(String(otherGroup), `Created by the CRM connector for list ${other}`));
      expect(lastError(listId)).toBe(run.error?.message);
      // An unmarked group that another record's Group Link row names (a group from before the mark).
      const legacy = seedGroup("Legacy");
      fakes.dataverse.seed(TABLES.groupLink.logicalName, [
        { [TABLES.groupLink.idColumn]: CAMPAIGN_ID, [COLUMNS.groupId]: String(legacy), [COLUMNS.recordTable]: "campaign", [COLUMNS.recordId]: CAMPAIGN_ID },
      ]);
      setImportGroup(listId, String(legacy));
      const again = await refused(listId);
      expect(again.error?.message).toBe(IMPORT_TEXTS.ownedByAnother(String(legacy), `campaign ${CAMPAIGN_ID}`));
    });

    test("a list already linked to another group", async () => {
      const groupId = seedGroup();
      const { listId } = seedCrm();
      fakes.dataverse.change("list", listId, { [COLUMNS.cleverReachGroupId]: "777" });
      setImportGroup(listId, "Newsletter DE");
      const run = await refused(listId);
      expect(run.error?.message).toBe(IMPORT_TEXTS.otherGroupLinked("777", String(groupId)));
    });

    test("clvr_ImportUnmatched is neither create nor log: names the variable", async () => {
      seedGroup();
      const { listId } = seedCrm();
      setImportGroup(listId, "Newsletter DE");
      const run = await refused(listId, ADMIN, { [ENV.importUnmatched.schemaName]: "yes" });
      expect(run.error?.code).toBe("InvalidConfiguration");
      expect(run.error?.message).toBe(UNMATCHED_SETTING_ERROR);
      expect(lastError(listId)).toBe(UNMATCHED_SETTING_ERROR);
    });
  });
});
