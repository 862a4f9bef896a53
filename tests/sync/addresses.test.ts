import { DATAVERSE_API } from "../../flows/toolkit/builder/dataverse";
import { isSendableEmail, isValidEmail, normalizeEmail, SPACE_LIKE } from "../../flows/product/rules/addresses";
import { skippedNote } from "../../flows/product/rules/messages";
import { normalizedEmail, validEmail } from "../../flows/product/sync/expressions";
import { skippedNote as skippedNoteExpression } from "../../flows/product/sync/messages";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { lit } from "../../flows/toolkit/expr/build";
import { createArray, json } from "../../flows/toolkit/expr/functions";
import { evaluateString } from "../../flows/toolkit/sim/evaluate";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import { COLUMNS } from "../../solution/src/model/handles";
import { startFakes, CLEVERREACH_API, type Fakes } from "../sim/harness";
import { groupContents, seedContacts, seedStaticList, writeCalls, LOCK_TAKEN_AND_RELEASED } from "./scenario";

/** An expression evaluated from its text, as the platform reads it from the definition. */
const evaluate = (e: { value: string }): unknown => evaluateString(e.value, { context: {}, functions: FUNCTIONS });

/** Addresses pasted from spreadsheets, forms and signatures. */
const DIRTY = [
  "ann@example.com",
  "ann@example.com\t",
  "ann@example.com\r\n",
  "\nAnn@Example.COM ",
  "ann@example.com\u00a0",
  "\u202fann@example.com\u2007",
  "\ufeffann@example.com\u200b",
  "ann@example.com\u3000",
  "ann @example.com",
  "ann@exa\u00a0mple.com",
  "ann@example..com",
  "ann@@example.com",
  "@example.com",
  'an"n@example.com',
  "ann@example",
  "",
  "   ",
  "\t\u00a0",
];

describe("addresses: trimmed, compared case-insensitively (SPEC §6.2)", () => {
  test("the rule: surrounding white space of every kind goes, inner white space makes the address invalid", () => {
    expect(normalizeEmail("ann@example.com\t")).toBe("ann@example.com");
    expect(normalizeEmail("\nAnn@Example.COM\u00a0")).toBe("ann@example.com");
    expect(normalizeEmail("\ufeffann@example.com\u200b")).toBe("ann@example.com");
    expect(isSendableEmail("ann@example.com\u00a0")).toBe(true);
    expect(isSendableEmail("ann@exa\u00a0mple.com")).toBe(false);
    expect(isSendableEmail("ann@example..com")).toBe(false);
    expect(isValidEmail("ann@example.com\t")).toBe(false);
    expect(isSendableEmail(null)).toBe(false);
    for (const c of SPACE_LIKE) {
      expect(normalizeEmail(`${c}ann@example.com${c}`)).toBe("ann@example.com");
      expect(isSendableEmail(`ann${c}x@example.com`)).toBe(false);
    }
  });

  test("the flows' expressions agree with the rule on every address", () => {
    for (const e of [...DIRTY, ...SPACE_LIKE.map((c) => `${c}b@example.org${c}`), ...SPACE_LIKE.map((c) => `b${c}@example.org`)]) {
      expect(evaluate(normalizedEmail(lit(e)))).toBe(normalizeEmail(e));
      expect(evaluate(validEmail(normalizedEmail(lit(e))))).toBe(isSendableEmail(e));
    }
    expect(evaluate(normalizedEmail(lit(null)))).toBe("");
  });

  test("the record's note: the flows' text is the rule's", () => {
    for (const [count, examples] of [
      [0, []],
      [1, ["x@y"]],
      [3, ["a", "b", "c"]],
      [7, ["a", "b", "c", "d", "e"]],
    ] as Array<[number, string[]]>) {
      const list = examples.length === 0 ? json("[]") : createArray(...(examples as [string, ...string[]]));
      expect(evaluate(skippedNoteExpression(lit(count), list))).toBe(skippedNote(count, examples));
    }
  });
});

describe("a group with dirty addresses (issue 14 finding 2)", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const run = (id: string) => fakes.simulator([syncGroupFlow().build()]).run(syncGroupFlow().build(), { body: { table: "list", id } });

  test("addresses ending in a tab, a line break or a no-break space are synced trimmed; an invalid one is skipped and counted, never stopping the group", async () => {
    const ids = seedContacts(fakes, [
      { firstname: "Ann", email: "ann@example.com\t", states: { 0: 1 } },
      { firstname: "Ben", email: "Ben@Example.com\r\n", states: { 0: 1 } },
      { firstname: "Cem", email: "cem@example.com\u00a0", states: { 0: 1 } },
      { firstname: "Dora", email: "dora@exa mple.com", states: { 0: 1 } },
      { firstname: "Eve", email: "eve@example.com", states: { 0: 1 } },
      { firstname: "Finn", email: "finn\u200b@example.com", states: { 0: 1 } },
    ]);
    const listId = seedStaticList(fakes, "Pasted", { 0: 1 }, ids);
    const r = await run(listId);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("Succeeded");
    const groupId = Number(fakes.dataverse.row("list", listId)?.[COLUMNS.cleverReachGroupId]);
    const contents = groupContents(fakes, groupId);
    expect([...contents.keys()].sort()).toEqual(["ann@example.com", "ben@example.com", "cem@example.com", "eve@example.com"]);
    expect([...contents.values()].every((c) => c.active)).toBe(true);
    expect(contents.get("ben@example.com")?.attributes).toMatchObject({ firstname: "Ben", crm_table: "contact", crm_id: ids[1] });
    // Counted on the record, with the addresses to correct.
    // (in the order the query read them: by contact id)
    const skipped = ["dora@exa mple.com", "finn @example.com"];
    expect([skippedNote(2, skipped), skippedNote(2, [...skipped].reverse())]).toContain(fakes.dataverse.row("list", listId)?.[COLUMNS.lastSyncError]);

    // The next run finds everything in place: no write to Dataverse, the same group.
    const before = JSON.stringify([...contents]);
    const again = await run(listId);
    expect(again.status).toBe("Succeeded");
    // The run's sync log row (issue 18) and its lock are its only Dataverse writes.
    expect(writeCalls(again.counts.operations)).toEqual({
      ...LOCK_TAKEN_AND_RELEASED,
      [`${CLEVERREACH_API}:UpsertReceivers`]: 1,
      [`${DATAVERSE_API}:CreateRecord`]: 2,
    });
    expect(JSON.stringify([...groupContents(fakes, groupId)])).toBe(before);

    // Dora's address corrected: she is added and the note goes.
    fakes.dataverse.change("contact", ids[3]!, { emailaddress1: "dora@example.com" });
    fakes.dataverse.change("contact", ids[5]!, { emailaddress1: " finn@example.com " });
    const fixed = await run(listId);
    expect(fixed.status).toBe("Succeeded");
    expect(groupContents(fakes, groupId).get("dora@example.com")?.active).toBe(true);
    expect(groupContents(fakes, groupId).get("finn@example.com")?.active).toBe(true);
    expect(fakes.dataverse.row("list", listId)?.[COLUMNS.lastSyncError] ?? null).toBeNull();
  });

  test("the fake CleverReach refuses a whole batch for one address with a no-break space, as CleverReach did", async () => {
    const groupId = fakes.cleverReach.seed.group("G").id;
    const answer = await fakes.cleverReach.client.call("UpsertReceivers", { group_id: groupId }, [
      { email: "a@example.com" },
      { email: "b@example.com\u00a0" },
    ]);
    expect(answer.status).toBe(400);
    expect(groupContents(fakes, groupId).size).toBe(0);
  });
});
