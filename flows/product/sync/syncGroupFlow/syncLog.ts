import { label } from "../../../../solution/src/labels";
import { outputs, triggerBody, variables } from "../../../toolkit/expr/build";
import { compose, incrementVariable, initializeVariable, type Value } from "../../../toolkit/builder/actions";
import type { WdlAction } from "../../../toolkit/wdl";
import type { Placement, ScopeBuilder } from "../../../toolkit/builder/scope";
import { add, coalesce, concat, ifElse, sub, trim, utcNow } from "../../../toolkit/expr/functions";
import { declinedNote, skippedNote } from "../messages";
import { DECLINED } from "./declines";
import { SKIPPED } from "./reconcile";
import type { Ex } from "../../../toolkit/expr/build";
import { writeSyncLog } from "../../patterns/syncLog";

export const SYNC_GROUP_NAME = label("CleverReach - Sync group", "CleverReach - Gruppe synchronisieren");

/** What Sync group counts for its sync log row, as run variables (reconcile() adds to them page by page). */
export const SYNC_COUNTS = { sent: "logSent", added: "logAdded", removed: "logRemoved" } as const;

/** The run's start and its counters; at the top of the flow, before anything can stop it. */
export function initSyncLog(a: ScopeBuilder): void {
  a.add("Run_started", compose(utcNow()));
  a.add("Init_log_sent", initializeVariable(SYNC_COUNTS.sent, "integer", 0));
  a.add("Init_log_added", initializeVariable(SYNC_COUNTS.added, "integer", 0));
  a.add("Init_log_removed", initializeVariable(SYNC_COUNTS.removed, "integer", 0));
}

/**
 * Ends the run as Failed with `message` after logging it; the run stops even when the log row
 * could not be written (a log must never keep a failure from being reported). The row names the
 * record by table and id, unlinked: Sync group has eight early stops, and a linked row costs a
 * Switch over the tables each time (the flow must stay within 500 actions; its lint test counts).
 */
export function logAndStop(s: ScopeBuilder, name: string, message: Value, stop: WdlAction): void {
  const log = logSyncRun(s, `Log_${name}`, "failed", message, {}, false);
  s.add(name, stop, { [log]: ["Succeeded", "Failed"] });
}

/** Adds `by` to one of the counters (only where the run goes one page at a time). */
export const count = (s: ScopeBuilder, name: string, counter: keyof typeof SYNC_COUNTS, by: Ex): string =>
  s.add(name, incrementVariable(SYNC_COUNTS[counter], by));

/**
 * The run's sync log row (flows/product/README.md, "Sync log"): written at the end of every run that
 * got as far as the record, succeeded or failed, as the step `name`, just before the run ends.
 * Added: receivers new in the group (all of them in a group this run created); updated: receivers
 * sent again with their current data; skipped: people the query selected whose address is not valid
 * (SKIPPED, counted by reconcile()) or who declined the group under an earlier address (DECLINED).
 */
export function logSyncRun(s: ScopeBuilder, name: string, outcome: "succeeded" | "failed", error?: Value, placement: Placement = {}, link = true): string {
  const v = (c: keyof typeof SYNC_COUNTS) => variables(SYNC_COUNTS[c]);
  const added = ifElse(variables("created"), v("sent"), v("added"));
  return writeSyncLog(
    s,
    name,
    {
      flow: SYNC_GROUP_NAME.en,
      table: triggerBody().get("table"),
      id: triggerBody().get("id"),
      groupId: variables("groupId"),
      outcome,
      startedOn: outputs("Run_started"),
      endedOn: utcNow(),
      added,
      updated: sub(v("sent"), added),
      removed: v("removed"),
      // The people reconcile() left out, in the words the record's Last sync error gives them.
      skipped: add(variables(SKIPPED.count), variables(DECLINED.count)),
      skippedWhy: trim(
        concat(
          coalesce(skippedNote(variables(SKIPPED.count), variables(SKIPPED.examples)), ""),
          " ",
          coalesce(declinedNote(variables(DECLINED.count), variables(DECLINED.examples)), ""),
        ),
      ),
      error: error ?? "",
    },
    placement,
    link,
  );
}
