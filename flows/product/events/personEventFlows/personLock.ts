import { lit, type Ex } from "../../../toolkit/expr/build";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { acquireLock, holdLock, initLock } from "../../patterns/recordLock";
import type { PersonTable } from "./personTables";
import { writePersonError } from "./personSyncLog";

/*
 * One run at a time per person (flows/product/README.md, "Overlapping runs"; issue 15): Contact and
 * Lead changed take the person's lock, a Sync Lock row whose id is the person's row id, as Sync
 * group takes a record's (patterns/recordLock.ts). Without it a run that read the person before a
 * newer save could write its old view after the newer run: add to a group whom the newer run
 * removed. A run that finds the lock held promises one more pass after the holder (or is served by
 * a promised one), and that pass reads the person afresh, so N saves during one run cost one more
 * run, not N.
 *
 * A lock that cannot be taken (7 hours of waiting) fails the run with the reason in its error and
 * on the person's "CleverReach sync error", as the flow's other failures do (personSyncLog.ts).
 */

export { initLock as initPersonLock };

export function acquirePersonLock(a: ScopeBuilder, p: PersonTable, personId: Ex): void {
  acquireLock(a, {
    kind: "sync",
    table: lit(p.table),
    recordId: personId,
    what: `CleverReach update of ${p.table}`,
    code: "PersonSyncFailed",
    report: (bad, text) => writePersonError(bad, "Lock_person_error", p, personId, text),
    // Persons have no Update Synchronisation; the nightly sync of their groups brings them in line.
    advice: "The nightly sync brings this person's groups in line; to do it now, save the person again.",
  });
}

/** Puts the flow's Try and Catch inside the lock (released after them and before every Terminate in them). */
export function holdPersonLock(a: ScopeBuilder, personId: Ex): void {
  holdLock(a, ["Try", "Catch"], personId, { inline: true });
}
