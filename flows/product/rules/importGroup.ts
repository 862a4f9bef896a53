import { CHECKLIST_STATE, type ChecklistRow } from "../../../pcf-checklist/src/checklist";
import { ENV } from "../../../solution/src/model/handles";
import { CLEVERREACH_AUTHOR } from "./receiverStates";

/**
 * Importing a CleverReach group into a marketing list (flows/product/README.md, "Import a CleverReach
 * group"), as plain functions: the tests' oracle for the import flow's expressions and texts.
 */

/** What the import does with an active receiver no contact or lead of the list's kind has (ENV.importUnmatched). */
export type UnmatchedMode = "create" | "log";

/** The setting's value, read as the flow reads it (case and surrounding spaces ignored), or undefined when it is neither. */
export function unmatchedMode(value: string | null | undefined): UnmatchedMode | undefined {
  const v = (value ?? "").trim().toLowerCase();
  return v === "create" || v === "log" ? v : undefined;
}

export const UNMATCHED_SETTING_ERROR =
  `${ENV.importUnmatched.schemaName} must be create or log, not the value it has now. ` +
  "An administrator sets it in the solution's environment variables (create: a contact or lead is made for each receiver no one in the CRM has; " +
  "log: they are only listed in the sync log); nothing was imported.";

/** The most characters the group column holds: a longer value cannot be typed in. */
export const IMPORT_GROUP_MAX = 100;

export const IMPORT_TEXTS = {
  noGroupGiven:
    "Enter the id or the exact name of a CleverReach group in Import from CleverReach group, save the list, " +
    "then run Import from CleverReach again; nothing was imported.",
  dynamicList:
    "A dynamic marketing list takes its members from its query, so a CleverReach group cannot be imported into it; " +
    "import into a static list of contacts or leads. Nothing was imported.",
  inactiveList: "This marketing list is inactive; activate it, then import again. Nothing was imported.",
  accountList:
    "A marketing list of accounts cannot take CleverReach receivers (they are people); import into a static list of contacts or leads. Nothing was imported.",
  noTypes:
    "This list sends no newsletter type, so the imported people would accept nothing: " +
    "tick at least one type in its Newsletter checklist, then import again. Nothing was imported.",
  unreadableChecklist:
    "The newsletter checklist of this list is not valid JSON, so the import cannot tell which types the imported people accept; " +
    "correct it in the checklist control, then import again. Nothing was imported.",
  noSuchGroup: (given: string): string =>
    `CleverReach has no group with the id or the exact name "${given}". ` +
    "Check Import from CleverReach group (names are compared exactly, with their case); nothing was imported.",
  severalGroups: (given: string, ids: string): string =>
    `CleverReach has several groups named "${given}" (ids ${ids}). Enter the id of the one to import in Import from CleverReach group; nothing was imported.`,
  otherGroupLinked: (linked: string, chosen: string): string =>
    `This list is already linked to CleverReach group ${linked}, so it cannot take group ${chosen} as well; import into a new list. Nothing was imported.`,
  ownedByAnother: (chosen: string, owner: string): string =>
    `CleverReach group ${chosen} belongs to another record of the CRM (${owner}); an import never takes a group from another record. Nothing was imported.`,
  claimLost: (chosen: string): string => `CleverReach group ${chosen} was claimed by another record while this import started; nothing was imported.`,
} as const;

/**
 * The group the user named: a group whose id is the text (digits only), else the groups of exactly
 * that name (CleverReach's own integration core finds its group by exact name, Proxy::getGroupId).
 */
export function chooseGroup(given: string, groups: ReadonlyArray<{ id: string | number; name: string }>): { id: string } | { problem: string } {
  const text = given.trim();
  if (text === "") return { problem: IMPORT_TEXTS.noGroupGiven };
  const byId = /^[0-9]+$/.test(text) ? groups.filter((g) => String(g.id) === text) : [];
  if (byId[0]) return { id: String(byId[0].id) };
  const byName = groups.filter((g) => g.name === text);
  if (byName.length === 0) return { problem: IMPORT_TEXTS.noSuchGroup(text) };
  if (byName.length > 1)
    return {
      problem: IMPORT_TEXTS.severalGroups(text, byName.map((g) => String(g.id)).join(", ")),
    };
  return { id: String(byName[0]!.id) };
}

