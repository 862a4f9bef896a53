import { CHECKLIST_STATE, type ChecklistRow } from "../../../pcf-checklist/src/checklist";
import { product } from "../../../solution/src/model/product";

/**
 * CleverReach → CRM rules (see flows/product/cleverreachToCrm/cleverreach-to-crm.md,
 * and flows/product/README.md, "Never re-activated") as plain functions. The CleverReachToCrm and Receiver
 * State flows express the same rules; tests use these as the oracle.
 */

/** Choice values of the Receiver State column State (the model's option offsets under the publisher's value prefix). */
const option = (offset: number): number => product.publisher.optionValuePrefix * 10000 + offset;
export const RECEIVER_STATE = { active: option(0), unsubscribed: option(1), bounced: option(2), blacklisted: option(3), deleted: option(4) } as const;

/**
 * The last event of a Receiver State row for a person who confirmed the double opt-in mail (state
 * Active; README.md, "Double opt-in"). Awaiting confirmation is no state: such a receiver gets no row.
 */
export const CONFIRMED_EVENT = "confirmed (double opt-in)";

/** States that turn the person's checklist red for the group's types and keep them out of the group. */
export const DECLINING_STATES: readonly number[] = [RECEIVER_STATE.unsubscribed, RECEIVER_STATE.bounced, RECEIVER_STATE.blacklisted];

/**
 * The name CleverReach-originated checklist changes carry in modifiedby
 * (pcf-checklist/src/checklist/README.md, "Format").
 */
export const CLEVERREACH_AUTHOR = "CleverReach";

const digits = (n: number | string, width: number): string => {
  const s = String(n);
  if (!/^\d+$/.test(s) || s.length > width) throw new Error(`${s} is not a whole number of at most ${width} digits`);
  return s.padStart(width, "0");
};

/**
 * A row id made from two CleverReach ids, so that every run writes the same row (UpdateRecord
 * upserts by id): decimal digits are hex digits, 16 for each id. Workflow expressions have no hash
 * function, so a name-based (v5) guid of the e-mail address cannot be computed inside a flow.
 */
export function idFromNumbers(a: number | string, b: number | string): string {
  const x = digits(a, 16);
  const y = digits(b, 16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${y.slice(0, 4)}-${y.slice(4)}`;
}

/** Receiver State row id: one row per (group, receiver). */
export const receiverStateId = (groupId: number | string, receiverId: number | string): string => idFromNumbers(groupId, receiverId);
/** Mailing Result row id: one row per (mailing, receiver). */
export const mailingResultId = (mailingId: number | string, receiverId: number | string): string => idFromNumbers(mailingId, receiverId);

export interface ReceiverFacts {
  activated: number;
  deactivated: number;
  bounced: number;
}

/** The state a receiver is in; being on the blacklist outranks everything else. */
export function receiverState(r: ReceiverFacts, blacklisted: boolean): number {
  if (blacklisted) return RECEIVER_STATE.blacklisted;
  if (r.deactivated > 0) return RECEIVER_STATE.unsubscribed;
  if (r.bounced > 0) return RECEIVER_STATE.bounced;
  return RECEIVER_STATE.active;
}

/** Unix seconds as Dataverse writes a date and time (ISO 8601 UTC, whole seconds). */
export const isoFromUnix = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * The person's checklist after CleverReach reported them gone from a group: every type the group's
 * record sends (state 1) becomes 2 with modifiedby "CleverReach" and the event's time; a type the
 * person has no row for is added as 2 (with the record's description and position); every other
 * row stays exactly as it was. Rows already at 2 keep their stamp, so a repeated event changes
 * nothing (the Receiver State flows then write nothing: the chain converges).
 */
export function declineGroupTypes(person: readonly ChecklistRow[], groupRecord: readonly ChecklistRow[], when: string): ChecklistRow[] {
  const sent = groupRecord.filter((r) => r.state === CHECKLIST_STATE.accepted);
  const sentIds = new Set(sent.map((r) => r.id));
  const out = person.map((r) =>
    sentIds.has(r.id) && r.state !== CHECKLIST_STATE.declined ? { ...r, state: CHECKLIST_STATE.declined, modifiedby: CLEVERREACH_AUTHOR, modifiedon: when } : r,
  );
  const have = new Set(person.map((r) => r.id));
  for (const g of sent) {
    if (!have.has(g.id))
      out.push({
        id: g.id,
        state: CHECKLIST_STATE.declined,
        description: g.description,
        modifiedby: CLEVERREACH_AUTHOR,
        modifiedon: when,
        position: g.position,
      });
  }
  return out;
}

// The declines column's format and reading live beside the checklist's (the control shows them);
// the flows' rules use the same functions.
export {
  DECLINE_STATES,
  declinedTypeIds,
  readDeclines,
  UNREADABLE_DECLINES,
  type CleverReachDecline,
  type DeclinesReading,
  type DeclineState,
} from "../../../pcf-checklist/src/checklist/declines";
import type { CleverReachDecline, DeclineState } from "../../../pcf-checklist/src/checklist/declines";

/**
 * The declines after CleverReach reported a receiver `state` in group `group` at `on`: one entry
 * per (type, group) for every type the group's record sends (state 1); an entry already there
 * keeps its first time and state, so a repeated report changes nothing (the flow then writes
 * nothing). Earlier entries are never dropped: a decline is only ever taken back by an administrator.
 */
export function addDeclines(
  existing: readonly CleverReachDecline[],
  groupRecord: readonly ChecklistRow[],
  group: string,
  on: string,
  state: DeclineState,
): CleverReachDecline[] {
  const out = [...existing];
  for (const r of groupRecord) {
    if (r.state !== CHECKLIST_STATE.accepted) continue;
    if (!out.some((d) => d.id === r.id && d.group === group)) out.push({ id: r.id, group, on, state });
  }
  return out;
}
