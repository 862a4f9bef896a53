import { ENV } from "../../../solution/src/model/handles";

/** The retention periods the sync log offers, in days (issue 18: as Fairgate keeps its log). */
export const SYNC_LOG_RETENTION_DAYS = [7, 30, 90] as const;

/** Why a retention setting is not valid, or undefined: 7, 30 or 90. */
export function syncLogRetentionProblem(value: unknown): string | undefined {
  if ((SYNC_LOG_RETENTION_DAYS as readonly unknown[]).includes(value)) return undefined;
  const choices = `${SYNC_LOG_RETENTION_DAYS.slice(0, -1).join(", ")} or ${SYNC_LOG_RETENTION_DAYS.at(-1)}`;
  return `${ENV.syncLogRetentionDays.schemaName} must be ${choices} (days), not ${JSON.stringify(value)}`;
}

/**
 * What an administrator reads in the sync log when the clean-up cannot run for the setting: the
 * problem, what was not done, where to put it right.
 */
export function syncLogRetentionError(value: unknown): string | undefined {
  const problem = syncLogRetentionProblem(value);
  if (problem === undefined) return undefined;
  return `CleverReach sync log clean-up did not run: the environment variable ${problem}. ${SYNC_LOG_RETENTION_ADVICE}`;
}

/** The end of syncLogRetentionError(); the flow's text ends the same. */
export const SYNC_LOG_RETENTION_ADVICE =
  `No sync log row was deleted. An administrator sets "${ENV.syncLogRetentionDays.displayName.en}" to 7, 30 or 90 ` +
  "(Power Apps > Solutions > the CleverReach solution > Environment variables); the next daily run cleans up. " +
  "This row is written once a day while the setting stays so.";

/** The oldest creation time a row may have to be kept, `days` before `now`. */
export const syncLogKeptSince = (now: Date, days: number): Date => new Date(now.getTime() - days * 86_400_000);
