import { items, outputs, result, variables } from "../../flows/toolkit/expr/build";
import { compose, incrementVariable, initializeVariable } from "../../flows/toolkit/builder/actions";
import { FlowBuilder } from "../../flows/toolkit/builder/flow";
import type { ScopeBuilder } from "../../flows/toolkit/builder/scope";
import { childFlowTrigger } from "../../flows/toolkit/builder/triggers";
import { FlowSimulator } from "../../flows/toolkit/sim/engine";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import { createArray, equals, greaterOrEquals, length } from "../../flows/toolkit/expr/functions";

function flow(fill: (a: ScopeBuilder) => void): FlowBuilder {
  const f = new FlowBuilder({ id: "00000000-0000-0000-0000-000000000002", displayName: { en: "test" } });
  f.trigger("manual", childFlowTrigger());
  fill(f.actions);
  return f;
}
const run = (f: FlowBuilder) => new FlowSimulator({ connectors: {}, functions: FUNCTIONS }).run(f.build());

/**
 * An action after a Scope or Condition reads the actions inside it (the designer offers them as
 * dynamic content; the error-handling pattern reads result() of a nested scope from a Catch); an
 * action inside a loop is seen only from its own iteration.
 */
describe("references into containers", () => {
  test("after a Scope and a Condition, their inner actions and result() of an inner container are readable", async () => {
    const f = flow((a) => {
      a.scope("Outer", (s) => {
        s.add("Inner", compose(41));
        s.condition("Branch", equals(1, 1), (y) => y.add("Deep", compose(1)));
      });
      a.add("Sum", compose(outputs("Inner")));
      a.add("Deep_results", compose(length(result("Branch"))));
    });
    const r = await run(f);
    expect(r.status).toBe("Succeeded");
    const done = r.actions as unknown as Map<string, { outputs?: unknown }>;
    expect(done.get("Sum")?.outputs).toBe(41);
    expect(done.get("Deep_results")?.outputs).toBe(1);
  });

  test("inside a loop's iteration too: an action after a Condition reads the actions inside it, of the same iteration", async () => {
    const f = flow((a) => {
      a.forEach("Loop", createArray(1, 2), (l) => {
        l.condition("Branch", equals(1, 1), (y) => y.add("Deep", compose(items("Loop"))));
        l.add("After_branch", compose(outputs("Deep")));
      });
      a.add("Seen", compose(result("Loop")));
    });
    const r = await run(f);
    expect(r.status).toBe("Succeeded");
    const seen = (r.actions as unknown as Map<string, { outputs?: Array<{ name: string; outputs: unknown }> }>).get("Seen")?.outputs ?? [];
    expect(seen.filter((x) => x.name === "After_branch").map((x) => x.outputs)).toEqual([1, 2]);
    // result() still holds only the loop's top-level actions.
    expect(seen.map((x) => x.name).sort()).toEqual(["After_branch", "After_branch", "Branch", "Branch"]);
  });

  test("result() of a Do-until holds the top-level actions of its last iteration (where a failure ends it)", async () => {
    const f = flow((a) => {
      a.add("Init_n", initializeVariable("n", "integer", 0));
      a.until("Repeat", greaterOrEquals(variables("n"), 3), (u) => {
        u.add("Step", incrementVariable("n", 1));
        u.add("Seen_n", compose(variables("n")));
      });
      a.add("Seen", compose(result("Repeat")));
    });
    const r = await run(f);
    expect(r.status).toBe("Succeeded");
    const seen = (r.actions as unknown as Map<string, { outputs?: Array<{ name: string; outputs: unknown }> }>).get("Seen")?.outputs ?? [];
    expect(seen.map((x) => x.name).sort()).toEqual(["Seen_n", "Step"]);
    expect(seen.find((x) => x.name === "Seen_n")?.outputs).toBe(3);
  });

  test("an action inside a loop is not readable after the loop", async () => {
    const f = flow((a) => {
      a.forEach("Loop", createArray(1, 2), (l) => l.add("In_loop", compose(1)));
      a.add("After", compose(outputs("In_loop")));
    });
    const r = await run(f);
    expect(r.status).toBe("Failed");
    expect(r.error?.message).toMatch(/'In_loop' has not run in this scope/);
  });
});
