import { actions, body, call, item, outputs, result, variables, type Ex } from "../../toolkit/expr/build";
import { compose, filterArray, setVariable, terminate } from "../../toolkit/builder/actions";
import type { CatchBody, ScopeBuilder } from "../../toolkit/builder/scope";
import type { WdlAction } from "../../toolkit/wdl";
import { coalesce, contains, equals, first, greater, length } from "../../toolkit/expr/functions";
import { syncFailureText } from "../sync/messages";

/** A Filter array of the actions inside the container `name` that failed (result() lists them; the container must have run). */
export const failedInside = (name: string): WdlAction => filterArray(result(name), equals(item().get("status"), "Failed"));

/** The variable the Catch keeps the failed action in while it looks inside it; initialize it (object, null) at the flow's top. */
export const FAILURE_VARIABLE = "failure";

/** The names of the actions under `actions` (at any depth) that call the connection `connectionKey`. */
export function stepsCalling(actions: Record<string, WdlAction>, connectionKey: string): string[] {
  const out: string[] = [];
  const walk = (list: Record<string, WdlAction>) => {
    for (const [name, a] of Object.entries(list)) {
      const host = (a.inputs as { host?: { connectionName?: string } } | undefined)?.host;
      if (a.type === "OpenApiConnection" && host?.connectionName === connectionKey) out.push(name);
      if (a.actions) walk(a.actions);
      if (a.else?.actions) walk(a.else.actions);
      for (const c of Object.values(a.cases ?? {})) walk(c.actions);
      if (a.default?.actions) walk(a.default.actions);
    }
  };
  walk(actions);
  return out;
}

/**
 * A Catch that says in words why a run failed (issue 15 item 20): it finds the failed step as deep
 * as the platform lets it look (result() of the containers named in `inside`, parents first; a loop
 * shows only its own top-level steps), and writes the sentence for that step's service and HTTP
 * status (rules/messages.ts, syncFailureText) with the technical detail after it, on the record
 * through `report`, and fails the run with the same text. `cleverReachSteps` is read when the Catch
 * is built, after Try is complete. `answer`: a child flow that answers its caller with the text
 * (report keeps it for the answer) does not fail the run, so that its Response still runs.
 */
export function failRunInWords(o: {
  code: string;
  /**
   * The containers, parents first; a list is one level of siblings, looked into by one Switch on
   * the failed step's name (two actions per container instead of four).
   */
  inside: ReadonlyArray<string | readonly string[]>;
  cleverReachSteps: () => string[];
  report: (c: ScopeBuilder, text: Ex) => void;
  answer?: boolean;
  /** The text in another flow's words (the sentences name Sync group and Update Synchronisation). */
  reword?: (text: Ex) => Ex;
}): CatchBody {
  return (c) => {
    const failed = variables(FAILURE_VARIABLE);
    c.add("Failed_step", setVariable(FAILURE_VARIABLE, first(body("Failures"))));
    for (const [level, names] of o.inside.entries()) {
      if (typeof names !== "string") {
        // The failed step is at most one of the siblings; one that failed ran, so result() can read it.
        const cases: Record<string, { value: string; body: (d: ScopeBuilder) => void }> = {};
        for (const name of names)
          cases[name] = {
            value: name,
            body: (d) => {
              d.add(`Failed_in_${name}`, failedInside(name));
              // A container whose failed step result() does not show stays the failed step.
              d.add(`Keep_failed_in_${name}`, setVariable(FAILURE_VARIABLE, coalesce(first(body(`Failed_in_${name}`)), actions(name))));
            },
          };
        c.switch(`Inside_level_${level}`, coalesce(failed.get("name"), ""), cases);
        continue;
      }
      const name = names;
      // Only a container that failed is looked into: it ran, so result() can read it.
      c.condition(`Inside_${name}`, equals(failed.get("name"), name), (d) => {
        d.add(`Failed_in_${name}`, failedInside(name));
        d.condition(`Any_failed_in_${name}`, greater(length(body(`Failed_in_${name}`)), 0), (x) => {
          x.add(`Keep_failed_in_${name}`, setVariable(FAILURE_VARIABLE, first(body(`Failed_in_${name}`))));
        });
      });
    }
    const steps = o.cleverReachSteps();
    const text = syncFailureText(failed, contains(call("createArray", ...steps), failed.get("name")));
    c.add("Error_text", compose(o.reword ? o.reword(text) : text));
    o.report(c, outputs("Error_text"));
    if (!o.answer) c.add("Fail", terminate("Failed", { code: o.code, message: outputs("Error_text") }));
  };
}
