import { ENV } from "../../../solution/src/model/handles";

/** Whether the product deletes a CleverReach group (SPEC §6.4 and the original manual, section 5). */

export type DeletionCause = "recordDeleted" | "syncTurnedOff";

export interface DeletionSettings {
  deleteOnRecordDelete: boolean;
  deleteOnSyncOff: boolean;
  protection: boolean;
  /** 0: may delete despite protection; 1: never while protected; 2: only on record deletion. */
  priority: 0 | 1 | 2;
}

export function shouldDeleteGroup(cause: DeletionCause, s: DeletionSettings): boolean {
  const wanted = cause === "recordDeleted" ? s.deleteOnRecordDelete : s.deleteOnSyncOff;
  if (!s.protection || s.priority === 0) return wanted;
  if (s.priority === 1) return false;
  return cause === "recordDeleted" && s.deleteOnRecordDelete;
}

export function deletionPriorityProblem(value: unknown): string | undefined {
  return value === 0 || value === 1 || value === 2 ? undefined : `${ENV.deletionPriority.schemaName} must be 0, 1 or 2, not ${JSON.stringify(value)}`;
}
