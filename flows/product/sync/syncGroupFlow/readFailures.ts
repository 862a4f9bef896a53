import { actions, variables, type Ex } from "../../../toolkit/expr/build";
import { initializeVariable, setVariable } from "../../../toolkit/builder/actions";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { coalesce, empty, ifElse, not, or, string } from "../../../toolkit/expr/functions";
import type { ReadStage } from "../../rules/messages";
import { READ_FAILURES } from "../../rules/messages";
import { readFailureText } from "../messages";

/**
 * A read Sync group makes a page at a time (its lists, the group's unsubscribes, the people, the
 * group's receivers for the count and the sweep, the re-check) that fails after the retries
 * (rules/messages.ts, READ_FAILURES). The Catch cannot see such a step: it sits inside a loop, and
 * what result() of a Do-until holds is not documented beyond "the top-level actions". So the
 * step's own loop notes it here, in words, ends the loop, and the run's next stop (the same one a
 * cut-off read reaches) writes these words on the record instead of its own and ends the run.
 */
export const READ_FAILURE = "readFailure";

/** At the flow's top: "" until a read fails. */
export const initReadFailure = (a: ScopeBuilder): string => a.add("Init_read_failure", initializeVariable(READ_FAILURE, "string", ""));

/** True once a read failed. */
export const readFailed = (): Ex => not(empty(variables(READ_FAILURE)));

/** A loop's exit condition that also ends it when a read failed. */
export const orReadFailed = (exit: Ex): Ex => or(exit, readFailed());

/** The stop's own words, or the failed read's when there is one. */
export const readFailureOr = (text: Ex): Ex => ifElse(readFailed(), variables(READ_FAILURE), text);

/** In the read's loop, right after it: keeps its failure in words (runs only when it failed). */
export function keepReadFailure(u: ScopeBuilder, stage: ReadStage, groupId: Ex): string {
  const step = READ_FAILURES[stage].step;
  const failed = actions(step);
  const status = coalesce(failed.get("outputs").get("statusCode"), 0);
  const message = coalesce(failed.get("error").get("message"), string(coalesce(failed.get("outputs").get("body"), "")));
  return u.add(`Keep_${step}_failure`, setVariable(READ_FAILURE, readFailureText(stage, groupId, status, message)), { [step]: ["Failed", "TimedOut"] });
}
