import { BATCH_SENTENCES, FAILURE_SENTENCES, loopFailureText, LOOP_FAILURES } from "../../flows/product/rules/messages";
import { loopFailureText as loopFailureTextExpression } from "../../flows/product/sync/messages";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { lit } from "../../flows/toolkit/expr/build";
import { evaluateString } from "../../flows/toolkit/sim/evaluate";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import { COLUMNS, TABLES } from "../../solution/src/model/handles";
import { startFakes, type Fakes } from "../sim/harness";
import { groupContents, seedContacts, seedStaticList } from "./scenario";

/** A few runs with retries on the virtual clock: 1–3 s idle, ten times that on a busy machine. */
const BUDGET = 30_000;

/**
 * Issue 15 item 20 (b): a CleverReach failure inside one of Sync group's loops (a batch of
 * receivers refused, removals of a page of the sweep refused, a 429 that outlasts the retries) is
 * written on the record in words: what failed, for which group, how many receivers, what to do;
 * then CleverReach's own answer. Each through the fake CleverReach refusing as it does.
 */
describe("Sync group: a refusal inside its loops, in words on the record", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const run = (id: string) => fakes.simulator().run(syncGroupFlow().build(), { body: { table: "list", id } });
  const lastError = (id: string) => String(fakes.dataverse.row("list", id)?.[COLUMNS.lastSyncError]);
  const lastLogError = () => String(fakes.dataverse.rows(TABLES.syncLog.logicalName).slice(-1)[0]?.[COLUMNS.error]);

  /** News with Ann and Ben, synced; then Ben leaves the list and Cid and Dan join: 3 to send, 1 to remove. */
  async function newsToChange() {
    const [ann, ben, cid, dan] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
      { firstname: "Cid", states: { 0: 1 } },
      { firstname: "Dan", states: { 0: 1 } },
    ]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!, ben!]);
    expect((await run(list)).status).toBe("Succeeded");
    const group = Number(fakes.dataverse.row("list", list)?.[COLUMNS.cleverReachGroupId]);
    await fakes.dataverse.handle({ method: "DELETE", path: `/api/data/v9.1/lists(${list})/listcontact_association(${ben!})/$ref`, query: {}, headers: {} });
    fakes.dataverse.relate("listcontact_association", list, cid!);
    fakes.dataverse.relate("listcontact_association", list, dan!);
    return { list, group };
  }

  test.each([
    [400, "Bad Request: invalid value for global attribute firstname", BATCH_SENTENCES[400]],
    [413, "Request Entity Too Large", BATCH_SENTENCES[413]],
  ] as const)(
    "CleverReach refuses a batch with %i: the record says so for the group and its 3 receivers, and nobody is removed",
    async (status, message, sentence) => {
      const { list, group } = await newsToChange();
      fakes.cleverReach.server.injectFault({ kind: "status", status, message, operationId: "UpsertReceivers" });
      const r = await run(list);
      expect(r.status).toBe("Failed");
      const text = lastError(list);
      expect(
        text.startsWith(
          `CleverReach sync failed: CleverReach refused 3 receivers to add or update in group ${group} (${status}). ${LOOP_FAILURES.upsert.outcome} `,
        ),
      ).toBe(true);
      expect(text).toContain(sentence);
      expect(text).toContain(`Details: step Upsert_receivers (${status}): `);
      expect(text).toContain(message);
      expect(text).not.toContain("stopped at the step");
      expect(r.error?.message).toBe(text);
      expect(lastLogError()).toBe(text);
      // Nobody removed: Ben is still there, and Cid and Dan were not added.
      expect([...groupContents(fakes, group).keys()].sort()).toEqual(["ann@example.com", "ben@example.com"]);
      // The cause gone, the next run converges.
      expect((await run(list)).status).toBe("Succeeded");
      expect([...groupContents(fakes, group).keys()].sort()).toEqual(["ann@example.com", "cid@example.com", "dan@example.com"]);
    },
    BUDGET,
  );

  test(
    "CleverReach answers 429 to a batch longer than the retries last: the record says CleverReach is busy, for the group and its receivers",
    async () => {
      const { list, group } = await newsToChange();
      fakes.cleverReach.server.injectFault({ kind: "status", status: 429, times: 20, operationId: "UpsertReceivers" });
      const r = await run(list);
      expect(r.status).toBe("Failed");
      const text = lastError(list);
      expect(text.startsWith(`CleverReach sync failed: CleverReach refused 3 receivers to add or update in group ${group} (429).`)).toBe(true);
      expect(text).toContain(FAILURE_SENTENCES.cleverreach[429]);
      expect([...groupContents(fakes, group).keys()].sort()).toEqual(["ann@example.com", "ben@example.com"]);
    },
    BUDGET,
  );

  test(
    "CleverReach answers 429 to the removals of a page longer than the retries last: the record names the group, how many are still in it, and that CleverReach is busy",
    async () => {
      const { list, group } = await newsToChange();
      fakes.cleverReach.server.injectFault({ kind: "status", status: 429, times: 20, operationId: "DeleteGroupReceiver" });
      const r = await run(list);
      expect(r.status).toBe("Failed");
      const text = lastError(list);
      expect(
        text.startsWith(`CleverReach sync failed: CleverReach refused to remove 1 receiver from group ${group} (429). ${LOOP_FAILURES.remove.outcome} `),
      ).toBe(true);
      expect(text).toContain(FAILURE_SENTENCES.cleverreach[429]);
      expect(text).toContain("Details: step Remove_receiver (429): ben@example.com: ");
      expect(groupContents(fakes, group).has("ben@example.com")).toBe(true);
    },
    BUDGET,
  );

  test("the flows' text is the rule's", () => {
    const evaluate = (e: { value: string }): unknown => evaluateString(e.value, { context: {}, functions: FUNCTIONS });
    for (const kind of ["upsert", "remove", "activate"] as const)
      for (const status of [400, 401, 403, 404, 413, 429, 500, 503])
        for (const count of [1, 1000])
          for (const message of ["", "Bad Request: x"]) {
            const want = loopFailureText({ kind, group: "1001", count, status, message });
            expect(evaluate(loopFailureTextExpression(kind, lit("1001"), lit(count), lit(status), lit(message)))).toBe(want);
          }
  });
});
