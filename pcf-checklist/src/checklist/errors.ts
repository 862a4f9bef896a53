/** Which input was bad: the stored checklist column or the newsletter types configuration. */
export type ChecklistErrorKind = "checklist" | "configuration";

/**
 * A value that the checklist format or the newsletter types configuration does not allow (see
 * pcf-checklist/src/checklist/README.md, "Invalid values"). It carries the raw text so that the
 * caller can show it and keep it: the control must never overwrite a value it could not read.
 */
export class ChecklistError extends Error {
  constructor(
    readonly kind: ChecklistErrorKind,
    /** Where the value came from, e.g. the column or `clvr_NewsletterTypes`. */
    readonly source: string,
    /** What is wrong, in English, for logs and the control's details line. */
    readonly detail: string,
    /** The value exactly as it was read. */
    readonly raw: string,
  ) {
    super(`${source}: ${detail}`);
    this.name = "ChecklistError";
  }
}
