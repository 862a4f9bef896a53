import { CHECKLIST_STATE, type ChecklistRow, type ChecklistState, type NewsletterType } from "./types";

/**
 * Applies the configuration to the stored rows (see pcf-checklist/src/checklist/README.md,
 * "Merge rules") and returns every row to store:
 * stored rows keep their order; a configured row takes the configured description and position;
 * a stored row whose id is not configured stays exactly as it was (no data loss); configured types
 * not yet stored are appended with state 0.
 */
export function mergeWithTypes(stored: readonly ChecklistRow[], types: readonly NewsletterType[]): ChecklistRow[] {
  const byId = new Map(types.map((t) => [t.id, t]));
  const merged = stored.map((row) => {
    const type = byId.get(row.id);
    return type ? { ...row, description: type.description, position: type.position } : row;
  });
  const storedIds = new Set(stored.map((r) => r.id));
  for (const t of types) {
    if (!storedIds.has(t.id)) {
      merged.push({ id: t.id, state: CHECKLIST_STATE.notChosen, description: t.description, modifiedby: "", modifiedon: "", position: t.position });
    }
  }
  return merged;
}

/** The rows a user sees: configured types only, in position order (id breaks ties so the order is stable). */
export function visibleRows(rows: readonly ChecklistRow[], types: readonly NewsletterType[]): ChecklistRow[] {
  const configured = new Set(types.map((t) => t.id));
  return rows.filter((r) => configured.has(r.id)).sort((a, b) => a.position - b.position || a.id - b.id);
}

/**
 * Sets one row's state and stamps who and when (ISO 8601 UTC). Other rows are the same objects.
 * Choosing the state a row has in `stored` (the value as the form handed it in, merged) puts that
 * stored row back, stamps included: undoing a change is no change, so nothing claims a new edit.
 * Returns the input array itself when nothing changes, so callers can tell a real change by identity.
 */
export function setRowState(
  rows: readonly ChecklistRow[],
  id: number,
  state: ChecklistState,
  user: string,
  now: Date,
  stored?: readonly ChecklistRow[],
): readonly ChecklistRow[] {
  const index = rows.findIndex((r) => r.id === id);
  const row = rows[index];
  if (!row || row.state === state) return rows;
  const storedRow = stored?.find((r) => r.id === id);
  const next = rows.slice();
  next[index] = storedRow?.state === state ? storedRow : { ...row, state, modifiedby: user, modifiedon: now.toISOString() };
  return next;
}
