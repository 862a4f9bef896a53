import type { Rule } from "./types";

/** limits-and-config.md, "Trigger concurrency": "a value between 1 and 100 inclusively". */
const MOST_RUNS = 100;

/**
 * trigger-concurrency: the trigger's concurrency control is 1..100 runs, and a trigger sets either
 * `runtimeConfiguration.concurrency.runs` or `operationOptions: SingleInstance`, "but not both"
 * (logic-apps-workflow-actions-triggers.md, "Runtime configuration settings" and "Trigger instances
 * sequentially": "Otherwise, you get a validation error").
 */
export const triggerConcurrency: Rule = (flow, report) => {
  for (const { name, trigger } of flow.triggers) {
    const runs = trigger.runtimeConfiguration?.concurrency?.runs;
    if (runs === undefined) continue;
    if (!Number.isInteger(runs) || runs < 1 || runs > MOST_RUNS)
      report("trigger-concurrency", `trigger ${name}`, `trigger concurrency ${runs} is outside 1..${MOST_RUNS}`);
    if (trigger.operationOptions === "SingleInstance")
      report("trigger-concurrency", `trigger ${name}`, "sets both concurrency runs and operationOptions SingleInstance; set either property, but not both");
  }
};
