import type { Rule } from "./types";

/**
 * child-trigger-inputs: a child flow's inputs (trigger Request, kind Button) carry `title` and
 * `x-ms-dynamically-added: true` as the designer writes them, or the "Run a Child Flow" card does
 * not show them as named inputs (BACoreChildGetDynamicDataInstance-C2534955-….json,
 * microsoft/powercat-business-approvals-kit; reference/flow-format.md §5.3).
 */
export const childFlowInputs: Rule = (flow, report) => {
  for (const { name, trigger } of flow.triggers) {
    if (trigger.type !== "Request" || trigger.kind !== "Button") continue;
    const properties = ((trigger.inputs as { schema?: { properties?: Record<string, Record<string, unknown>> } } | undefined)?.schema?.properties ??
      {}) as Record<string, Record<string, unknown>>;
    for (const [key, p] of Object.entries(properties)) {
      if (typeof p.title !== "string" || p["x-ms-dynamically-added"] !== true) {
        report(
          "child-trigger-inputs",
          `trigger ${name}`,
          `input "${key}" needs a title and x-ms-dynamically-added: true, as the designer writes child flow inputs`,
        );
      }
    }
  }
};
