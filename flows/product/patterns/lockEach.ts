import { body, outputs, type Ex } from "../../toolkit/expr/build";
import { compose } from "../../toolkit/builder/actions";
import type { Body, ScopeBuilder } from "../../toolkit/builder/scope";
import type { RunStatus } from "../../toolkit/wdl";
import { coalesce, concat, equals, first } from "../../toolkit/expr/functions";
import { acquireLock, LOCK_STATE, lockState, releaseLock, renewLock, type LockKind } from "./recordLock";
import { failedInside } from "./failureInWords";

export interface LockedStepOptions {
  kind: LockKind;
  /** The record's table (only named in the lock row) and row id (the lock's key: the record's own runs take the same). */
  table: Ex;
  recordId: Ex;
  /** The words a given-up wait starts with, and what the user can do then (acquireLock). */
  what: string;
  advice: string;
  code: string;
  /**
   * Says `text` where a user sees it: a wait that gave up, or `work` that failed (which step, what
   * the service answered). `name` is the action name to use (one per call). The loop goes on.
   */
  report: (c: ScopeBuilder, text: Ex, name: string) => void;
}

const ANY: RunStatus[] = ["Succeeded", "Failed", "Skipped", "TimedOut"];

/**
 * For the inside of a loop that changes one record after another (one at a time, concurrency 1):
 * takes the record's lock (patterns/recordLock.ts: the same row the record's own runs take, so the
 * two never interleave), runs `work` in the Scope `scopeName` while it holds it, and releases it
 * whatever `work` did. Only one lock is held at any moment: a run that holds one record's lock
 * never waits for another's, so two such runs, or one and a record's own run, cannot deadlock.
 *
 * A lock not taken (the wait gave up after the same limits as every other lock) and a failed
 * `work` are reported in words ("… waited 7 hours …", "failed at <step>: <answer>") and the loop
 * goes on with the next record, so one stuck record does not leave the others undone; the caller
 * fails the run afterwards with what was reported.
 *
 * Depth: the lock's wait sits one level below this scope and reaches five more levels, so the
 * loop calling this must sit at most at level 2 (the platform allows 8, lint rule nesting-depth).
 */
export function lockEach(e: ScopeBuilder, o: LockedStepOptions, scopeName: string, work: Body): void {
  renewLock(e);
  acquireLock(e, {
    kind: o.kind,
    table: o.table,
    recordId: o.recordId,
    what: o.what,
    code: o.code,
    advice: o.advice,
    onGiveUp: "continue",
    report: (c, text) => o.report(c, text, "Report_lock_not_taken"),
  });
  e.condition("Record_locked", equals(lockState(), LOCK_STATE.held), (h) => {
    h.scope(scopeName, work);
    h.scope(
      "Locked_work_failed",
      (f) => {
        f.add("Locked_work_failures", failedInside(scopeName));
        const failed = first(body("Locked_work_failures"));
        f.add(
          "Locked_work_error",
          compose(
            concat("failed at ", coalesce(failed.get("name"), scopeName), ": ", coalesce(failed.get("error").get("message"), "see the flow run for details")),
          ),
        );
        o.report(f, outputs("Locked_work_error"), "Report_locked_work_failed");
      },
      { after: { [scopeName]: ["Failed", "TimedOut"] } },
    );
  });
  // Whatever happened while the lock was held: the record is free again before the next one.
  releaseLock(e, "Release_record_lock", o.recordId, { Record_locked: ANY });
}
