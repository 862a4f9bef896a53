import { buildFlows } from "../../flows";
import { cleverReachToCrmFlow } from "../../flows/product/cleverreachToCrm/cleverReachToCrmFlow";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { COLUMNS, TABLES } from "../../solution/src/model/handles";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { seedContacts, seedStaticList } from "../sync/scenario";

/** A scenario with two flows takes 1–3 s idle; ten times that on a busy machine. */
const BUDGET = 60_000;
const YEAR = 365 * 24 * 3600;

/**
 * Issue 15 (back-sync): a user points a list at the company's main newsletter (typing its group id
 * into the list) and switches sync on. Sync group refuses to touch that group; CleverReachToCrm must
 * not read it either, or its receivers' unsubscribes and its mailings' recipients would be copied
 * into the CRM for anyone who can read Receiver States and Mailing Results (data exposure).
 */
describe("CleverReachToCrm reads only groups the product created for the record", () => {
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

  const store = () => fakes.cleverReach.server.store;
  function companyNewsletter() {
    const now = store().now();
    const g = fakes.cleverReach.seed.group("Company newsletter", { locked: true, stamp: now - YEAR });
    fakes.cleverReach.seed.receivers(g.id, [
      { email: "ceo@example.com", activated: now - YEAR, registered: now - YEAR },
      { email: "customer@example.org", activated: now - YEAR, registered: now - YEAR },
    ]);
    fakes.cleverReach.seed.unsubscribe(g.id, "customer@example.org");
    const mailing = fakes.cleverReach.seed.mailing("Board letter", "finished", { started: now - 60 });
    fakes.cleverReach.seed.report(mailing, g.id, {
      sent: [{ email: "ceo@example.com", stamp: now - 60 }],
      opened: [{ email: "ceo@example.com", stamp: now - 30 }],
      clicked: [],
    });
    return g;
  }
  const hourly = async () => {
    const r = await fakes.simulator(flows).run(cleverReachToCrmFlow().build(), {});
    await router.settle();
    return r;
  };
  const groupReads = (groupId: number) =>
    fakes.cleverReach.server.requests
      .filter((r) => r.method === "GET" && new RegExp(`/groups\\.json/${groupId}(/|$)`).test(r.path))
      .map((r) => r.path.replace(/\?.*$/, ""));
  const logRows = () => fakes.dataverse.rows(TABLES.syncLog.logicalName).filter((r) => r[COLUMNS.flow] === "CleverReachToCrm");

  test(
    "a list pointed at the company's newsletter: nothing of that group reaches the CRM; the list says why and the sync log has a row; its own group still comes back",
    async () => {
      const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
      const own = seedStaticList(fakes, "Own", { 0: 1 }, [ann!]);
      const sync = await fakes.simulator(flows).run(syncGroupFlow().build(), { body: { table: "list", id: own } });
      expect(sync.error).toBeUndefined();
      const ownGroup = Number(fakes.dataverse.row("list", own)?.[COLUMNS.cleverReachGroupId]);
      fakes.cleverReach.seed.unsubscribe(ownGroup, "ann@example.com");

      const main = companyNewsletter();
      const forged = seedStaticList(fakes, "Takeover", { 0: 1 }, []);
      // Typed in by a user: the flows never wrote it (Sync group refuses the group, tests/sync/groupIdentity.test.ts).
      fakes.dataverse.change("list", forged, { [COLUMNS.cleverReachGroupId]: String(main.id) });
      fakes.cleverReach.server.requests.length = 0;

      await hourly();
      // Nothing of the newsletter's receivers or mailings is in the CRM, and its receivers and reports were not read.
      const states = fakes.dataverse.rows(TABLES.receiverState.logicalName);
      expect(states.filter((r) => r[COLUMNS.groupId] === String(main.id))).toEqual([]);
      expect(fakes.dataverse.rows(TABLES.mailingResult.logicalName).map((r) => r[COLUMNS.email])).not.toContain("ceo@example.com");
      expect(groupReads(main.id).filter((p) => !p.endsWith("/attributes"))).toEqual([]);
      expect(fakes.dataverse.row("list", forged)?.[COLUMNS.receiverStatus] ?? null).toBeNull();
      // The list says what happened and what to do; the sync log names the list and the group.
      expect(fakes.dataverse.row("list", forged)?.[COLUMNS.lastSyncError]).toMatch(
        new RegExp(`CleverReach group ${main.id} was not created by this connector for this record.*not read.*clears the record's CleverReach group id`),
      );
      expect(logRows()).toEqual([
        expect.objectContaining({
          [COLUMNS.recordId]: forged,
          [COLUMNS.groupId]: String(main.id),
          [COLUMNS.error]: expect.stringMatching(/not created by this connector/),
        }),
      ]);
      // The list's own group (Ann's unsubscribe) still comes back in the same run.
      expect(states.filter((r) => r[COLUMNS.groupId] === String(ownGroup)).map((r) => r[COLUMNS.email])).toEqual(["ann@example.com"]);
      expect(fakes.dataverse.row("list", own)?.[COLUMNS.lastSyncError] ?? null).toBeNull();

      // The next hour repeats the refusal, without writing the record again.
      const versions = fakes.dataverse.row("list", forged)?.versionnumber;
      await hourly();
      expect(fakes.dataverse.row("list", forged)?.versionnumber).toBe(versions);
      expect(fakes.dataverse.rows(TABLES.receiverState.logicalName).filter((r) => r[COLUMNS.groupId] === String(main.id))).toEqual([]);
    },
    BUDGET,
  );
});
