import type { JsonSyntaxError } from "./jsonSyntax";

/** Which input was bad: the stored checklist column or the newsletter types configuration. */
export type ChecklistErrorKind = "checklist" | "configuration";

/**
 * What is wrong, as data rather than words, so that the control can say it in the user's language.
 * `entry` counts from 0 like the array; `id` is the entry's id once it is known to be one.
 */
export type ChecklistProblem =
  /** The configuration is empty (an empty checklist column is valid: nothing chosen). */
  | { reason: "empty" }
  /** Not JSON; `at` is where it stops being JSON, when that could be found. */
  | { reason: "json"; at?: JsonSyntaxError }
  | { reason: "notArray" }
  | { reason: "notObject"; entry: number }
  | { reason: "idNotInteger"; entry: number }
  | { reason: "idTwice"; entry: number; id: number }
  | { reason: "stateInvalid"; entry: number; id: number }
  | { reason: "notText"; entry: number; id: number; key: string }
  | { reason: "descriptionEmpty"; entry: number; id: number }
  | { reason: "positionNotInteger"; entry: number; id: number }
  | { reason: "positionNegative"; entry: number; id: number }
  /** The environment variable's definition is not in Dataverse. */
  | { reason: "variableMissing" }
  /** Dataverse refused the read: the user lacks a privilege on the environment variable tables. */
  | { reason: "noPermission"; serverMessage: string }
  /** The read failed for another reason (network, server). */
  | { reason: "readFailed"; serverMessage: string }
  /** The host has no Web API, so only the form property `property` can configure the types. */
  | { reason: "noWebApi"; property: string };

/** The problem in English, for the error's message (logs, the flows' tests). */
function englishDetail(kind: ChecklistErrorKind, p: ChecklistProblem): string {
  const entry = "entry" in p ? `${kind === "checklist" ? "row" : "entry"} ${p.entry}` : "";
  const entryWithId = "id" in p ? `${entry} (id ${p.id})` : entry;
  switch (p.reason) {
    case "empty":
      return "has no value";
    case "json": {
      const where = p.at
        ? p.at.found === undefined
          ? `: unexpected end at line ${p.at.line}, column ${p.at.column}`
          : `: unexpected ${JSON.stringify(p.at.found)} at line ${p.at.line}, column ${p.at.column}`
        : "";
      return `${kind === "checklist" ? "" : "is "}not valid JSON${where}`;
    }
    case "notArray":
      return kind === "checklist" ? "expected a JSON array of rows" : "must be a JSON array of newsletter types";
    case "notObject":
      return `${entry} is not an object`;
    case "idNotInteger":
      return `${entry}: id must be an integer`;
    case "idTwice":
      return `${entry}: id ${p.id} appears twice`;
    case "stateInvalid":
      return `${entryWithId}: state must be 0, 1 or 2`;
    case "notText":
      return `${entryWithId}: ${p.key} must be a string`;
    case "descriptionEmpty":
      return `${entryWithId}: description must be a non-empty text`;
    case "positionNotInteger":
      return `${entryWithId}: position must be ${kind === "checklist" ? "an integer" : "a whole number from 0"}`;
    case "positionNegative":
      return `${entryWithId}: position must be a whole number from 0`;
    case "variableMissing":
      return "the environment variable does not exist (is the CleverReach solution imported?)";
    case "noPermission":
      return `the user may not read it (${p.serverMessage})`;
    case "readFailed":
      return `could not be read (${p.serverMessage})`;
    case "noWebApi":
      return `cannot be read here: this host offers no Web API (set the form property ${p.property} instead)`;
  }
}

/**
 * A value that the checklist format or the newsletter types configuration does not allow (see
 * pcf-checklist/src/checklist/README.md, "Invalid values"). It carries the raw text so that the
 * caller can show it and keep it: the control must never overwrite a value it could not read.
 */
export class ChecklistError extends Error {
  /** What is wrong, in English, for logs. The control shows `problem` in the user's language instead. */
  readonly detail: string;

  constructor(
    readonly kind: ChecklistErrorKind,
    /** Where the value came from, e.g. the column or `clvr_NewsletterTypes`. */
    readonly source: string,
    readonly problem: ChecklistProblem,
    /** The value exactly as it was read. */
    readonly raw: string,
  ) {
    const detail = englishDetail(kind, problem);
    super(`${source}: ${detail}`);
    this.detail = detail;
    this.name = "ChecklistError";
  }
}
