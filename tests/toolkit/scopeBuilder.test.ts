import { items, outputs, variables } from "../../flows/toolkit/expr/build";
import { concat, createArray, equals, greaterOrEquals, int, mod, not } from "../../flows/toolkit/expr/functions";
import { appendToArrayVariable, compose, incrementVariable, initializeVariable, setVariable } from "../../flows/toolkit/builder/actions";
import { failRun } from "../../flows/toolkit/builder/failRun";
import { FlowBuilder } from "../../flows/toolkit/builder/flow";
import { ScopeBuilder } from "../../flows/toolkit/builder/scope";
import { childFlowTrigger } from "../../flows/toolkit/builder/triggers";
import { FlowSimulator } from "../../flows/toolkit/sim/engine";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";

const root = (): ScopeBuilder => new ScopeBuilder(new Set());

function flow(fill: (a: ScopeBuilder) => void): FlowBuilder {
  const f = new FlowBuilder({ id: "00000000-0000-0000-0000-000000000001", displayName: { en: "test" } });
  f.trigger("manual", childFlowTrigger());
  fill(f.actions);
  return f;
}
const run = (f: FlowBuilder) => new FlowSimulator({ connectors: {}, functions: FUNCTIONS }).run(f.build());

describe("ScopeBuilder control methods add the action and fill it in one call", () => {
  test("condition: the designer's If with both branches, after the previous action", () => {
    // GIVEN a scope with one action
    const a = root();
    a.add("First", compose(1));
    // WHEN a condition follows
    const name = a.condition(
      "Is_odd",
      equals(mod(variables("i"), 2), 1),
      (yes) => yes.add("Odd", compose("odd")),
      (no) => no.add("Even", compose("even")),
    );
    // THEN
    expect(name).toBe("Is_odd");
    expect(a.actions.Is_odd).toStrictEqual({
      type: "If",
      expression: { and: [{ equals: ["@equals(mod(variables('i'), 2), 1)", true] }] },
      actions: { Odd: { type: "Compose", inputs: "odd", runAfter: {} } },
      else: { actions: { Even: { type: "Compose", inputs: "even", runAfter: {} } } },
      runAfter: { First: ["Succeeded"] },
    });
  });

  test("condition: without else, placed after a failure of another action", () => {
    const a = root();
    a.add("Remove", compose(1));
    a.condition("Unless_gone", not(equals(outputs("Remove").get("statusCode"), 404)), (e) => e.add("Note", compose(2)), { after: { Remove: ["Failed"] } });
    expect(a.actions.Unless_gone).toStrictEqual({
      type: "If",
      expression: { and: [{ equals: ["@not(equals(outputs('Remove')?['statusCode'], 404))", true] }] },
      actions: { Note: { type: "Compose", inputs: 2, runAfter: {} } },
      runAfter: { Remove: ["Failed"] },
    });
  });

  test("forEach: one at a time by default, parallel when asked", () => {
    const a = root();
    a.forEach("Each", createArray(1, 2), (l) => l.add("Use", compose(items("Each"))));
    a.forEach("Each_parallel", createArray(3), (l) => l.add("Use_parallel", compose(items("Each_parallel"))), { concurrency: 20 });
    expect(a.actions.Each).toStrictEqual({
      type: "Foreach",
      foreach: "@createArray(1, 2)",
      actions: { Use: { type: "Compose", inputs: "@items('Each')", runAfter: {} } },
      runAfter: {},
    });
    expect(a.actions.Each_parallel).toMatchObject({ runtimeConfiguration: { concurrency: { repetitions: 20 } }, runAfter: { Each: ["Succeeded"] } });
  });

  test("until: the designer's default limit, or the one given", () => {
    const a = root();
    a.until("Count", greaterOrEquals(variables("i"), 4), (u) => u.add("Step", incrementVariable("i", 1)));
    a.until("Count_more", greaterOrEquals(variables("i"), 8), (u) => u.add("Step_more", incrementVariable("i", 1)), {
      limit: { count: 1000, timeout: "PT6H" },
    });
    expect(a.actions.Count).toStrictEqual({
      type: "Until",
      expression: "@greaterOrEquals(variables('i'), 4)",
      limit: { count: 60, timeout: "PT1H" },
      actions: { Step: { type: "IncrementVariable", inputs: { name: "i", value: 1 }, runAfter: {} } },
      runAfter: {},
    });
    expect(a.actions.Count_more?.limit).toEqual({ count: 1000, timeout: "PT6H" });
  });

  test("switch: named cases with their values, and a default", () => {
    const a = root();
    a.switch(
      "Pick",
      variables("table"),
      { list: { value: "list", body: (c) => c.add("Was_list", compose(1)) } },
      { otherwise: (d) => d.add("Other", compose(0)) },
    );
    expect(a.actions.Pick).toStrictEqual({
      type: "Switch",
      expression: "@variables('table')",
      cases: { list: { case: "list", actions: { Was_list: { type: "Compose", inputs: 1, runAfter: {} } } } },
      default: { actions: { Other: { type: "Compose", inputs: 0, runAfter: {} } } },
      runAfter: {},
    });
  });

  test("scope, and names stay unique across nested scopes", () => {
    const a = root();
    a.scope("Group", (s) => s.add("Inner", compose(1)));
    expect(a.actions.Group).toStrictEqual({ type: "Scope", actions: { Inner: { type: "Compose", inputs: 1, runAfter: {} } }, runAfter: {} });
    expect(() => a.condition("Again", equals(1, 1), (t) => t.add("Inner", compose(2)))).toThrow('action name "Inner" is used twice in this flow');
  });

  test("tryCatch: Try, then Catch on failure or time-out, which keeps the failed actions and hands on the first one", () => {
    const a = root();
    const name = a.tryCatch(
      "Try",
      (t) => t.add("Work", compose(1)),
      (c, failure) => c.add("Why", compose(concat(failure.step, ": ", failure.message))),
    );
    a.add("After", compose(2), name);
    expect(a.actions.Catch).toStrictEqual({
      type: "Scope",
      actions: {
        Failures: { type: "Query", inputs: { from: "@result('Try')", where: "@equals(item()?['status'], 'Failed')" }, runAfter: {} },
        Why: {
          type: "Compose",
          inputs:
            "@concat(coalesce(first(body('Failures'))?['name'], '?'), ': ', coalesce(first(body('Failures'))?['error']?['message'], 'see the flow run for details'))",
          runAfter: { Failures: ["Succeeded"] },
        },
      },
      runAfter: { Try: ["Failed", "TimedOut"] },
    });
    expect(a.actions.After?.runAfter).toEqual({ Try: ["Succeeded"] });
  });

  test("tryCatch: a second Try in one flow names its Catch and Failures", () => {
    const a = root();
    a.tryCatch(
      "Try",
      (t) => t.add("Work", compose(1)),
      (c) => c.add("Note", compose(0)),
    );
    a.tryCatch(
      "Group_try",
      (t) => t.add("Group_work", compose(1)),
      (c) => c.add("Group_note", compose(0)),
      {
        catchName: "Group_catch",
        failuresName: "Group_failures",
      },
    );
    expect(Object.keys(a.actions)).toEqual(["Try", "Catch", "Group_try", "Group_catch"]);
    expect(a.actions.Group_try?.runAfter).toEqual({ Catch: ["Succeeded"] });
    expect(Object.keys(a.actions.Group_catch?.actions ?? {})).toEqual(["Group_failures", "Group_note"]);
  });
});

