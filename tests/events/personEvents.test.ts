import { buildFlows } from "../../flows";
import { acceptedTypesKey } from "../../flows/src/rules/eligibility";
import { syncGroupFlow } from "../../flows/src/sync/syncGroupFlow";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { checklist, groupContents, personRow, seedContacts, seedStaticList } from "../sync/scenario";

const API = "/api/data/v9.2";

describe("person event flows (contact / lead rows of SPEC §6.3)", () => {
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

  const patch = (set: string, id: string, body: Record<string, unknown>) => fakes.dataverse.handle({ method: "PATCH", path: `${API}/${set}(${id})`, query: {}, headers: { "If-Match": "*" }, body });
  const sync = async (table: string, id: string): Promise<number> => {
    const r = await fakes.simulator([syncGroupFlow().build()]).run(syncGroupFlow().build(), { body: { table, id } });
    expect(r.error).toBeUndefined();
    return Number(fakes.dataverse.row(table, id)?.clvr_cleverreachgroupid);
  };
  const personRuns = () => router.runs.filter((r) => r.flow.endsWith("changed"));
  const failures = () => personRuns().filter((r) => r.result?.status !== "Succeeded").map((r) => r.result?.error ?? r.result?.status);

  test("checklist changed: derived column kept in step, added to and removed from groups accordingly", async () => {
    const [ann, ben] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }, { firstname: "Ben", states: { 1: 1 } }]);
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
    expect(offersNow.get("ann@example.com")).toEqual({ active: true, attributes: { salutation: "", firstname: "Ann", lastname: "Person", company: "", crm_table: "contact", crm_id: ann } });
    // The receiver has the Sync group's shape: a full sync afterwards writes nothing.
    fakes.cleverReach.server.requests.length = 0;
    await sync("list", offers);
    expect(fakes.cleverReach.server.requests.filter((r) => r.method !== "GET")).toEqual([]);
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
});
