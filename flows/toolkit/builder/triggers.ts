import type { Json, WdlTrigger } from "../wdl";

export type Frequency = "Second" | "Minute" | "Hour" | "Day" | "Week" | "Month";

export function recurrence(frequency: Frequency, interval: number, extra: Record<string, Json> = {}): WdlTrigger {
  return { type: "Recurrence", recurrence: { frequency, interval, ...extra } };
}

/** A child flow's trigger: called by "Run a Child Flow" with a JSON body of this schema. */
export function childFlowTrigger(schema: Json = { type: "object", properties: {}, required: [] }): WdlTrigger {
  return { type: "Request", kind: "Button", inputs: { schema } };
}

/** One input of a child flow, as the maker adds it to "Manually trigger a flow". */
export interface ChildFlowInput {
  /** What the "Run a Child Flow" card shows beside the field. */
  title: string;
  type: "string" | "boolean" | "number";
  description: string;
  /** A text input with a drop-down list of options. */
  options?: readonly string[];
  /** Inputs are required unless this is false. */
  required?: boolean;
}

/** The designer's content hint per input type (real exports: TEXT, BOOLEAN, NUMBER). */
const CONTENT_HINT: Record<ChildFlowInput["type"], string> = { string: "TEXT", boolean: "BOOLEAN", number: "NUMBER" };

/**
 * The trigger schema of a child flow's inputs in the shape the designer writes them: each property
 * with `title`, `type`, `x-ms-dynamically-added: true`, `description` and `x-ms-content-hint`
 * (microsoft/powercat-business-approvals-kit, BACoreChildGetDynamicDataInstance-C2534955-….json),
 * so the "Run a Child Flow" card shows named inputs. The designer names the keys text, text_1, …;
 * these keep the names the flows read (`triggerBody()['table']`), which the schema allows.
 */
export function designerInputs(inputs: Record<string, ChildFlowInput>): Json {
  const properties: Record<string, Json> = {};
  for (const [key, i] of Object.entries(inputs)) {
    const p: Record<string, Json> = {
      title: i.title,
      type: i.type,
      "x-ms-dynamically-added": true,
      description: i.description,
      "x-ms-content-hint": CONTENT_HINT[i.type],
    };
    if (i.options) p.enum = [...i.options];
    properties[key] = p;
  }
  const required = Object.entries(inputs)
    .filter(([, i]) => i.required !== false)
    .map(([key]) => key);
  return { type: "object", properties, required };
}
