import { FAILURE_SENTENCES, READ_FAILURES, readFailureText } from "../../flows/product/rules/messages";
import { readFailureText as readFailureTextExpression } from "../../flows/product/sync/messages";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { lit } from "../../flows/toolkit/expr/build";
import { evaluateString } from "../../flows/toolkit/sim/evaluate";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import type { InterceptedCall } from "../../flows/toolkit/sim/engine";
import type { HttpResponse } from "../../flows/toolkit/sim/dispatch";
import { COLUMNS, ENV } from "../../solution/src/model/handles";
import type { RunResult } from "../../flows/toolkit/sim/engine";
import { checklist, groupContents, personRow, seedContacts, seedStaticList } from "./scenario";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { startFakes, type Fakes } from "../sim/harness";
import { REFUSED } from "../sim/gates";

/** 23 short runs on the virtual clock, each with its own fakes: about 3 s idle. */
const BUDGET = 60_000;

/** What CleverReach answers a request it refuses (its error body: `{ error: { code, message } }`). */
const CLEVERREACH_REFUSAL: HttpResponse = { status: 400, headers: {}, body: { error: { code: 400, message: "Bad Request: refused by the test" } } };
const ANSWERS = { dataverse: "The write was refused (a test's gate).", cleverreach: "Bad Request: refused by the test" };

/**
 * The steps whose failure is no failure of the run: the sync log and the lock's release fail
 * nothing (patterns/syncLog.ts; a lock left behind expires, patterns/recordLock.ts).
 */
const FAILING_NOTHING = new Set(["Log_sync_list", "Log_sync_campaign", "Release_lock_read", "Release_lock"]);
/**
 * Refusals the flow gets past by design (syncGroupFlow/ensureGroup.ts, groupOwnership.ts): a refused
 * create is tried again after a look whether the group appeared; a refused owner mark is read back;
 * a refused attribute is read again and created once more.
 * The run then succeeds and the record holds its group.
 */
