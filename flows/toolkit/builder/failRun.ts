import { outputs, type Ex } from "../expr/build";
import { compose, terminate } from "./actions";
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
