import { ChecklistError } from "./errors";
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
  const fail = (detail: string): ChecklistError => new ChecklistError("configuration", source, detail, text);
  if (text.trim() === "") throw fail("has no value");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw fail(`is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!Array.isArray(data)) throw fail("must be a JSON array of newsletter types");
  const seen = new Set<number>();
  return data.map((item: unknown, i): NewsletterType => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) throw fail(`entry ${i} is not an object`);
    const { id, description, position } = item as Record<string, unknown>;
    if (typeof id !== "number" || !Number.isInteger(id)) throw fail(`entry ${i}: id must be an integer`);
    if (seen.has(id)) throw fail(`entry ${i}: id ${id} appears twice`);
    seen.add(id);
    if (typeof description !== "string" || description.trim() === "") throw fail(`entry ${i} (id ${id}): description must be a non-empty text`);
    if (typeof position !== "number" || !Number.isInteger(position) || position < 0) {
      throw fail(`entry ${i} (id ${id}): position must be a whole number from 0`);
    }
    return { id, description, position };
  });
}
