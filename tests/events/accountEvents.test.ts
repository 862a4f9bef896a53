import { buildFlows } from "../../flows";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { groupContents, seedContacts, seedStaticList, patchRow, syncRecord } from "../sync/scenario";

const API = "/api/data/v9.2";

describe("account event flow (events/README.md, Account events)", () => {
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
  const failures = () =>
    router.runs.filter((r) => r.result?.status !== "Succeeded").map((r) => `${r.flow}: ${JSON.stringify(r.result?.error ?? r.result?.status)}`);
  const accountRuns = () => router.runs.filter((r) => r.flow === "CleverReach - Account changed");

  /** Pete heads Acme; Ann works there; Acme is on an account list, Ann and Pete on a contact list. */
  async function scenario() {
    const [pete, ann, quinn] = seedContacts(fakes, [
      { firstname: "Pete", states: { 0: 1 } },
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Quinn", states: { 0: 1 } },
    ]);
    const [acme] = fakes.dataverse.seed("account", [{ name: "Acme", "primarycontactid@odata.bind": `/contacts(${pete})` }]);
    // Global attributes are one set per address in CleverReach, so the primary contact works there too.
    for (const c of [pete!, ann!, quinn!]) await patch("contacts", c, { "parentcustomerid_account@odata.bind": `/accounts(${acme})` });
    const accountList = seedStaticList(fakes, "Accounts", { 0: 1 }, [acme!], "account");
    const contactList = seedStaticList(fakes, "Contacts", { 0: 1 }, [ann!, pete!]);
    await router.settle();
    router.runs.length = 0;
    return { pete: pete!, ann: ann!, quinn: quinn!, acme: acme!, accountGroup: await sync("list", accountList), contactGroup: await sync("list", contactList) };
  }

  test("name changed: company of its receivers updated (primary contact and its contacts), nobody re-activated", async () => {
    const s = await scenario();
    fakes.cleverReach.seed.unsubscribe(s.contactGroup, "ann@example.com");
    await patch("accounts", s.acme, { name: "Acme Corp" });
    await router.settle();
    expect(failures()).toEqual([]);
    expect(accountRuns()).toHaveLength(1);
    expect(groupContents(fakes, s.accountGroup).get("pete@example.com")).toMatchObject({ active: true, attributes: { company: "Acme Corp" } });
    expect(groupContents(fakes, s.contactGroup).get("ann@example.com")).toMatchObject({ active: false, attributes: { company: "Acme Corp" } });
  });

  test("primary contact changed: the account's group gets the new primary contact instead of the old one", async () => {
    const s = await scenario();
    await patch("accounts", s.acme, { "primarycontactid@odata.bind": `/contacts(${s.quinn})` });
    await router.settle();
    expect(failures()).toEqual([]);
    expect([...groupContents(fakes, s.accountGroup).keys()]).toEqual(["quinn@example.com"]);
    expect([...groupContents(fakes, s.contactGroup).keys()].sort()).toEqual(["ann@example.com", "pete@example.com"]);
  });

  test("deactivated: its primary contact leaves the groups it was in only through the account", async () => {
    const s = await scenario();
    await patch("accounts", s.acme, { statecode: 1 });
    await router.settle();
    expect(failures()).toEqual([]);
    expect([...groupContents(fakes, s.accountGroup).keys()]).toEqual([]);
    expect([...groupContents(fakes, s.contactGroup).keys()].sort()).toEqual(["ann@example.com", "pete@example.com"]);
  });

  test("deleted: its primary contact leaves the groups it was in only through the account", async () => {
    const s = await scenario();
    await fakes.dataverse.handle({ method: "DELETE", path: `${API}/accounts(${s.acme})`, query: {}, headers: {} });
    await router.settle();
    expect(failures()).toEqual([]);
    expect([...groupContents(fakes, s.accountGroup).keys()]).toEqual([]);
    expect([...groupContents(fakes, s.contactGroup).keys()].sort()).toEqual(["ann@example.com", "pete@example.com"]);
  });
});
