import { CHECKLIST_STATE, ChecklistError, parseChecklist, type ChecklistRow } from "../../../pcf-checklist/src/checklist";
import { ENV } from "../../../solution/src/model/handles";
import { isSendableEmail } from "./addresses";

/**
 * Who becomes a receiver of a group (see flows/product/README.md, "Eligibility").
 * The flows apply the same rule inside the
 * Dataverse query (through the derived accepted-types column); tests use these functions as the
 * oracle for what the flows must produce.
 */

/** The newsletter types a group's record sends (state 1) and excludes (state 2). */
export interface GroupSelection {
  accepted: number[];
  declined: number[];
}

export function groupSelection(recordChecklist: readonly ChecklistRow[]): GroupSelection {
  return {
    accepted: recordChecklist.filter((r) => r.state === CHECKLIST_STATE.accepted).map((r) => r.id),
    declined: recordChecklist.filter((r) => r.state === CHECKLIST_STATE.declined).map((r) => r.id),
  };
}

/**
 * What a record whose checklist cannot be read gets told (the flows write the same on the record,
 * followed by the first row they could not read). A record's checklist decides who is sent mail, so
 * a value that is not exactly rows of a whole-number id and a number state 0/1/2 is a
 * configuration error: read loosely it could empty a group ("state":"1" selects nobody) or, spliced
 * into a query, select people who declined (issue 15, items 5 and 19).
 */
export const RECORD_CHECKLIST_ERROR =
  "The newsletter checklist of this record is not valid: it must be a JSON array of rows, each with a whole-number id (each id once) " +
  "and a state of 0, 1 or 2 written as a number. Nothing was sent to CleverReach and nobody was removed; correct the checklist " +
  "(in the checklist control of the record's form) and sync again.";

/**
 * The record's selection, or undefined when its checklist is not one the flows act on. Only the
 * keys that decide eligibility are checked here (id and state, array of objects, ids once), as
 * the flows check them.
 */
export function recordSelection(text: string | null | undefined): GroupSelection | undefined {
  try {
    return groupSelection(parseChecklist(text));
  } catch (e) {
    if (e instanceof ChecklistError && ["notText", "positionNotInteger"].includes(e.problem.reason)) {
      return groupSelection(JSON.parse(text ?? "[]") as ChecklistRow[]);
    }
    if (e instanceof ChecklistError) return undefined;
    throw e;
  }
}

/** The derived column value: accepted type ids as `,0,3,` (empty when none), queryable with like. */
export function acceptedTypesKey(personChecklist: readonly ChecklistRow[]): string {
  const ids = personChecklist
    .filter((r) => r.state === CHECKLIST_STATE.accepted)
    .map((r) => r.id)
    .sort((a, b) => a - b);
  return ids.length === 0 ? "" : `,${ids.join(",")},`;
}

export function acceptedIds(key: string | null | undefined): number[] {
  return (key ?? "")
    .split(",")
    .filter((s) => s !== "")
    .map(Number);
}

/**
 * Tables whose people can be transferred
 * (the transfer tables setting; solution/src/model/README.md, "Environment variables").
 */
export type TransferTable = "contact" | "account" | "lead";
export const TRANSFER_TABLES: readonly TransferTable[] = ["contact", "account", "lead"];

const ALLOWED_TABLES = `${TRANSFER_TABLES.slice(0, -1).join(", ")} and ${TRANSFER_TABLES[TRANSFER_TABLES.length - 1]}`;

/**
 * What a transfer-tables setting that is not valid gets told, on the record and in the run (the
 * flows say the same): which variable, what is wrong, what is expected and what to do (SPEC §4).
 */
export const TRANSFER_SETTING_ERROR =
  `The environment variable ${ENV.transferTables.schemaName} ("${ENV.transferTables.displayName.en}") is not valid, so nothing was synced. ` +
  `It must be JSON like {"tables": ["contact", "account", "lead"]}, naming at least one of ${ALLOWED_TABLES}, each once ` +
  '(the older form ["contact", ...] is read too). ' +
  "An administrator corrects its value under Solutions > Environment variables; then run Update Synchronisation.";

/**
 * The tables of the transfer-tables setting as stored (JSON text): `{"tables": [...]}`, or the
 * older bare array a user may have set before the object form; anything else, a table not in
 * TRANSFER_TABLES, or no table at all (an empty list would silently empty every group: issue 15
 * item 19), is a problem.
 */
export function transferTablesFrom(text: string): { tables: TransferTable[] } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: TRANSFER_SETTING_ERROR };
  }
  const tables: unknown = Array.isArray(value) ? value : value && typeof value === "object" ? (value as { tables?: unknown }).tables : undefined;
  // The flows compare intersection() with the list, so a table named twice does not pass either.
  if (
    !Array.isArray(tables) ||
    tables.length === 0 ||
    new Set(tables).size !== tables.length ||
    tables.some((t) => !TRANSFER_TABLES.includes(t as TransferTable))
  ) {
    return { problem: TRANSFER_SETTING_ERROR };
  }
  return { tables: tables as TransferTable[] };
}

/** The address rule lives in addresses.ts (trimmed, compared case-insensitively); re-exported for the tests that use it from here. */
export { isValidEmail } from "./addresses";

export interface Candidate {
  /** The table the person came from ("account" for an account's primary contact). */
  via: TransferTable;
  active: boolean;
  email: string | null | undefined;
  acceptedTypes: string | null | undefined;
}

export function isEligible(c: Candidate, selection: GroupSelection, transferTables: readonly TransferTable[]): boolean {
  if (!transferTables.includes(c.via) || !c.active || !isSendableEmail(c.email)) return false;
  const accepted = new Set(acceptedIds(c.acceptedTypes));
  return selection.accepted.some((id) => accepted.has(id)) && !selection.declined.some((id) => accepted.has(id));
}
