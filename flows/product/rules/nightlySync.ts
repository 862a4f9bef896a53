import { ENV } from "../../../solution/src/model/handles";

/** The hours a day has, as the setting counts them (UTC). */
export const NIGHTLY_SYNC_HOURS = 24;

/** Why a nightly sync hour is not valid, or undefined: a whole number from 0 to 23 (UTC). */
export function nightlySyncHourProblem(value: unknown): string | undefined {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) < NIGHTLY_SYNC_HOURS
    ? undefined
    : `${ENV.nightlySyncHour.schemaName} must be a whole hour from 0 to ${NIGHTLY_SYNC_HOURS - 1} (UTC), not ${JSON.stringify(value)}`;
}

/** Whether the hourly trigger at `now` is the nightly sync's hour. */
export const isNightlySyncHour = (now: Date, hour: number): boolean => now.getUTCHours() === hour;