describe("the control methods run as the designer's actions do", () => {
  test("condition, forEach, until and switch in the simulator", async () => {
    const f = flow((a) => {
      a.add("Init_seen", initializeVariable("seen", "array", []));
      a.add("Init_i", initializeVariable("i", "integer", 0));
      a.forEach("Loop", createArray(1, 2, 3), (l) => {
        l.condition(
          "Odd",
          equals(mod(items("Loop"), 2), 1),
          (t) => t.add("Add_odd", appendToArrayVariable("seen", concat("odd", items("Loop")))),
          (e) => e.add("Add_even", appendToArrayVariable("seen", concat("even", items("Loop")))),
        );
      });
      a.until("Count", greaterOrEquals(variables("i"), 4), (u) => u.add("Step", incrementVariable("i", 1)));
      a.switch(
        "Pick",
        variables("i"),
        { four: { value: 4, body: (s) => s.add("Was_four", setVariable("i", 40)) } },
        { otherwise: (d) => d.add("Other", setVariable("i", -1)) },
      );
      a.add("Seen", compose(variables("seen")));
    });
    const r = await run(f);
    expect(r.status).toBe("Succeeded");
    expect(r.actions.get("Seen")?.outputs).toEqual(["odd1", "even2", "odd3"]);
    expect(r.actions.get("Was_four")?.status).toBe("Succeeded");
    expect(r.actions.get("Other")?.status).toBe("Skipped");
  });

  test("tryCatch with failRun: the run fails with the failed step and its message", async () => {
    const f = flow((a) => {
      a.tryCatch(
        "Try",
        (t) => {
          t.add("Fine", compose(1));
          t.add("Parse_number", compose(int("not a number")));
        },
        failRun({ code: "TestFailed", errorText: (step, message) => concat("failed at ", step, ": ", message) }),
      );
    });
    const r = await run(f);
    expect(r.status).toBe("Failed");
    expect(r.error?.code).toBe("TestFailed");
    expect(r.error?.message).toMatch(/^failed at Parse_number: .+/);
    expect(r.actions.get("Error_text")?.outputs).toBe(r.error?.message);
  });

  test("tryCatch: Catch is skipped when Try succeeds", async () => {
    const f = flow((a) => {
      a.tryCatch("Try", (t) => t.add("Fine", compose(1)), failRun({ code: "TestFailed", errorText: (step) => concat("at ", step) }));
    });
    const r = await run(f);
    expect(r.status).toBe("Succeeded");
    expect(r.actions.get("Catch")?.status).toBe("Skipped");
  });
});
