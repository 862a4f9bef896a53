import { ENV } from "../../../solution/src/model/handles";

/** The retention periods the sync log offers, in days (issue 18: as Fairgate keeps its log). */
export const SYNC_LOG_RETENTION_DAYS = [7, 30, 90] as const;

/** Why a retention setting is not valid, or undefined: 7, 30 or 90. */
export function syncLogRetentionProblem(value: unknown): string | undefined {
  if ((SYNC_LOG_RETENTION_DAYS as readonly unknown[]).includes(value)) return undefined;
  const choices = `${SYNC_LOG_RETENTION_DAYS.slice(0, -1).join(", ")} or ${SYNC_LOG_RETENTION_DAYS.at(-1)}`;
  return `${ENV.syncLogRetentionDays.schemaName} must be ${choices} (days), not ${JSON.stringify(value)}`;
}

/** The oldest creation time a row may have to be kept, `days` before `now`. */
export const syncLogKeptSince = (now: Date, days: number): Date => new Date(now.getTime() - days * 86_400_000);
