import { NO_RETRY } from "../../toolkit/builder/actions";
import type { RetryPolicy } from "../../toolkit/wdl";

/**
 * How the flows call their child flows. Without a policy the platform runs a failed child up to
 * eight more times (limits-and-config.md, "Default retry policy"), so every call says what it wants.
 */

/**
 * Sync group is not started again: its own CleverReach and Dataverse calls already retry 429 and
 * 5xx, so a run that still fails met a lasting error, which it has written on the record (Last sync
 * error). A repeat would read the whole group again for the same answer; the record's next event,
 * the nightly sync or Update Synchronisation CleverReach repairs the group once the cause is gone.
 */
export const SYNC_GROUP_CALL: RetryPolicy = NO_RETRY;

/**
 * Delete group is not started again: its calls retry 429 and 5xx themselves, and what is left
 * (a locked group, the deletion settings, a missing connection) gives the same answer twice. The
 * failure shows on the record while it exists and in the caller's failed run; a repeat could only
 * delete a group at a moment nobody is looking.
 */
export const DELETE_GROUP_CALL: RetryPolicy = NO_RETRY;

/**
 * Ensure group is not started again: its CleverReach and Dataverse calls retry 429 and 5xx
 * themselves, it answers its own failures in words (Sync group writes them on the record), and
 * CreateGroup must never be re-sent blindly (a repeat whose first copy CleverReach carried out
 * would leave a second group; ensureGroup.ts re-reads the groups instead).
 */
export const ENSURE_GROUP_CALL: RetryPolicy = NO_RETRY;
