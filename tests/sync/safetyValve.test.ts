import { isLargeRemoval, largeRemovalText } from "../../flows/product/rules/messages";
import { isLargeRemoval as isLargeRemovalExpression, largeRemovalText as largeRemovalTextExpression } from "../../flows/product/sync/messages";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { lit } from "../../flows/toolkit/expr/build";
import { evaluateString } from "../../flows/toolkit/sim/evaluate";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import { COLUMNS, ENV } from "../../solution/src/model/handles";
import { CLEVERREACH_API, startFakes, type Fakes } from "../sim/harness";
import { checklist, groupContents, patchRow, seedContacts, seedStaticList } from "./scenario";

const evaluate = (e: { value: string }): unknown => evaluateString(e.value, { context: {}, functions: FUNCTIONS });

/** Issue 15 item 19: a full sync that would remove most of a large group stops and asks first. */
describe("safety valve: a large removal stops before anyone is removed", () => {
  test("the rule and the flows' expressions agree", () => {
    for (const [removing, active] of [
      [0, 0],
      [100, 150],
      [101, 150],
      [101, 202],
      [101, 201],
      [80, 80],
      [5000, 5000],
    ] as const) {
      expect(evaluate(isLargeRemovalExpression(lit(removing), lit(active)))).toBe(isLargeRemoval(removing, active));
      expect(evaluate(largeRemovalTextExpression(lit(removing), lit(active)))).toBe(largeRemovalText(removing, active));
    }
    expect(isLargeRemoval(101, 201)).toBe(true);
    expect(isLargeRemoval(101, 202)).toBe(false);
    expect(isLargeRemoval(100, 100)).toBe(false);
  });

  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const run = (id: string, environment: Record<string, unknown> = {}) =>
    fakes.simulator([syncGroupFlow().build()], environment).run(syncGroupFlow().build(), { body: { table: "list", id } });
  const people = (n: number) =>
    seedContacts(
      fakes,
      Array.from({ length: n }, (_, i) => ({ firstname: `P${i}`, states: { 0: 1 } })),
    );
  /** The list now sends a type nobody accepted: a sync would remove everyone. */
  const switchType = (listId: string) => patchRow(fakes, "lists", listId, { [COLUMNS.newsletterChecklist]: JSON.stringify(checklist({ 0: 0, 1: 1 })) });
  const activeIn = (groupId: number) => [...groupContents(fakes, groupId).values()].filter((c) => c.active).length;

  test("blocked: 150 of 150 would go; nobody is removed, the record says how many and how to confirm", async () => {
    const listId = seedStaticList(fakes, "Big", { 0: 1 }, people(150));
    expect((await run(listId)).status).toBe("Succeeded");
    const groupId = Number(fakes.dataverse.row("list", listId)?.[COLUMNS.cleverReachGroupId]);
    expect(activeIn(groupId)).toBe(150);
    await switchType(listId);
    const r = await run(listId);
    expect(r.status).toBe("Failed");
    expect(r.error).toEqual({ code: "ConfirmationNeeded", message: largeRemovalText(150, 150) });
    expect(fakes.dataverse.row("list", listId)?.[COLUMNS.lastSyncError]).toBe(largeRemovalText(150, 150));
    expect(r.counts.operations[`${CLEVERREACH_API}:DeleteGroupReceiver`] ?? 0).toBe(0);
    expect(activeIn(groupId)).toBe(150);

    // Confirmed once on the record: the removal runs, the flag goes back to No, the error goes.
    await patchRow(fakes, "lists", listId, { [COLUMNS.confirmLargeRemoval]: true });
    const confirmed = await run(listId);
    expect(confirmed.error).toBeUndefined();
    expect(activeIn(groupId)).toBe(0);
    expect(fakes.dataverse.row("list", listId)?.[COLUMNS.confirmLargeRemoval]).toBe(false);
    expect(fakes.dataverse.row("list", listId)?.[COLUMNS.lastSyncError] ?? null).toBeNull();
  }, 120_000);

  test("allowed by the setting; a removal of less than half, or of 100 or fewer, never asks", async () => {
    const big = seedStaticList(fakes, "Big", { 0: 1 }, people(150));
    const small = seedStaticList(fakes, "Small", { 0: 1 }, people(100));
    const part = seedStaticList(fakes, "Part", { 0: 1 }, people(220));
    for (const id of [big, small, part]) expect((await run(id)).status).toBe("Succeeded");
    const groupOf = (id: string) => Number(fakes.dataverse.row("list", id)?.[COLUMNS.cleverReachGroupId]);

    await switchType(big);
    expect((await run(big, { [ENV.allowLargeRemovals.schemaName]: true })).error).toBeUndefined();
    expect(activeIn(groupOf(big))).toBe(0);

    await switchType(small);
    expect((await run(small)).error).toBeUndefined();
    expect(activeIn(groupOf(small))).toBe(0);

    // 109 of 220 leave the list (less than half): no question asked.
    const leaving = fakes.dataverse
      .rows("contact")
      .filter((c) => String(c.firstname).startsWith("P") && Number(String(c.firstname).slice(1)) < 109)
      .map((c) => String(c.contactid));
    for (const id of leaving) fakes.dataverse.change("contact", id, { statecode: 1 });
    expect((await run(part)).error).toBeUndefined();
    expect(activeIn(groupOf(part))).toBe(220 - 109);
  }, 180_000);
});
