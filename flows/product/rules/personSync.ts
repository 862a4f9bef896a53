import { cleverReachSentence, FAILURE_DETAIL_CHARACTERS, FAILURE_SENTENCES, NO_MESSAGE } from "./messages";

/**
 * What a person run (CleverReach - Contact/Lead changed) writes in the sync log and on the person
 * (flows/product/events/personEventFlows/personSyncLog.ts builds the same texts in expressions; the
 * tests hold the two against each other).
 */

/** The CleverReach calls a person run makes for one group, and what each does in words. */
export const PERSON_GROUP_CALLS = {
  lookup: { step: "Find_receiver", what: "Reading the receiver from" },
  add: { step: "Add_receiver", what: "Adding the receiver to" },
  update: { step: "Update_receiver", what: "Updating the receiver in" },
  remove: { step: "Remove_receiver", what: "Removing the receiver from" },
  removePerson: { step: "Remove_person_receiver", what: "Removing the receiver from" },
} as const;

export type PersonGroupCall = keyof typeof PERSON_GROUP_CALLS;

/**
 * A call for one group that CleverReach refused (past the connector's retries): which call, which
 * group, the sentence for the status (rules/messages.ts), and CleverReach's answer. Status 0: no
 * answer at all (the call timed out).
 */
export function personGroupFailureText(f: { call: PersonGroupCall; group: string; status: number; message: string }): string {
  const c = PERSON_GROUP_CALLS[f.call];
  const sentence = f.status === 0 ? FAILURE_SENTENCES.none : cleverReachSentence(f.status);
  const message = f.message === "" ? NO_MESSAGE : f.message.slice(0, FAILURE_DETAIL_CHARACTERS);
  return `${c.what} CleverReach group ${f.group} failed: ${sentence} Details: step ${c.step} (${f.status}): ${message}`;
}

/** A group whose handling stopped at a step the run noted nothing for (a Dataverse read, a child flow). */
export function personGroupStoppedText(group: string): string {
  return (
    `The update of this person in CleverReach group ${group} stopped at a step that failed (the flow run shows which). ` +
    "The nightly sync brings the person in line there; to do it now, save the person again."
  );
}

/** Why a person run left a group to CleverReach - Sync group (the sync log's "Why skipped"). */
export const HANDED_TO_SYNC_GROUP = {
  doubleOptIn:
    "Handed to CleverReach - Sync group: the person is new in the group and double opt-in is on, " +
    "so Sync group adds them and asks for the confirmation mail (its own row follows).",
  sharedAddress:
    "Handed to CleverReach - Sync group: another contact or lead has the same address, so Sync group decides whether the receiver stays (its own row follows).",
} as const;

export type HandedReason = keyof typeof HANDED_TO_SYNC_GROUP;

export interface PersonNames {
  firstname?: string | null;
  lastname?: string | null;
  emailaddress1?: string | null;
}

/** The person a sync log row of a person run names: "Ann Smith <ann@example.com> (contact <id>)", or "contact <id>" once deleted. */
export function personLabel(table: string, id: string, person: PersonNames | null): string {
  const ref = `${table} ${id}`;
  if (person === null) return ref;
  const name = `${person.firstname ?? ""} ${person.lastname ?? ""}`.trim();
  return `${name} <${person.emailaddress1 ?? ""}> (${ref})`;
}
