/** A row's choice: 0 nothing chosen, 1 accepted / sent (green check), 2 declined / excluded (red cross). */
export type ChecklistState = 0 | 1 | 2;

export const CHECKLIST_STATES: readonly ChecklistState[] = [0, 1, 2];

/**
 * One row of the stored checklist JSON, keys in the order the original writes them
 * (pcf-checklist/src/checklist/README.md, "Format").
 */
export interface ChecklistRow {
  id: number;
  state: ChecklistState;
  description: string;
  modifiedby: string;
  modifiedon: string;
  position: number;
  /** Keys the original format does not know, kept so that nothing stored is lost. */
  extra?: Record<string, unknown>;
}

/** One configured newsletter type (clvr_NewsletterTypes; pcf-checklist/src/checklist/README.md, "Newsletter types"). */
export interface NewsletterType {
  id: number;
  description: string;
  position: number;
}
