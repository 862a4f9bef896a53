import { buildFlows } from "../../flows";
import { cleverReachToCrmFlow } from "../../flows/product/cleverreachToCrm/cleverReachToCrmFlow";
import { SYNC_LOG_OUTCOME_VALUE } from "../../flows/product/patterns/syncLog";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { COLUMNS, TABLES } from "../../solution/src/model/handles";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { seedContacts, seedStaticList, writeCalls } from "../sync/scenario";

/** Issue 15, item 17: a back-sync that fails outside its groups does not stop silently. */
describe("CleverReachToCrm failures are visible to an administrator (issue 15, item 17)", () => {
  let fakes: Fakes;
  let router: TriggerRouter;
  const flows = buildFlows();
  const hourly = cleverReachToCrmFlow().build();
  beforeEach(async () => {
    fakes = await startFakes();
    router = new TriggerRouter(fakes, flows);
  });
  afterEach(async () => {
    router.stop();
    await fakes.stop();
  });
  // CleverReachToCrm's rows (Sync group writes its own at the end of every run).
  const log = () => fakes.dataverse.rows(TABLES.syncLog.logicalName).filter((r) => r[COLUMNS.flow] === "CleverReachToCrm");

  test("the CleverReach sign-in is revoked (401 before any group): a sync log row says so and what to do", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    expect((await fakes.simulator(flows).run(syncGroupFlow().build(), { body: { table: "list", id: list } })).status).toBe("Succeeded");
    await router.settle();
    // Someone revokes the app's access in CleverReach: every call answers 401.
    fakes.cleverReach.server.revokeToken(fakes.cleverReach.token);
    const r = await fakes.simulator(flows).run(hourly, {});
    expect(r.status).toBe("Failed");
    expect(log()).toHaveLength(1);
    const [row] = log();
    expect(row).toMatchObject({ [COLUMNS.flow]: "CleverReachToCrm", [COLUMNS.outcome]: SYNC_LOG_OUTCOME_VALUE.failed });
    expect(String(row?.[COLUMNS.error])).toMatch(/at List_blacklist: .*401.*renew that connection/s);
    expect(String(row?.[COLUMNS.runUrl])).toMatch(/\/runs\//);
  });

  test("a group that fails gets a sync log row beside its record's error; a run with nothing new writes none", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    expect((await fakes.simulator(flows).run(syncGroupFlow().build(), { body: { table: "list", id: list } })).status).toBe("Succeeded");
    await router.settle();
    const ok = await fakes.simulator(flows).run(hourly, {});
    expect(ok.status).toBe("Succeeded");
    await router.settle();
    expect(log()).toEqual([]);
    const quiet = await fakes.simulator(flows).run(hourly, {});
    expect(writeCalls(quiet.counts.operations)).toEqual({});
    fakes.cleverReach.server.injectFault({ kind: "status", status: 500, times: 10, operationId: "GetGroupStats" });
    const failed = await fakes.simulator(flows).run(hourly, {});
    expect(failed.status).toBe("Failed");
    expect(log()).toHaveLength(1);
    expect(log()[0]).toMatchObject({ [COLUMNS.recordTable]: "list", [COLUMNS.recordId]: list, [`_${COLUMNS.marketingList}_value`]: list });
    expect(String(log()[0]?.[COLUMNS.error])).toMatch(/at Group_stats/);
  });
});
