import { FAILURE_SENTENCES, READ_FAILURES, readFailureText } from "../../flows/product/rules/messages";
import { readFailureText as readFailureTextExpression } from "../../flows/product/sync/messages";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { lit } from "../../flows/toolkit/expr/build";
import { evaluateString } from "../../flows/toolkit/sim/evaluate";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import type { InterceptedCall } from "../../flows/toolkit/sim/engine";
import type { HttpResponse } from "../../flows/toolkit/sim/dispatch";
import { COLUMNS } from "../../solution/src/model/handles";
import { startFakes, type Fakes } from "../sim/harness";
import { REFUSED } from "../sim/gates";
import { seedContacts, seedStaticList } from "./scenario";

/** 23 short runs on the virtual clock, each with its own fakes: about 3 s idle. */
const BUDGET = 60_000;

/** What CleverReach answers a request it refuses (its error body: `{ error: { code, message } }`). */
const CLEVERREACH_REFUSAL: HttpResponse = { status: 400, headers: {}, body: { error: { code: 400, message: "Bad Request: refused by the test" } } };
const ANSWERS = { dataverse: "The write was refused (a test's gate).", cleverreach: "Bad Request: refused by the test" };

/**
 * The steps whose failure is no failure of the run: the sync log and the lock's release fail
 * nothing (patterns/syncLog.ts; a lock left behind expires, patterns/recordLock.ts).
 */
const FAILING_NOTHING = new Set(["Log_sync_list", "Release_lock_read", "Release_lock"]);
/** The steps a run reaches before the record's group is known: their words cannot name it. */
const BEFORE_THE_GROUP = new Set(["Transfer_setting_definition", "Transfer_setting_value", "Create_lock", "Get_record", "Find_link", "List_groups"]);

/**
 * Issue 18 (session 21's last note): a failure anywhere in Sync group reaches the record in words,
 * never as the generic "stopped at the step" sentence. Each CleverReach and Dataverse call of a
 * run that sends, activates, counts, sweeps and removes is refused in turn (a 400, which no retry
 * policy re-sends), in a fresh set of fakes: the record's Last sync error names what failed (the
 * group, once known; what was and was not done), what to do, and the service's own answer.
 */
describe("Sync group: every call refused in turn, the record says so in words", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const run = (id: string) => fakes.simulator().run(syncGroupFlow().build(), { body: { table: "list", id } });
  const lastError = (id: string): string => String(fakes.dataverse.row("list", id)?.[COLUMNS.lastSyncError] ?? "");

  /** News with Ann and Ben, synced; then Ben leaves and Cid and Dan join: 2 to add and activate, 1 to remove. */
  async function newsToChange() {
    const [ann, ben, cid, dan] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
      { firstname: "Cid", states: { 0: 1 } },
      { firstname: "Dan", states: { 0: 1 } },
    ]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!, ben!]);
    expect((await run(list)).status).toBe("Succeeded");
    await fakes.dataverse.handle({ method: "DELETE", path: `/api/data/v9.1/lists(${list})/listcontact_association(${ben!})/$ref`, query: {}, headers: {} });
    fakes.dataverse.relate("listcontact_association", list, cid!);
    fakes.dataverse.relate("listcontact_association", list, dan!);
    return { list, group: Number(fakes.dataverse.row("list", list)?.[COLUMNS.cleverReachGroupId]) };
  }

  test(
    "each call of the run refused: the record names what failed, what to do and the service's answer",
    async () => {
      const { list } = await newsToChange();
      const calls: InterceptedCall[] = [];
      fakes.gates.hold({ where: (c) => (calls.push(c), false) });
      expect((await run(list)).status).toBe("Succeeded");
      // The run reaches every kind of step: the child flow's, the loops' reads, the batches, the sweep.
      const steps = calls.map((c) => c.action);
      for (const step of [
        "Get_list",
        "Declines_page",
        "Read_people_page",
        "Upsert_receivers",
        "Activate_new",
        "Count_page",
        "Active_page",
        "Recheck_people",
        "Remove_receiver",
        "Stamp_record",
      ])
        expect(steps).toContain(step);

      const seen: string[] = [];
      for (let k = 1; k <= calls.length; k++) {
        await fakes.stop();
        fakes = await startFakes();
        const { list: id, group } = await newsToChange();
        let n = 0;
        const gate = fakes.gates.hold({ where: () => ++n === k });
        void gate.reached.then((c) => gate.fail(c.api.includes("commondataservice") ? REFUSED : CLEVERREACH_REFUSAL));
        const r = await run(id);
        const call = await gate.reached;
        const service = call.api.includes("commondataservice") ? "dataverse" : "cleverreach";
        const text = lastError(id);
        seen.push(`${call.action}: ${r.status}`);
        if (FAILING_NOTHING.has(call.action)) {
          expect([call.action, r.status]).toEqual([call.action, "Succeeded"]);
          continue;
        }
        expect([call.action, r.status]).toEqual([call.action, "Failed"]);
        // In words on the record: never the generic sentence, with what to do and the service's answer.
        expect([call.action, text.startsWith("CleverReach sync failed")]).toEqual([call.action, true]);
        expect([call.action, text]).not.toEqual([call.action, expect.stringContaining(FAILURE_SENTENCES.none)]);
        expect([call.action, text]).toEqual([call.action, expect.stringMatching(/Update Synchronisation|administrator/)]);
        expect([call.action, text]).toEqual([call.action, expect.stringContaining(ANSWERS[service])]);
        if (!BEFORE_THE_GROUP.has(call.action) && !["Stored_attributes", "List_attributes", "List_group_attributes", "Stamp_record"].includes(call.action))
          expect([call.action, text]).toEqual([call.action, expect.stringContaining(`group ${group}`)]);
      }
      expect(seen.length).toBe(calls.length);
    },
    BUDGET,
  );

  test("the flows' text of a failed read is the rule's", () => {
    const evaluate = (e: { value: string }): unknown => evaluateString(e.value, { context: {}, functions: FUNCTIONS });
    for (const stage of Object.keys(READ_FAILURES) as Array<keyof typeof READ_FAILURES>)
      for (const status of [0, 400, 401, 403, 404, 429, 500])
        for (const message of ["", "Bad Request: x"])
          expect(evaluate(readFailureTextExpression(stage, lit("1001"), lit(status), lit(message)))).toBe(
            readFailureText({ stage, group: "1001", status, message }),
          );
  });
});
