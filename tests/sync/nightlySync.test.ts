import { buildFlows } from "../../flows";
import { nightlySyncHourProblem, isNightlySyncHour } from "../../flows/product/rules/nightlySync";
import { setClock } from "../../flows/toolkit/sim/functions/datetime";
import { ENV } from "../../solution/src/model/handles";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { checklist, groupContents, seedContacts, seedStaticList, syncRecord } from "./scenario";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { COLUMNS } from "../../solution/src/model/handles";

// A full sync of a few groups with the fakes takes a second or two on a busy 2-core machine.
const TIMEOUT_MS = 30_000;
const HOUR = 3;
const AT_THE_HOUR = new Date(Date.UTC(2026, 10, 5, HOUR, 7));
const AN_HOUR_LATER = new Date(Date.UTC(2026, 10, 5, HOUR + 1, 7));

/**
 * The nightly safety net (flows/product/README.md, "Nightly sync"): what no event reports, such as a
 * static list member added (the row trigger cannot watch the listmember rows), reaches CleverReach
 * with the next night's full sync.
 */
describe("CleverReach - Nightly sync", () => {
  let fakes: Fakes;
  let router: TriggerRouter;
  const flows = buildFlows();
  const nightly = flows.find((f) => f.displayName.en === "CleverReach - Nightly sync")!;
  const environment = { [ENV.nightlySyncHour.schemaName]: HOUR };
  beforeEach(async () => {
    fakes = await startFakes();
    router = new TriggerRouter(fakes, flows, environment);
  });
  afterEach(async () => {
    setClock();
    router.stop();
    await fakes.stop();
  });
  const members = (groupId: number) => [...groupContents(fakes, groupId).keys()].sort();
  const addMember = (listId: string, contactId: string) =>
    fakes.dataverse.handle({
      method: "POST",
      path: `/api/data/v9.2/lists(${listId})/listcontact_association/$ref`,
      query: {},
      headers: {},
      body: { "@odata.id": `https://fake.crm.dynamics.com/api/data/v9.2/contacts(${contactId})` },
    });

  test(
    "at its hour it repairs groups events did not keep in step: a member added to a list reaches the list's and the campaign's group",
    async () => {
      const [ann, ben] = seedContacts(fakes, [
        { firstname: "Ann", states: { 0: 1 } },
        { firstname: "Ben", states: { 0: 1 } },
      ]);
      const listId = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
      const [campaignId] = fakes.dataverse.seed("campaign", [
        { name: "Spring", [COLUMNS.syncWithCleverReach]: true, [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: 1 })) },
      ]);
      fakes.dataverse.relate("campaignlist_association", campaignId!, listId);
      const listGroup = await syncRecord(fakes, "list", listId);
      const campaignGroup = await syncRecord(fakes, "campaign", campaignId!);
      // A member added through the Web API, as "Manage members" does: no flow fires.
      expect((await addMember(listId, ben!)).status).toBe(204);
      await router.settle();
      expect(router.runs).toEqual([]);
      expect(members(listGroup)).toEqual(["ann@example.com"]);

      setClock(() => AT_THE_HOUR);
      const r = await fakes.simulator(flows, environment).run(nightly);
      expect(r.error).toBeUndefined();
      expect(members(listGroup)).toEqual(["ann@example.com", "ben@example.com"]);
      expect(members(campaignGroup)).toEqual(["ann@example.com", "ben@example.com"]);
    },
    TIMEOUT_MS,
  );

  test(
    "outside its hour a run stops at once: nothing is read or written",
    async () => {
      const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
      await syncRecord(fakes, "list", seedStaticList(fakes, "News", { 0: 1 }, [ann!]));
      fakes.dataverse.resetCalls();
      fakes.cleverReach.server.requests.length = 0;
      setClock(() => AN_HOUR_LATER);
      const r = await fakes.simulator(flows, environment).run(nightly);
      expect(r.status).toBe("Succeeded");
      expect(fakes.dataverse.calls).toEqual([]);
      expect(fakes.cleverReach.server.requests).toEqual([]);
    },
    TIMEOUT_MS,
  );

  test(
    "an hour outside 0..23 stops every run with the setting's name, before anything is read",
    async () => {
      setClock(() => AT_THE_HOUR);
      const r = await fakes.simulator(flows, { [ENV.nightlySyncHour.schemaName]: 24 }).run(nightly);
      expect(r).toMatchObject({ status: "Failed", error: { code: "InvalidConfiguration", message: nightlySyncHourProblem(24) } });
      expect(fakes.dataverse.calls).toEqual([]);
    },
    TIMEOUT_MS,
  );

  test("the oracle: a whole hour from 0 to 23, compared in UTC", () => {
    expect([0, 23].map(nightlySyncHourProblem)).toEqual([undefined, undefined]);
    expect(nightlySyncHourProblem(-1)).toBe("clvr_NightlySyncHour must be a whole hour from 0 to 23 (UTC), not -1");
    expect(nightlySyncHourProblem(2.5)).toMatch(/not 2\.5$/);
    expect(isNightlySyncHour(AT_THE_HOUR, HOUR)).toBe(true);
    expect(isNightlySyncHour(AN_HOUR_LATER, HOUR)).toBe(false);
  });
});
