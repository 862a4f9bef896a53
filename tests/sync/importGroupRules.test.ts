import { acceptListTypes, chooseGroup, IMPORT_TEXTS, importSkippedText, unmatchedMode } from "../../flows/product/rules/importGroup";
import { wordsWith } from "../../flows/product/sync/importGroupFlow/words";
import { lit } from "../../flows/toolkit/expr/build";
import { evaluateString } from "../../flows/toolkit/sim/evaluate";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import { CHECKLIST_STATE } from "../../pcf-checklist/src/checklist";
import { checklist } from "./scenario";

const WHEN = "2026-12-02T06:00:00Z";
const evaluateExpression = (e: { value: string }): unknown => evaluateString(e.value, { context: {}, functions: FUNCTIONS });

describe("importing a group: the rules (oracle of the import flow)", () => {
  test("the setting: create or log, case and spaces ignored; anything else is no setting", () => {
    expect(["create", " LOG ", "Create"].map(unmatchedMode)).toEqual(["create", "log", "create"]);
    expect(["", "yes", "created", null].map(unmatchedMode)).toEqual([undefined, undefined, undefined, undefined]);
  });

  test("the group: by id first, else exactly one of that exact name", () => {
    const groups = [
      { id: "7", name: "Newsletter" },
      { id: "8", name: "7" },
      { id: "9", name: "Twice" },
      { id: "10", name: "Twice" },
    ];
    expect(chooseGroup("7", groups)).toEqual({ id: "7" });
    expect(chooseGroup(" Newsletter ", groups)).toEqual({ id: "7" });
    expect(chooseGroup("newsletter", groups)).toEqual({ problem: IMPORT_TEXTS.noSuchGroup("newsletter") });
    expect(chooseGroup("Twice", groups)).toEqual({ problem: IMPORT_TEXTS.severalGroups("Twice", "9, 10") });
    expect(chooseGroup("  ", groups)).toEqual({ problem: IMPORT_TEXTS.noGroupGiven });
  });

  test("accepting the list's types: added or stamped by CleverReach; a person's decline and CleverReach's declines are never overridden", () => {
    const list = checklist({ 0: CHECKLIST_STATE.accepted, 1: CHECKLIST_STATE.accepted, 2: CHECKLIST_STATE.declined });
    const person = checklist({ 0: CHECKLIST_STATE.declined, 2: CHECKLIST_STATE.notChosen });
    const out = acceptListTypes(person, list, [], WHEN);
    expect(out.changed).toBe(true);
    expect(out.rows.map((r) => [r.id, r.state, r.modifiedby])).toEqual([
      [0, CHECKLIST_STATE.declined, "Test User"],
      [2, CHECKLIST_STATE.notChosen, ""],
      [1, CHECKLIST_STATE.accepted, "CleverReach"],
    ]);
    expect(acceptListTypes(person, list, [1], WHEN)).toMatchObject({ changed: false, skip: "declinedInCleverReach" });
    expect(acceptListTypes(checklist({ 0: 2, 1: 2 }), list, [], WHEN)).toMatchObject({ changed: false, skip: "declinedInCrm" });
    const already = acceptListTypes(checklist({ 0: 1, 1: 1 }), list, [], WHEN);
    expect([already.changed, already.skip, already.rows[0]?.modifiedby]).toEqual([false, undefined, "Test User"]);
  });

  test("what was left out, in words", () => {
    const none = { declinedInCrm: 0, declinedInCleverReach: 0, unreadable: 0, notWritten: 0, invalid: 0, bounced: 0, inactive: 0, notCreated: 0, listed: 0 };
    expect(importSkippedText(none)).toBe("");
    expect(importSkippedText({ ...none, declinedInCrm: 1, invalid: 3, listed: 2 })).toBe(
      "Not imported as accepted: 1 person declined the list's types in the CRM; 3 receivers have an invalid e-mail address; " +
        "2 receivers are in no contact or lead (see Not in the CRM).",
    );
  });

  test("texts with run-time values keep the rule's words", () => {
    expect(evaluateExpression(wordsWith(IMPORT_TEXTS.severalGroups, lit("Twice"), lit("9, 10")))).toBe(IMPORT_TEXTS.severalGroups("Twice", "9, 10"));
    expect(evaluateExpression(wordsWith(IMPORT_TEXTS.ownedByAnother, lit("7"), lit("list 1")))).toBe(IMPORT_TEXTS.ownedByAnother("7", "list 1"));
  });
});
