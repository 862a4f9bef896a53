import { ENV } from "../../../solution/src/model/handles";
/**
 * What the sync flows write on a record for a user to read (SPEC §4, §6.2, §8): plain sentences a
 * marketing admin understands, the technical detail after them. The flows build the same texts in
 * expressions (flows/product/sync/messages.ts); tests hold the two against each other.
 */

/** How many addresses a note names; the rest are counted. */
export const SKIPPED_EXAMPLES = 5;

/** The note of a sync that left people out for their address (normalized addresses, the first few), or null. */
export function skippedNote(count: number, examples: readonly string[]): string | null {
  if (count <= 0) return null;
  const who = count === 1 ? "1 person" : `${count} people`;
  const more = count > SKIPPED_EXAMPLES ? ", …" : "";
  return `${who} skipped: invalid e-mail (${examples.slice(0, SKIPPED_EXAMPLES).join(", ")}${more}). Correct the address in the CRM; the next sync adds them.`;
}

/**
 * The note of a sync that left people out because they unsubscribed from the group under an earlier
 * address (issue 15 item 11: CleverReach still holds their old receiver, deactivated or bounced, with
 * their CRM row in its group attributes), naming their current addresses, or null.
 */
export function declinedNote(count: number, examples: readonly string[]): string | null {
  if (count <= 0) return null;
  const who = count === 1 ? "1 person" : `${count} people`;
  const more = count > SKIPPED_EXAMPLES ? ", …" : "";
  return (
    `${who} skipped: unsubscribed from this CleverReach group under an earlier address (${examples.slice(0, SKIPPED_EXAMPLES).join(", ")}${more}). ` +
    "The unsubscribe holds for the new address too; only the person can subscribe again (a CleverReach form)."
  );
}

/** Where a failed step sent its call: what the sentence of a failure depends on. */
export type FailedService = "cleverreach" | "dataverse";

/**
 * The sentence for a failed call, by service and HTTP status (a marketing admin's words; the
 * technical detail follows it). Status 0: the step made no call (an expression, a loop, a limit).
 * One table, read by syncFailureText() and by the flows' expression (sync/messages.ts).
 */
export const FAILURE_SENTENCES = {
  cleverreach: {
    401:
      "CleverReach refused the connection (401): the sign-in of the CleverReach connection has expired or was revoked. " +
      "An administrator signs in again in the connection (Power Apps > Connections > CleverReach), then runs Update Synchronisation.",
    403:
      "CleverReach refused the request (403): the CleverReach account of the connection may not do this. " +
      "Ask your CleverReach administrator to check the app's rights, then run Update Synchronisation.",
    404:
      "CleverReach no longer has the group or a receiver (404): it was probably deleted in CleverReach while the sync ran. " +
      "Run Update Synchronisation again; it creates the group anew when it is gone.",
    429: "CleverReach is busy (429, too many requests) and still refused after several retries. Nothing is lost: run Update Synchronisation again later.",
    server: "CleverReach had a server error and still failed after several retries. Nothing is lost: run Update Synchronisation again later.",
    other: "CleverReach refused the request. Check the details below or ask an administrator; then run Update Synchronisation.",
  },
  dataverse: {
    any:
      "Dataverse refused a read or write of the sync: the flows' connection may lack rights, or a record was changed or deleted meanwhile. " +
      "An administrator checks the connection's security role (CleverReach Administrator); then run Update Synchronisation.",
  },
  none:
    "The sync stopped at the step named below (a call or a check inside it failed; the flow run shows which). " +
    "Nothing is lost: run Update Synchronisation again; if it fails the same way, send the details to an administrator.",
} as const;

/** What stands for a failed step's message when it has none (a container's failure carries none). */
export const NO_MESSAGE = "see the flow run for details";

/** How much of the technical detail a record keeps (Last sync error holds 4000 characters). */
export const FAILURE_DETAIL_CHARACTERS = 1500;

/** The sentence for a call CleverReach refused with `status` (FAILURE_SENTENCES.cleverreach). */
export function cleverReachSentence(status: number): string {
  const s = FAILURE_SENTENCES.cleverreach;
  return status === 401 || status === 403 || status === 404 || status === 429 ? s[status] : status >= 500 && status <= 599 ? s.server : s.other;
}