/** Why a matched person's checklist was left as it was. */
export type ImportSkip = "declinedInCrm" | "declinedInCleverReach";

/**
 * A matched person's checklist after the import: each type the list sends (state 1) becomes accepted
 * (1) with modifiedby "CleverReach" and `when`, a missing row is added so (with the list's description
 * and position), and rows already accepted keep their stamp. A type the person declined (2), or
 * CleverReach declined for them (`declinedByCleverReach`, the Declines from CleverReach column), is never
 * overridden. `skip` says why nothing could be accepted, when nothing was.
 */
export function acceptListTypes(
  person: readonly ChecklistRow[],
  list: readonly ChecklistRow[],
  declinedByCleverReach: readonly number[],
  when: string,
): { rows: ChecklistRow[]; changed: boolean; skip?: ImportSkip } {
  const sent = list.filter((r) => r.state === CHECKLIST_STATE.accepted);
  const ownDeclines = new Set(person.filter((r) => r.state === CHECKLIST_STATE.declined).map((r) => r.id));
  const crDeclines = new Set(declinedByCleverReach);
  const wanted = sent.filter((r) => !ownDeclines.has(r.id) && !crDeclines.has(r.id));
  const already = new Set(person.filter((r) => r.state === CHECKLIST_STATE.accepted).map((r) => r.id));
  const toSet = new Set(wanted.filter((r) => !already.has(r.id)).map((r) => r.id));
  const stamp = (r: ChecklistRow): ChecklistRow => ({ ...r, state: CHECKLIST_STATE.accepted, modifiedby: CLEVERREACH_AUTHOR, modifiedon: when });
  const have = new Set(person.map((r) => r.id));
  const rows = [...person.map((r) => (toSet.has(r.id) ? stamp(r) : r)), ...wanted.filter((r) => toSet.has(r.id) && !have.has(r.id)).map(stamp)];
  const skip: ImportSkip | undefined = wanted.length > 0 ? undefined : sent.some((r) => crDeclines.has(r.id)) ? "declinedInCleverReach" : "declinedInCrm";
  return { rows, changed: toSet.size > 0, skip };
}

/** What the import counts as left out, and its words for one and for several (`#` is the number). */
export const IMPORT_SKIPS = [
  { key: "declinedInCrm", one: "1 person declined the list's types in the CRM", many: "# people declined the list's types in the CRM" },
  { key: "declinedInCleverReach", one: "1 person is declined for them in CleverReach", many: "# people are declined for them in CleverReach" },
  { key: "unreadable", one: "1 person's checklist or declines are not valid JSON", many: "# people's checklists or declines are not valid JSON" },
  { key: "notWritten", one: "1 person's checklist could not be written", many: "# people's checklists could not be written" },
  { key: "invalid", one: "1 receiver has an invalid e-mail address", many: "# receivers have an invalid e-mail address" },
  { key: "bounced", one: "1 active receiver has bounced", many: "# active receivers have bounced" },
  { key: "inactive", one: "1 receiver is inactive in CleverReach", many: "# receivers are inactive in CleverReach" },
  { key: "notCreated", one: "1 person could not be created", many: "# people could not be created" },
  { key: "listed", one: "1 receiver is in no contact or lead (see Not in the CRM)", many: "# receivers are in no contact or lead (see Not in the CRM)" },
] as const;

export type ImportSkipCounts = Record<(typeof IMPORT_SKIPS)[number]["key"], number>;

export const IMPORT_SKIPPED_PREFIX = "Not imported as accepted: ";

/** The sync log's words for what the import left out (the Why skipped column), or "" when nothing was. */
export function importSkippedText(c: ImportSkipCounts): string {
  const parts = IMPORT_SKIPS.filter((x) => c[x.key] > 0).map((x) => (c[x.key] === 1 ? x.one : x.many.replace("#", String(c[x.key]))));
  return parts.length === 0 ? "" : `${IMPORT_SKIPPED_PREFIX}${parts.join("; ")}.`;
}
