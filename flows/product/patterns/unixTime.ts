import type { Ex } from "../../toolkit/expr/build";
import { addSeconds, div, formatDateTime, sub, ticks, utcNow } from "../../toolkit/expr/functions";

/**
 * Time as CleverReach gives and takes it (Unix seconds) and as Dataverse does (ISO 8601 UTC text),
 * converted inside flow expressions. Workflow functions count ticks of 100 ns.
 */

/** The Unix epoch, also the "never" of a missing watermark. */
export const EPOCH = "1970-01-01T00:00:00Z";
const TICKS_PER_SECOND = 10000000;

/** ISO date and time → Unix seconds. */
export function unixFromIso(iso: Ex): Ex {
  return div(sub(ticks(iso), ticks(EPOCH)), TICKS_PER_SECOND);
}

/** Now as Unix seconds, the timestamp format of CleverReach. */
export const unixNow = (): Ex => unixFromIso(utcNow());

/** Unix seconds → the ISO 8601 UTC text Dataverse gives back for a date and time (whole seconds). */
export function isoFromUnix(seconds: Ex): Ex {
  return formatDateTime(addSeconds(EPOCH, seconds), "yyyy-MM-ddTHH:mm:ssZ");
}
