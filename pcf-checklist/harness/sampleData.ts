import { serializeChecklist, type ChecklistRow, type NewsletterType } from "../src/checklist";

/**
 * What `npm start` puts into the test harness, chosen so that one look shows the control's rules:
 * rows in position order, an accepted and a declined row with who/when under the label, a configured
 * type not stored yet (shown unchosen), and a stored row no longer configured (hidden, kept).
 */
export const SAMPLE_NEWSLETTER_TYPES: readonly NewsletterType[] = [
  { id: 0, description: "Information", position: 1 },
  { id: 1, description: "Werbung und Spiele", position: 0 },
  { id: 2, description: "Events", position: 2 },
];

const SAMPLE_ROWS: readonly ChecklistRow[] = [
  { id: 0, state: 1, description: "Information", modifiedby: "Erika Mustermann", modifiedon: "2026-01-02T09:15:00.000Z", position: 1 },
  { id: 1, state: 2, description: "Werbung und Spiele", modifiedby: "Max Mustermann", modifiedon: "2026-02-03T14:30:00.000Z", position: 0 },
  { id: 7, state: 1, description: "Retired newsletter", modifiedby: "Erika Mustermann", modifiedon: "2025-06-01T08:00:00.000Z", position: 3 },
];

/** The bound column's value, in the stored format (compact, the original's key order). */
export const SAMPLE_CHECKLIST = serializeChecklist(SAMPLE_ROWS);

/** The form's newsletterTypes property; the harness has no Web API for the environment variable. */
export const SAMPLE_NEWSLETTER_TYPES_JSON = JSON.stringify(SAMPLE_NEWSLETTER_TYPES);

/** Row labels as the harness should show them: configured types in position order. */
export const SAMPLE_VISIBLE_ROWS: readonly string[] = [...SAMPLE_NEWSLETTER_TYPES].sort((a, b) => a.position - b.position).map((t) => t.description);
