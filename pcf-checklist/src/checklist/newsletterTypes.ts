import { parseJson } from "./checklistJson";
import { ChecklistError, type ChecklistProblem } from "./errors";
import type { NewsletterType } from "./types";

export const NEWSLETTER_TYPES_VARIABLE = "clvr_NewsletterTypes";

/**
 * Reads the newsletter types configuration (see pcf-checklist/src/checklist/README.md,
 * "Newsletter types"): a JSON array of {id, description, position}.
 * Other keys are allowed because the shipped default is a full checklist (with state, modifiedby…).
 * `source` names where the JSON came from, so that the error tells a maker what to fix.
 */
export function parseNewsletterTypes(raw: string | null | undefined, source: string = NEWSLETTER_TYPES_VARIABLE): NewsletterType[] {
  const text = raw ?? "";
  const fail = (problem: ChecklistProblem): ChecklistError => new ChecklistError("configuration", source, problem, text);
  if (text.trim() === "") throw fail({ reason: "empty" });
  const data = parseJson(text, fail);
  if (!Array.isArray(data)) throw fail({ reason: "notArray" });
  const seen = new Set<number>();
  return data.map((item: unknown, entry): NewsletterType => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) throw fail({ reason: "notObject", entry });
    const { id, description, position } = item as Record<string, unknown>;
    if (typeof id !== "number" || !Number.isInteger(id)) throw fail({ reason: "idNotInteger", entry });
    if (seen.has(id)) throw fail({ reason: "idTwice", entry, id });
    seen.add(id);
    if (typeof description !== "string") throw fail({ reason: "notText", entry, id, key: "description" });
    if (description.trim() === "") throw fail({ reason: "descriptionEmpty", entry, id });
    if (typeof position !== "number" || !Number.isInteger(position)) throw fail({ reason: "positionNotInteger", entry, id });
    if (position < 0) throw fail({ reason: "positionNegative", entry, id });
    return { id, description, position };
  });
}
