/**
 * A row's choice as stored (SPEC §5): nothing chosen, accepted / sent (green check), declined /
 * excluded (red cross). The numbers are the stored format; the control, the rules and the flows'
 * expressions all take them from here.
 */
export const CHECKLIST_STATE = { notChosen: 0, accepted: 1, declined: 2 } as const;
export type ChecklistState = (typeof CHECKLIST_STATE)[keyof typeof CHECKLIST_STATE];

/** Every state in the order the control shows them. */
export const CHECKLIST_STATES: readonly ChecklistState[] = [CHECKLIST_STATE.notChosen, CHECKLIST_STATE.accepted, CHECKLIST_STATE.declined];

/** One row of the stored checklist JSON (SPEC §5), keys in the order the original writes them. */
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

/** One configured newsletter type (the clvr_NewsletterTypes environment variable, SPEC §4). */
export interface NewsletterType {
  id: number;
  description: string;
  position: number;
}
