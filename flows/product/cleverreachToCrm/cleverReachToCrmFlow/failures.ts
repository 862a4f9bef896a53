import { COLUMNS, TABLES } from "../../../../solution/src/model/handles";
import { outputs, type Ex } from "../../../toolkit/expr/build";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { utcNow } from "../../../toolkit/expr/functions";
import { writeSyncLog } from "../../patterns/syncLog";
import { isoFromUnix } from "../../patterns/unixTime";
import type { GroupOwner } from "../../sync/groupOwners";
import { fitted } from "../../patterns/fitted";

/** The flow's name in the sync log (its English display name, as the run history shows it). */
export const CLEVERREACH_TO_CRM = "CleverReachToCrm";

/**
 * A failure in the sync log (flows/product/patterns/syncLog.ts): one row per failed group, and one
 * of no record when the run failed outside its groups. Runs that succeed write no row, so that an
 * hour with nothing new still writes nothing.
 */
export function logFailure(s: ScopeBuilder, name: string, e: { table: Ex | GroupOwner["table"]; id: Ex | string; groupId?: Ex; error: Ex }): void {
  writeSyncLog(s, name, {
    flow: CLEVERREACH_TO_CRM,
    table: e.table,
    id: e.id,
    ...(e.groupId ? { groupId: e.groupId } : {}),
    outcome: "failed",
    startedOn: isoFromUnix(outputs("Run_start")),
    endedOn: utcNow(),
    error: fitted(e.error, TABLES.syncLog.logicalName, COLUMNS.error),
  });
}
