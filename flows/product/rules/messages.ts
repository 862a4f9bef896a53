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
