import type { Json, WdlTrigger } from "../wdl";

export type Frequency = "Second" | "Minute" | "Hour" | "Day" | "Week" | "Month";

export function recurrence(frequency: Frequency, interval: number, extra: Record<string, Json> = {}): WdlTrigger {
  return { type: "Recurrence", recurrence: { frequency, interval, ...extra } };
}

/** A child flow's trigger: called by "Run a Child Flow" with a JSON body of this schema. */
export function childFlowTrigger(schema: Json = { type: "object", properties: {}, required: [] }): WdlTrigger {
  return { type: "Request", kind: "Button", inputs: { schema } };
}
