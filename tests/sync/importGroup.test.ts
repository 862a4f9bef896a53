import { buildFlows } from "../../flows";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { ownerLabel } from "../../flows/product/sync/groupOwnership";
import { IMPORT_TEXTS, UNMATCHED_SETTING_ERROR } from "../../flows/product/rules/importGroup";
import { CLEVERREACH_AUTHOR } from "../../flows/product/rules/receiverStates";
import { lit } from "../../flows/toolkit/expr/build";
import { CHECKLIST_STATE, parseChecklist, serializeChecklist } from "../../pcf-checklist/src/checklist";
import { COLUMNS, ENV, TABLES } from "../../solution/src/model/handles";
import { ADMINISTRATOR_PROFILE, USER_PROFILE } from "../../solution/src/model/security";
import { CLEVERREACH_API, MENU_USER, selectedRowsBy, startFakes, type Fakes } from "../sim/harness";
import { checklist, CLEVERREACH_WRITES, groupContents, personRow, seedContacts, seedDynamicList, seedStaticList, syncRecord } from "./scenario";
import type { FlowArtifact } from "../../solution/src/slots/flows";
import type { RunResult } from "../../flows/toolkit/sim/engine";

/**
 * Issue 18 item 3: a CleverReach administrator imports a CleverReach group into a marketing list from
 * its Flow menu (flows/product/README.md, "Import a CleverReach group").
 */
jest.setTimeout(120_000);

const ADMIN = "admin@contoso.example";
const DAY = 86_400;

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
    for (const a of ["firstname", "lastname", "salutation"]) if (![...store().attributes.values()].some((x) => x.name === a)) fakes.cleverReach.seed.attribute(0, a);
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
    const mark = [...store().attributes.values()].find((x) => x.groups_id === groupId && x.name === "crm_owner");
    expect(mark?.description).toBe(`Created by the CRM connector for list ${crm.listId}`);

    // The sync that followed: what the CRM wants is active, Bob (declined) and Dora (bounced) are gone, Eve stays inactive.
    const contents = groupContents(fakes, groupId);
    expect([...contents.entries()].filter(([, r]) => r.active).map(([e]) => e).sort()).toEqual(["ann@example.com", "cem@example.com", "fay@example.com"]);
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
    const crWrites = Object.entries(again.counts.operations).filter(([k]) => k.startsWith(CLEVERREACH_API) && CLEVERREACH_WRITES.includes(k.split(":")[1] ?? ""));
    expect(crWrites).toEqual([[`${CLEVERREACH_API}:UpsertReceivers`, 1]]);
  });
});
