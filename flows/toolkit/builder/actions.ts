import type { Ex } from "../expr/build";
import type { Json, RetryPolicy, WdlAction } from "../wdl";

/** A field value: an expression (rendered as `@…`), plain JSON, or JSON with expressions inside. */
export type Value = Ex | null | boolean | number | string | Value[] | { [key: string]: Value };

const isEx = (v: unknown): v is Ex => typeof v === "object" && v !== null && "expr" in v && "value" in v;

/** Renders expressions inside a JSON value to their `@…` strings. */
export function render(v: Value): Json {
  if (isEx(v)) return v.value;
  if (Array.isArray(v)) return v.map((x) => render(x as Value));
  if (v && typeof v === "object") {
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) out[k] = render(x as Value);
    return out;
  }
  return v;
}

/** The retry policy every call to an external service carries: 429 and 5xx are retried with back-off. */
export const SERVICE_RETRY: RetryPolicy = { type: "exponential", count: 4, interval: "PT10S", minimumInterval: "PT5S", maximumInterval: "PT1H" };

export const compose = (inputs: Value): WdlAction => ({ type: "Compose", inputs: render(inputs) });

export type VariableType = "string" | "integer" | "float" | "boolean" | "array" | "object";
export const initializeVariable = (name: string, type: VariableType, value: Value): WdlAction => ({
  type: "InitializeVariable",
  inputs: { variables: [{ name, type, value: render(value) }] },
});
export const setVariable = (name: string, value: Value): WdlAction => ({ type: "SetVariable", inputs: { name, value: render(value) } });
export const appendToArrayVariable = (name: string, value: Value): WdlAction => ({ type: "AppendToArrayVariable", inputs: { name, value: render(value) } });
export const appendToStringVariable = (name: string, value: Value): WdlAction => ({ type: "AppendToStringVariable", inputs: { name, value: render(value) } });
export const incrementVariable = (name: string, value: Value = 1): WdlAction => ({ type: "IncrementVariable", inputs: { name, value: render(value) } });

export const select = (from: Value, map: Value): WdlAction => ({ type: "Select", inputs: { from: render(from), select: render(map) } });
/** "Filter array": keeps the items of `from` for which `where` (using item()) is true. */
export const filterArray = (from: Value, where: Ex): WdlAction => ({ type: "Query", inputs: { from: render(from), where: where.value } });
export const parseJson = (content: Value, schema: Json): WdlAction => ({ type: "ParseJson", inputs: { content: render(content), schema } });

export const terminate = (status: "Succeeded" | "Failed" | "Cancelled", error?: { code: string; message: Value }): WdlAction => ({
  type: "Terminate",
  inputs: error && status === "Failed" ? { runStatus: status, runError: { code: error.code, message: render(error.message) } } : { runStatus: status },
});

/**
 * "Delay": waits `count` units before the next action (Logic Apps workflow definition language,
 * action type Wait, `inputs.interval` with `count` and `unit`; connectors-native-delay.md). The
 * count may be an expression.
 */
export const delay = (count: Value, unit: "Second" | "Minute" | "Hour" | "Day"): WdlAction => ({
  type: "Wait",
  inputs: { interval: { count: render(count), unit } },
});

export const response = (statusCode: number, body: Value): WdlAction => ({
  type: "Response",
  kind: "Http",
  inputs: { statusCode, body: render(body) },
});

/**
 * Calls a child flow of the same solution by its workflow id, with its retry policy: without one
 * the platform's default policy starts a failed child again (limits-and-config.md, "Default retry
 * policy"), so every call says what it wants; real calls set `retryPolicy` inside `inputs`
 * (BACoreChildGetDynamicDataInstance-….json, microsoft/powercat-business-approvals-kit).
 */
export const runChildFlow = (workflowId: string, body: Value, retry: RetryPolicy): WdlAction => ({
  type: "Workflow",
  inputs: { host: { workflowReferenceName: workflowId }, body: render(body), retryPolicy: retry as unknown as Json },
});

/** A call that is never repeated: for a child whose failure is reported and repaired elsewhere. */
export const NO_RETRY: RetryPolicy = { type: "none" };
