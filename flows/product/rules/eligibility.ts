import { CHECKLIST_STATE, ChecklistError, parseChecklist, type ChecklistRow } from "../../../pcf-checklist/src/checklist";
import { ENV } from "../../../solution/src/model/handles";
import { isSendableEmail } from "./addresses";
import { readDeclines } from "./receiverStates";

/**
 * Who becomes a receiver of a group (see flows/product/README.md, "Eligibility").
 * Sync group applies the same rule to each person's checklist JSON (one XPath per row:
 * flows/product/sync/syncGroupFlow/personChecklist.ts); tests use these functions as the oracle for
 * what the flows must produce.
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

/** What Sync group writes on the record when a dynamic list's stored query cannot be read as one FetchXML query (then the list ids). */
export const UNREADABLE_QUERY_ERROR =
  "CleverReach sync failed at Queries_unreadable: the stored query of a dynamic marketing list is not one FetchXML query " +
  "of the list's member table that can be read safely (a comment, a second entity or another table); nothing was sent " +
  "and nobody was removed. Open the list, save its query again in the query designer, and sync again. Lists: ";

/** How Sync group says on the record that people were left out because their checklist cannot be read (after the number). */
export const UNREADABLE_CHECKLISTS_NOTE =
  " people skipped: their newsletter checklist or CleverReach's declines on them is not valid JSON (a JSON array of rows with " +
  "whole-number ids and states 0, 1 or 2); correct it on the person and sync again.";

/**
 * Compact JSON keys whose value XPath cannot tell apart from a number: the flows refuse these
 * anywhere in the value (also inside keys the format does not know), so the oracle does too.
 */
const TYPED_AS_TEXT = ['"id":"', '"state":"', '"id":[', '"state":['];

/**
 * A person's accepted newsletter types as Sync group reads them from the source of truth
 * (flows/product/README.md, "Eligibility"): the checklist's state-1 ids, less the types
 * CleverReach declined (the declines column). Undefined when either cannot be read: such a
 * person is skipped and counted, never the cause of a failed group.
 */
export function personAcceptedTypes(checklist: string | null | undefined, declines: string | null | undefined): number[] | undefined {
  let rows: ChecklistRow[];
  try {
    rows = parseChecklist(checklist);
  } catch (e) {
    if (!(e instanceof ChecklistError) || !["notText", "positionNotInteger"].includes(e.problem.reason)) return undefined;
    rows = JSON.parse(checklist ?? "[]") as ChecklistRow[];
  }
  const d = readDeclines(declines);
  if ("problem" in d) return undefined;
  const compact = [checklist, declines].map((t) => (t && t.trim() !== "" ? JSON.stringify(JSON.parse(t)) : ""));
  if (TYPED_AS_TEXT.some((k) => compact[0]!.includes(k)) || ['"id":"', '"id":['].some((k) => compact[1]!.includes(k))) return undefined;
  const declined = new Set(d.declines.map((x) => x.id));
  return rows.filter((r) => r.state === CHECKLIST_STATE.accepted && !declined.has(r.id)).map((r) => r.id);
}

/** Whether the derived column holds exactly the checklist's accepted ids less CleverReach's declines (in any order). */
export function indexIsCurrent(key: string | null | undefined, checklistRows: readonly ChecklistRow[], declines?: string | null): boolean {
  const stored = new Set(acceptedIds(key));
  const declined = new Set(readDeclinedIds(declines));
  const accepted = checklistRows.filter((r) => r.state === CHECKLIST_STATE.accepted && !declined.has(r.id)).map((r) => r.id);
  return stored.size === accepted.length && acceptedIds(key).length === accepted.length && accepted.every((id) => stored.has(id));
}

const readDeclinedIds = (declines: string | null | undefined): number[] => {
  const d = readDeclines(declines);
  return "problem" in d ? [] : d.declines.map((x) => x.id);
};

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
  /** The person's checklist JSON, as stored. */
  checklist: string | null | undefined;
  /** CleverReach's declines on the person (COLUMNS.cleverReachDeclines), as stored. */
  declines?: string | null | undefined;
}

/** The rule Sync group applies (flows/product/README.md, "Eligibility"); the derived column plays no part. */
export function isEligible(c: Candidate, selection: GroupSelection, transferTables: readonly TransferTable[]): boolean {
  if (!transferTables.includes(c.via) || !c.active || !isSendableEmail(c.email)) return false;
  const types = personAcceptedTypes(c.checklist, c.declines);
  if (types === undefined) return false;
  const accepted = new Set(types);
  return selection.accepted.some((id) => accepted.has(id)) && !selection.declined.some((id) => accepted.has(id));
}
