import type { Rule } from "./types";

/**
 * recurrence-concurrency: a scheduled flow says how many of its runs may run at once. Without
 * concurrency control "Unlimited" runs run in parallel (limits-and-config.md, "Trigger
 * concurrency"), so a run that takes longer than the interval overlaps the next one, which reads and
 * writes the same things. No real export sets it; this is the product's rule, not the platform's.
 */
export const recurrenceConcurrency: Rule = (flow, report) => {
  for (const { name, trigger } of flow.triggers) {
    if (trigger.type !== "Recurrence") continue;
    if (trigger.runtimeConfiguration?.concurrency?.runs === undefined) {
      report(
        "recurrence-concurrency",
        `trigger ${name}`,
        "a scheduled trigger without concurrency control starts a new run while the last one still runs (set runtimeConfiguration.concurrency.runs)",
      );
    }
  }
};
