import { body, call, item, outputs, result, type Ex } from "../expr/build";
import { compose, filterArray, terminate } from "./actions";
import type { CatchBody, Failure, ScopeBuilder } from "./scope";

export interface FailRunOptions {
  /** The error code the run fails with. */
  code: string;
  /** The error text, from the failed step's name and its message. */
  errorText: (failedStep: Ex, message: Ex) => Ex;
  /** Writes the text where a user sees it (the record's last sync error) before the run fails. */
  report?: (c: ScopeBuilder, errorText: Ex, failure: Failure) => void;
}

/**
 * The usual Catch of a flow: say which step failed and what the service answered, report it, and
 * fail the run with that text, so that a run history and the record both tell the same story.
 * Used as `a.tryCatch("Try", (t) => …, failRun({ code, errorText, report }))`.
 */
export function failRun(o: FailRunOptions): CatchBody {
  return (c, failure) => {
    c.add("Error_text", compose(o.errorText(failure.step, failure.message)));
    o.report?.(c, outputs("Error_text"), failure);
    c.add("Fail", terminate("Failed", { code: o.code, message: outputs("Error_text") }));
  };
}

/** @deprecated `parent.tryCatch("Try", body, failRun(o))` adds the Try and this Catch in one call. */
export function catchFailures(parent: ScopeBuilder, o: FailRunOptions & { tryScope?: string }): void {
  const tryScope = o.tryScope ?? "Try";
  parent.scope(
    "Catch",
    (c) => {
      c.add("Failures", filterArray(result(tryScope), call("equals", item().get("status"), "Failed")));
      const first = call("first", body("Failures"));
      failRun(o)(c, {
        step: call("coalesce", first.get("name"), "?"),
        message: call("coalesce", first.get("error").get("message"), "see the flow run for details"),
      });
    },
    { after: { [tryScope]: ["Failed", "TimedOut"] } },
  );
}
