import { ChecklistError, type ChecklistProblem } from "./errors";
import { findJsonSyntaxError } from "./jsonSyntax";
import { CHECKLIST_STATES, type ChecklistRow, type ChecklistState } from "./types";

export const CHECKLIST_COLUMN = "clvr_newsletterchecklist";

const KNOWN_KEYS = ["id", "state", "description", "modifiedby", "modifiedon", "position"] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isState(v: unknown): v is ChecklistState {
  return (CHECKLIST_STATES as readonly unknown[]).includes(v);
}

/**
 * Reads the stored checklist (see pcf-checklist/src/checklist/README.md, "Format").
 * Empty or missing means "all 0", i.e. no rows. Anything that
 * is not an array of rows with a unique integer id and a state 0/1/2 is a ChecklistError: a wrong
 * guess here would later be written back over the user's data.
 */
export function parseChecklist(raw: string | null | undefined, source: string = CHECKLIST_COLUMN): ChecklistRow[] {
  const text = raw ?? "";
  if (text.trim() === "") return [];
  const fail = (problem: ChecklistProblem): ChecklistError => new ChecklistError("checklist", source, problem, text);
  const data = parseJson(text, fail);
  if (!Array.isArray(data)) throw fail({ reason: "notArray" });
  const seen = new Set<number>();
  return data.map((item: unknown, entry): ChecklistRow => {
    if (!isRecord(item)) throw fail({ reason: "notObject", entry });
    const { id, state, description = "", modifiedby = "", modifiedon = "", position = 0 } = item;
    if (typeof id !== "number" || !Number.isInteger(id)) throw fail({ reason: "idNotInteger", entry });
    if (seen.has(id)) throw fail({ reason: "idTwice", entry, id });
    seen.add(id);
    if (!isState(state)) throw fail({ reason: "stateInvalid", entry, id });
    for (const [key, v] of Object.entries({ description, modifiedby, modifiedon })) {
      if (typeof v !== "string") throw fail({ reason: "notText", entry, id, key });
    }
    if (typeof position !== "number" || !Number.isInteger(position)) throw fail({ reason: "positionNotInteger", entry, id });
    const row: ChecklistRow = {
      id,
      state,
      description: description as string,
      modifiedby: modifiedby as string,
      modifiedon: modifiedon as string,
      position,
    };
    const extraKeys = Object.keys(item).filter((k) => !(KNOWN_KEYS as readonly string[]).includes(k));
    if (extraKeys.length > 0) row.extra = Object.fromEntries(extraKeys.map((k) => [k, item[k]]));
    return row;
  });
}

/** JSON.parse, failing with where the text stops being JSON (the engine's message is English only). */
export function parseJson(text: string, fail: (problem: ChecklistProblem) => ChecklistError): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw fail({ reason: "json", at: findJsonSyntaxError(text) });
  }
}

/**
 * Writes the checklist the way the original does: compact JSON, keys id, state, description,
 * modifiedby, modifiedon, position (then any unknown keys that were read), so that the original
 * web resource and the flows read it unchanged.
 */
export function serializeChecklist(rows: readonly ChecklistRow[]): string {
  return JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      state: r.state,
      description: r.description,
      modifiedby: r.modifiedby,
      modifiedon: r.modifiedon,
      position: r.position,
      ...r.extra,
    })),
  );
}