const GOT_PAST = new Set(["Create_group", "New_claim", "Create_attribute", "Create_group_attribute"]);
/** A confirmation mail refused: the others go on, and the record says whom in its note (sync/doubleOptIn.ts). */
const HANDLED_AND_NOTED = new Set(["Send_confirmation"]);
/** The steps whose words say what was and was not done for the group (READ_FAILURES, LOOP_FAILURES). */
const NAME_THE_GROUP = new Set([
  "Get_list",
  "Declines_page",
  "Read_people_page",
  "Upsert_receivers",
  "Activate_new",
  "Count_page",
  "Active_page",
  "Recheck_people",
  "Remove_receiver",
]);

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

  interface Scenario {
    run: () => Promise<RunResult>;
    table: string;
    id: string;
    group: number;
  }

  /** News with Ann and Ben, synced; then Ben leaves and Cid and Dan join: 2 to add and activate, 1 to remove. */
  async function newsToChange(): Promise<Scenario> {
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
    return { run: () => run(list), table: "list", id: list, group: Number(fakes.dataverse.row("list", list)?.[COLUMNS.cleverReachGroupId]) };
  }

  /**
   * The campaign Spring (its list holds Ann and Ben), synced once while nobody accepted, so that its
   * group exists and gets a double opt-in form; then both accept, and the campaign confirms a large
   * removal: the run asks both to confirm and sets the confirmation back.
   */
  async function campaignWithForm(): Promise<Scenario> {
    const people = [
      { firstname: "Ann", states: { 0: 0 as const } },
      { firstname: "Ben", states: { 0: 0 as const } },
    ];
    const ids = seedContacts(fakes, people);
    const list = seedStaticList(fakes, "Spring list", { 0: 1 }, ids);
    const [campaign] = fakes.dataverse.seed("campaign", [
      {
        name: "Spring",
        [COLUMNS.syncWithCleverReach]: true,
        [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: 1 })),
        [COLUMNS.confirmLargeRemoval]: true,
      },
    ]);
    fakes.dataverse.relate("campaignlist_association", campaign!, list);
    const once = await fakes.simulator().run(syncGroupFlow().build(), { body: { table: "campaign", id: campaign! } });
    expect(once.status).toBe("Succeeded");
    const group = Number(fakes.dataverse.row("campaign", campaign!)?.[COLUMNS.cleverReachGroupId]);
    const form = fakes.cleverReach.seed.form("Double opt-in", group);
    for (const [i, id] of ids.entries()) {
      const accepted = personRow({ ...people[i], states: { 0: 1 } });
      fakes.dataverse.change("contact", id, {
        [COLUMNS.newsletterChecklist]: accepted[COLUMNS.newsletterChecklist] as string,
        [COLUMNS.acceptedTypes]: accepted[COLUMNS.acceptedTypes] as string,
      });
    }
    fakes.dataverse.change("campaign", campaign!, { [COLUMNS.confirmLargeRemoval]: true });
    const environment = { [ENV.doubleOptInForm.schemaName]: String(form.id) };
    return {
      run: () => fakes.simulator(undefined, environment).run(syncGroupFlow().build(), { body: { table: "campaign", id: campaign! } }),
      table: "campaign",
      id: campaign!,
      group,
    };
  }

  /**
   * Runs `run` once to list its calls, then again in fresh fakes (`scenario` sets them up) with
   * each call refused in turn; checks the record's Last sync error after each.
   */
  async function everyCallRefused(scenario: () => Promise<Scenario>, reaches: string[]): Promise<string[]> {
    const first = await scenario();
    const calls: InterceptedCall[] = [];
    fakes.gates.hold({ where: (c) => (calls.push(c), false) });
    expect((await first.run()).status).toBe("Succeeded");
    const steps = calls.map((c) => c.action);
    for (const step of reaches) expect(steps).toContain(step);
    const seen: string[] = [];
    for (let k = 1; k <= calls.length; k++) {
      await fakes.stop();
      fakes = await startFakes();
      const { run, table, id, group } = await scenario();
      let n = 0;
      const gate = fakes.gates.hold({ where: () => ++n === k });
      void gate.reached.then((c) => gate.fail(c.api.includes("commondataservice") ? REFUSED : CLEVERREACH_REFUSAL));
      const r = await run();
      const call = await gate.reached;
      const service = call.api.includes("commondataservice") ? "dataverse" : "cleverreach";
      const text = String(fakes.dataverse.row(table, id)?.[COLUMNS.lastSyncError] ?? "");
      seen.push(call.action);
      if (FAILING_NOTHING.has(call.action) || GOT_PAST.has(call.action)) {
        expect([call.action, r.status]).toEqual([call.action, "Succeeded"]);
        expect([call.action, fakes.dataverse.row(table, id)?.[COLUMNS.cleverReachGroupId] ?? null]).not.toEqual([call.action, null]);
        continue;
      }
      if (HANDLED_AND_NOTED.has(call.action)) expect([call.action, r.status]).toEqual([call.action, "Succeeded"]);
      else expect([call.action, r.status]).toEqual([call.action, "Failed"]);
      // In words on the record: never the generic sentence, with what to do and the service's answer.
      expect([call.action, text.startsWith("CleverReach sync failed") || HANDLED_AND_NOTED.has(call.action)]).toEqual([call.action, true]);
      expect([call.action, text]).not.toEqual([call.action, expect.stringContaining(FAILURE_SENTENCES.none)]);
      expect([call.action, text]).toEqual([call.action, expect.stringMatching(/Update Synchronisation|administrator/)]);
      expect([call.action, text]).toEqual([call.action, expect.stringContaining(ANSWERS[service])]);
      // A first run's group: the one the run made (the record keeps it from Ensure group on).
      const named = group || Number(fakes.dataverse.row(table, id)?.[COLUMNS.cleverReachGroupId]);
      if (NAME_THE_GROUP.has(call.action)) expect([call.action, text]).toEqual([call.action, expect.stringContaining(`group ${named}`)]);
    }
    expect(seen).toEqual(steps);
    return seen;
  }

  test(
    "a list's run that adds, activates, counts, sweeps and removes: each call refused, the record says what, what to do and the service's answer",
    async () => {
      await everyCallRefused(newsToChange, [
        "Transfer_setting_definition",
        "Create_lock",
        "Get_record",
        "List_groups",
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
      ]);
    },
    BUDGET,
  );

  test(
    "a campaign's run with double opt-in on and a confirmed large removal: each call refused, the same",
    async () => {
      await everyCallRefused(campaignWithForm, ["Campaign_items", "Group_forms", "Send_confirmation", "Reset_confirmation"]);
    },
    BUDGET,
  );

  test(
    "a list's first run, which creates its group: each call refused, the same",
    async () => {
      const firstRun = async (): Promise<Scenario> => {
        const list = seedStaticList(fakes, "News", { 0: 1 }, seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]));
        return { run: () => run(list), table: "list", id: list, group: 0 };
      };
      await everyCallRefused(firstRun, ["Create_group", "Upsert_receivers"]);
    },
    BUDGET,
  );

  test(
    "the sweep renews the mark of a receiver wanted again meanwhile, and CleverReach refuses it: the record says so, and she stays",
    async () => {
      // Ann and Eve synced; Eve leaves the list; in the next run, Eve is put back while the sweep
      // reads its first page: her receiver carries the old mark, the re-check finds her wanted.
      const [ann, eve] = seedContacts(fakes, [
        { firstname: "Ann", states: { 0: 1 } },
        { firstname: "Eve", states: { 0: 1 } },
      ]);
      const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!, eve!]);
      expect((await run(list)).status).toBe("Succeeded");
      const group = Number(fakes.dataverse.row("list", list)?.[COLUMNS.cleverReachGroupId]);
      await fakes.dataverse.handle({ method: "DELETE", path: `/api/data/v9.1/lists(${list})/listcontact_association(${eve!})/$ref`, query: {}, headers: {} });
      const sweep = fakes.gates.hold({ connector: "cleverreach", action: "Active_page" });
      const confirm = fakes.gates.hold({ connector: "cleverreach", action: "Confirm_receivers" });
      void sweep.reached.then(() => {
        fakes.dataverse.relate("listcontact_association", list, eve!);
        sweep.release();
      });
      void confirm.reached.then(() => confirm.fail(CLEVERREACH_REFUSAL));
      const r = await run(list);
      expect(confirm.caught).toHaveLength(1);
      expect(r.status).toBe("Failed");
      const text = String(fakes.dataverse.row("list", list)?.[COLUMNS.lastSyncError]);
      expect(text).toBe(
        readFailureText({ stage: "confirm", group: String(group), status: 400, message: `UpsertReceivers returned 400: ${ANSWERS.cleverreach}` }),
      );
      expect([...groupContents(fakes, group).keys()].sort()).toEqual(["ann@example.com", "eve@example.com"]);
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
