import type { Rule } from "./types";

/**
 * child-flow-retry: every "Run a Child Flow" call sets its retry policy. Without one the default
 * policy runs a failed child again, "up to eight retries" (limits-and-config.md, "Default retry
 * policy"), which repeats whatever the child already did; real calls say so explicitly
 * (`"retryPolicy": {"type": "none"}` inside `inputs`, microsoft/powercat-business-approvals-kit).
 */
export const childFlowRetry: Rule = (flow, report) => {
  for (const a of flow.actions) {
    if (a.action.type !== "Workflow") continue;
    const policy = (a.action.inputs as { retryPolicy?: { type?: string } } | undefined)?.retryPolicy;
    if (!policy?.type)
      report("child-flow-retry", a.path, "a child flow call needs an explicit retryPolicy (the default runs a failed child up to eight more times)");
  }
};