/** The text a failed sync writes on the record: the sentence, then the step and the service's answer. */
export function syncFailureText(f: { service: FailedService; status: number; step: string; message: string }): string {
  const s = FAILURE_SENTENCES;
  const sentence = f.status === 0 ? s.none : f.service === "dataverse" ? s.dataverse.any : cleverReachSentence(f.status);
  const status = f.status === 0 ? "" : ` (${f.status})`;
  const message = f.message === "" ? NO_MESSAGE : f.message.slice(0, FAILURE_DETAIL_CHARACTERS);
  return `CleverReach sync failed: ${sentence} Details: step ${f.step}${status}: ${message}`;
}

/**
 * A CleverReach call Sync group makes for many receivers at once, refused (issue 15 item 20): what
 * happened to them, in words. `upsert`: a batch of receivers to add or update (nobody is removed in
 * that run, since the sweep would take the unsent ones for unwanted); `remove`: removals of a page
 * of the sweep (the sweep stops there). The sentences for 400 and 413 say what CleverReach refuses
 * in a batch; every other status has the sentence of any CleverReach call.
 */
export const LOOP_FAILURES = {
  upsert: {
    step: "Upsert_receivers",
    /** "CleverReach refused <n receivers> to add or update in group <id>". */
    what: ["CleverReach refused ", " to add or update in group "],
    outcome: "They were not sent, and nobody was removed from the group in this run.",
  },
  remove: {
    step: "Remove_receiver",
    /** "CleverReach refused to remove <n receivers> from group <id>". */
    what: ["CleverReach refused to remove ", " from group "],
    outcome: "They are still in the group; the sweep stopped there.",
  },
} as const;

/**
 * The second write of a batch, which activates its new receivers (or, with double opt-in on, marks
 * them as asked to confirm), refused: they are in the group but inactive until a run gets it through.
 */
export const ACTIVATION_FAILURE = {
  step: "Activate_new",
  /** "CleverReach refused to activate <n receivers> just added to group <id>". */
  what: ["CleverReach refused to activate ", " just added to group "],
  outcome:
    "They are in the group but inactive (no newsletters yet), and nobody was removed in this run; " +
    "the next Update Synchronisation activates them (with double opt-in on: asks them to confirm).",
} as const;

export const BATCH_SENTENCES = {
  400:
    "CleverReach does not accept the data of a receiver in the batch (an address or a value, named in the details): " +
    "correct it in the CRM, then run Update Synchronisation.",
  413: "CleverReach found the batch too large (413). Send the details to an administrator; the next Update Synchronisation sends the receivers again.",
} as const;

const people = (n: number): string => (n === 1 ? "1 receiver" : `${n} receivers`);

/** The kinds of loopFailureText(): a batch refused, removals refused, a batch's activations refused. */
export type LoopFailureKind = keyof typeof LOOP_FAILURES | "activate";

export const loopFailureOf = (kind: LoopFailureKind) => (kind === "activate" ? ACTIVATION_FAILURE : LOOP_FAILURES[kind]);

export function loopFailureText(f: { kind: LoopFailureKind; group: string; count: number; status: number; message: string }): string {
  const l = loopFailureOf(f.kind);
  const sentence = f.kind === "upsert" && (f.status === 400 || f.status === 413) ? BATCH_SENTENCES[f.status] : cleverReachSentence(f.status);
  const message = f.message === "" ? NO_MESSAGE : f.message.slice(0, FAILURE_DETAIL_CHARACTERS);
  const what = `${l.what[0]}${people(f.count)}${l.what[1]}${f.group} (${f.status}).`;
  return `CleverReach sync failed: ${what} ${l.outcome} ${sentence} Details: step ${l.step} (${f.status}): ${message}`;
}

/**
 * A read Sync group makes a page at a time (or the sweep's renewal of the marks of receivers still
 * wanted), refused (after the retries): the run stops before the next stage, and the record says which read, for which group, what was done before it and what
 * was not, what to do, then the service's answer. The stages in the order a run reaches them.
 */
