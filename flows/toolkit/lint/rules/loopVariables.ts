import type { WdlAction } from "../../wdl";
import type { Rule } from "./types";

const WRITES = new Set(["SetVariable", "AppendToArrayVariable", "AppendToStringVariable", "IncrementVariable", "DecrementVariable"]);

const sequential = (loop: WdlAction): boolean =>
  loop.runtimeConfiguration?.concurrency?.repetitions === 1 || (loop as { operationOptions?: string }).operationOptions === "Sequential";

/**
 * loop-variable-concurrency: an Apply to each whose body writes a variable must say
 * `concurrency.repetitions: 1`. Power Automate documents 1 as the default (limits-and-config.md,
 * "Apply to each concurrency"), but Microsoft answered that sequential running "isn't guaranteed"
 * without the setting (MicrosoftDocs/power-automate-docs#586), and Logic Apps runs 20 at once by
 * default (logic-apps-workflow-actions-triggers.md, "Foreach action": "By default, the 'for each'
 * loop runs in parallel"). Parallel iterations writing one variable lose or reorder writes.
 */
export const loopVariableConcurrency: Rule = (flow, report) => {
  const flagged = new Set<string>();
  for (const a of flow.actions) {
    if (!WRITES.has(a.action.type)) continue;
    const variable = (a.action.inputs as { name?: string } | undefined)?.name ?? "?";
    for (const loop of a.containers) {
      if (loop.action.type !== "Foreach" || sequential(loop.action) || flagged.has(loop.name)) continue;
      flagged.add(loop.name);
      report(
        "loop-variable-concurrency",
        flow.actions.find((x) => x.name === loop.name)?.path ?? loop.name,
        `writes the variable "${variable}" (${a.name}) but does not run one item at a time (runtimeConfiguration.concurrency.repetitions 1)`,
      );
    }
  }
};
