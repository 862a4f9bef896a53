import { buildFlows } from "../../flows";
import { cleverReachToCrmFlow } from "../../flows/product/cleverreachToCrm/cleverReachToCrmFlow";
import { readDeclines, receiverStateId } from "../../flows/product/rules/receiverStates";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { parseChecklist } from "../../pcf-checklist/src/checklist";
import { COLUMNS } from "../../solution/src/model/handles";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { groupContents, patchRow, personRow, seedContacts, seedStaticList } from "./scenario";

/**
 * Issue 14 finding 5 (SPEC §6.2): what differs per group (the CRM row a receiver stands for) is a
 * group attribute; what is the same wherever the person appears (name, salutation, company) is
 * computed by one rule, so two groups never write different values for one address.
 */
describe("per-group values: one address, a contact in one group and a lead in another", () => {
  let fakes: Fakes;
  let router: TriggerRouter;
  const flows = buildFlows();
  beforeEach(async () => {
    fakes = await startFakes();
    router = new TriggerRouter(fakes, flows);
  });
  afterEach(async () => {
    router.stop();
    await fakes.stop();
  });

  const sync = async (id: string): Promise<number> => {
    const r = await fakes.simulator(flows).run(syncGroupFlow().build(), { body: { table: "list", id } });
    expect(r.error).toBeUndefined();
    await router.settle();
    return Number(fakes.dataverse.row("list", id)?.[COLUMNS.cleverReachGroupId]);
  };
  /** Everything CleverReach keeps for the address: its global values and each group's own values. */
  const keptFor = (email: string, groups: number[]) => {
    const store = fakes.cleverReach.server.store;
    return JSON.stringify({
      global: store.globalValues.get(email),
      groups: groups.map((g) => groupContents(fakes, g).get(email)),
    });
  };

  test("resyncing both lists never flips a value; each group names its own CRM row; A's unsubscribe is traced to the contact", async () => {
    const [contact] = seedContacts(fakes, [{ firstname: "Sam", lastname: "Same", email: "sam@example.com", states: { 0: 1 } }]);
    const [lead] = fakes.dataverse.seed("lead", [{ ...personRow({ firstname: "Sam", lastname: "Same", email: "sam@example.com", states: { 0: 1 } }) }]);
    const listA = seedStaticList(fakes, "Contacts A", { 0: 1 }, [contact!]);
    const listB = seedStaticList(fakes, "Leads B", { 0: 1 }, [lead!], "lead");

    const a = await sync(listA);
    const b = await sync(listB);
    const settled = keptFor("sam@example.com", [a, b]);
    // Round two, each run watched: nothing CleverReach keeps for the address changes.
    for (const list of [listA, listB, listA, listB]) {
      await sync(list);
      expect(keptFor("sam@example.com", [a, b])).toBe(settled);
    }
    expect(groupContents(fakes, a).get("sam@example.com")?.attributes).toMatchObject({ crm_table: "contact", crm_id: contact });
    expect(groupContents(fakes, b).get("sam@example.com")?.attributes).toMatchObject({ crm_table: "lead", crm_id: lead });

    // Sam unsubscribes from A's group: the back-sync traces it to the contact, not to the lead.
    fakes.cleverReach.seed.unsubscribe(a, "sam@example.com");
    const r = await fakes.simulator(flows).run(cleverReachToCrmFlow().build(), {});
    expect(r.error).toBeUndefined();
    await router.settle();
    const receiver = fakes.cleverReach.server.store.groupReceivers(a).get("sam@example.com");
    const stateRow = fakes.dataverse.row("clvr_receiverstate", receiverStateId(a, receiver?.id ?? 0));
    expect(stateRow).toMatchObject({ _clvr_contact_value: contact, _clvr_marketinglist_value: listA });
    expect(stateRow?._clvr_lead_value ?? null).toBeNull();
    // The decline goes to CleverReach's declines of every row with the address (SPEC §6.5, issue 15):
    // the contact and the lead, and the lead's receiver leaves B, which sends the same type.
    const declined = (table: string, id: string) => readDeclines(fakes.dataverse.row(table, id)?.[COLUMNS.cleverReachDeclines] as string);
    expect(declined("contact", contact!)).toEqual({ declines: [expect.objectContaining({ id: 0, group: String(a) })] });
    expect(declined("lead", lead!)).toEqual({ declines: [expect.objectContaining({ id: 0, group: String(a) })] });
    expect(parseChecklist(fakes.dataverse.row("contact", contact!)?.[COLUMNS.newsletterChecklist] as string).find((x) => x.id === 0)?.state).toBe(1);
    expect(groupContents(fakes, b).get("sam@example.com")).toBeUndefined();
  });

  test("a contact reaching one group directly and another as an account's primary contact: company is her own parent account's in both", async () => {
    const [parent, headed] = fakes.dataverse.seed("account", [{ name: "Parent GmbH" }, { name: "Acme" }]);
    const [cara] = seedContacts(fakes, [{ firstname: "Cara", email: "cara@example.com", states: { 0: 1 } }]);
    await patchRow(fakes, "contacts", cara!, { "parentcustomerid_account@odata.bind": `/accounts(${parent!})` });
    await patchRow(fakes, "accounts", headed!, { "primarycontactid@odata.bind": `/contacts(${cara!})` });
    await router.settle();
    const direct = seedStaticList(fakes, "Direct", { 0: 1 }, [cara!]);
    const viaAccount = seedStaticList(fakes, "Accounts", { 0: 1 }, [headed!], "account");
    const a = await sync(direct);
    const b = await sync(viaAccount);
    const settled = keptFor("cara@example.com", [a, b]);
    expect(fakes.cleverReach.server.store.globalValues.get("cara@example.com")).toMatchObject({ company: "Parent GmbH" });
    for (const list of [direct, viaAccount, direct]) {
      await sync(list);
      expect(keptFor("cara@example.com", [a, b])).toBe(settled);
    }
    // Her own change (the person flow) writes the same value as both syncs.
    await patchRow(fakes, "contacts", cara!, { lastname: "Renamed" });
    await router.settle();
    expect(router.runs.filter((x) => x.result?.status !== "Succeeded")).toEqual([]);
    const renamed = keptFor("cara@example.com", [a, b]);
    expect(fakes.cleverReach.server.store.globalValues.get("cara@example.com")).toMatchObject({ company: "Parent GmbH", lastname: "Renamed" });
    await sync(viaAccount);
    await sync(direct);
    expect(keptFor("cara@example.com", [a, b])).toBe(renamed);
  });
});
