/**
 * CleverReach's declines of a person (the column `clvr_cleverreachdeclines` on contact and lead),
 * kept apart from the checklist: only the flows write them, the control shows them, and a type in
 * them is declined whatever the person's checklist says.
 */

/** The states a decline from CleverReach can have, as the declines column writes them. */
export const DECLINE_STATES = ["unsubscribed", "bounced", "blacklisted"] as const;
export type DeclineState = (typeof DECLINE_STATES)[number];

/**
 * One decline from CleverReach on a person (the declines column, COLUMNS.cleverReachDeclines):
 * newsletter type `id` declined because the person's receiver in group `group` was `state` at `on`.
 */
export interface CleverReachDecline {
  id: number;
  group: string;
  on: string;
  state: DeclineState;
}

/** What a person's declines column says: the declines, or why it cannot be read. */
export type DeclinesReading = { declines: CleverReachDecline[] } | { problem: string };

/** The words a person whose declines column cannot be read is left out with (the flows say the same). */
export const UNREADABLE_DECLINES =
  "the declines from CleverReach on this person cannot be read (not a JSON array of declines with whole-number ids), " +
  "so the person is left out of every group until an administrator corrects them";

const isTypeId = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/**
 * Reads a person's declines column. Empty means none. Anything else must be a JSON array whose
 * every element is an object with a whole-number `id` (the type declined); `group`, `on` and
 * `state` are what the control shows and do not change what counts as declined: an element with
 * an odd state still declines its type, because a decline read too widely keeps someone out of a
 * group for a while, while one read too narrowly mails a person who said no.
 *
 * Safe way for what cannot be read: a person whose declines cannot be read is eligible for no
 * group at all (UNREADABLE_DECLINES): if the text is broken, which types it declines is unknown,
 * and any of them may be one a group sends. Only the flows and administrators can write the
 * column (field security), so this should only follow an administrator's mistyped correction.
 */
export function readDeclines(text: string | null | undefined): DeclinesReading {
  if (text === null || text === undefined || text.trim() === "") return { declines: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: UNREADABLE_DECLINES };
  }
  if (!Array.isArray(value)) return { problem: UNREADABLE_DECLINES };
  const declines: CleverReachDecline[] = [];
  for (const e of value) {
    if (e === null || typeof e !== "object" || Array.isArray(e)) return { problem: UNREADABLE_DECLINES };
    const { id, group, on, state } = e as Record<string, unknown>;
    if (!isTypeId(id)) return { problem: UNREADABLE_DECLINES };
    declines.push({
      id,
      group: typeof group === "string" || typeof group === "number" ? String(group) : "",
      on: typeof on === "string" ? on : "",
      state: DECLINE_STATES.includes(state as DeclineState) ? (state as DeclineState) : "unsubscribed",
    });
  }
  return { declines };
}

/**
 * The type ids CleverReach declined for a person, or `null` when the column cannot be read
 * (then the person is eligible for no group: readDeclines).
 */
export function declinedTypeIds(text: string | null | undefined): number[] | null {
  const r = readDeclines(text);
  if ("problem" in r) return null;
  return [...new Set(r.declines.map((d) => d.id))].sort((a, b) => a - b);
}