export const READ_FAILURES = {
  lists: {
    service: "dataverse",
    step: "Get_list",
    /** "<what[0]><group><what[1]>". */
    what: ["Dataverse refused to read a marketing list linked to this record, for CleverReach group ", ""],
    outcome: "Nothing was sent to or removed from the group in this run.",
  },
  declines: {
    service: "cleverreach",
    step: "Declines_page",
    what: ["CleverReach refused to read the unsubscribed receivers of group ", ""],
    outcome: "Nothing was sent to or removed from the group in this run: who unsubscribed must be known before anyone is sent.",
  },
  people: {
    service: "dataverse",
    step: "Read_people_page",
    what: ["Dataverse refused to read a page of the people for CleverReach group ", ""],
    outcome: "The people of the pages read before were sent; nobody was removed from the group in this run.",
  },
  count: {
    service: "cleverreach",
    step: "Count_page",
    what: ["CleverReach refused to read the active receivers of group ", " (to count the removals)"],
    outcome: "Everyone wanted was sent; nobody was removed in this run.",
  },
  sweep: {
    service: "cleverreach",
    step: "Active_page",
    what: ["CleverReach refused to read the active receivers of group ", " (to find those to remove)"],
    outcome: "Everyone wanted was sent; the removals stopped there (receivers removed before it stay removed).",
  },
  recheck: {
    service: "dataverse",
    step: "Recheck_people",
    what: ["Dataverse refused to re-read people before their removal from CleverReach group ", ""],
    outcome: "Everyone wanted was sent; nobody of that page was removed, and the removals stopped there.",
  },
  confirm: {
    service: "cleverreach",
    step: "Confirm_receivers",
    what: ["CleverReach refused to renew the mark of receivers still wanted in group ", ""],
    outcome: "Everyone wanted was sent and stays; the sweep stopped there (receivers removed before it stay removed).",
  },
} as const;

export type ReadStage = keyof typeof READ_FAILURES;

export function readFailureText(f: { stage: ReadStage; group: string; status: number; message: string }): string {
  const r = READ_FAILURES[f.stage];
  const sentence = r.service === "dataverse" ? FAILURE_SENTENCES.dataverse.any : cleverReachSentence(f.status);
  const message = f.message === "" ? NO_MESSAGE : f.message.slice(0, FAILURE_DETAIL_CHARACTERS);
  const what = `${r.what[0]}${f.group}${r.what[1]} (${f.status}).`;
  return `CleverReach sync failed: ${what} ${r.outcome} ${sentence} Details: step ${r.step} (${f.status}): ${message}`;
}

/**
 * The safety valve of a full sync (issue 15 item 19; flows/product/README.md, "Safety valve"): a
 * run that would remove more than half of a group of which it would remove more than 100 stops
 * before removing anyone, unless the record confirms it or the setting allows it.
 */
export const LARGE_REMOVAL = { moreThan: 100 } as const;

export function isLargeRemoval(removing: number, active: number): boolean {
  return removing > LARGE_REMOVAL.moreThan && removing * 2 > active;
}

/** What the record says when the safety valve stopped a sync. */
export function largeRemovalText(removing: number, active: number): string {
  return (
    `CleverReach sync stopped before removing anyone: it would remove up to ${removing} of the ${active} active receivers of the CleverReach group ` +
    `(more than half, and more than ${LARGE_REMOVAL.moreThan}). ` +
    LARGE_REMOVAL_ADVICE
  );
}

/** What to do about a large removal (the flows' text ends with the same). */
export const LARGE_REMOVAL_ADVICE =
  'If that is intended (the list was emptied or its newsletter types changed on purpose), set "Confirm large removal" to Yes on this record ' +
  "and run Update Synchronisation; the flow sets it back to No afterwards. " +
  "An administrator can allow such removals always with the environment variable " +
  `${ENV.allowLargeRemovals.schemaName} ("${ENV.allowLargeRemovals.displayName.en}").`;

/** The counts of GetGroupStats the receiver status names, in its order, with their words. */
export const STATUS_COUNTS = [
  { field: "total_count", words: "receivers" },
  { field: "active_count", words: "active" },
  { field: "inactive_count", words: "inactive (unsubscribed or blacklisted)" },
  { field: "bounce_count", words: "bounced" },
] as const;

/**
 * The record's receiver status from a group's statistics (issue 15 item 20): a count CleverReach
 * did not send is left out, never printed empty; without any, the text says so.
 */
export function receiverStatusText(groupId: string, stats: Record<string, unknown> | null | undefined): string {
  const parts = STATUS_COUNTS.filter((c) => stats?.[c.field] !== undefined && stats?.[c.field] !== null && String(stats?.[c.field]) !== "").map(
    (c) => `${String(stats?.[c.field])} ${c.words}`,
  );
  const counts = parts.length === 0 ? "no statistics from CleverReach" : parts.join(", ");
  return `CleverReach group ${groupId}: ${counts}. Who and why: see the Receiver States of this record.`;
}
