import { body, call, item, outputs, result, type Ex } from "../expr/build";
import { compose, filterArray, scope, terminate } from "./actions";
import type { ScopeBuilder } from "./scope";

export interface CatchOptions {
  /** The scope whose failure is caught (runs after it when it Failed or TimedOut). */
  tryScope?: string;
  /** The error code the run fails with. */
  code: string;
  /** The error text, from the failed step's name and its message. */
  errorText: (failedStep: Ex, message: Ex) => Ex;
  /** Writes the text where a user sees it (the record's last sync error) before the run fails. */
  report?: (c: ScopeBuilder, errorText: Ex) => void;
}

/**
 * The product's error handling after a "Try" scope: say which step failed and what the service
 * answered, report it, and fail the run with that text, so that a run history and the record both
 * tell the same story.
 */
export function catchFailures(parent: ScopeBuilder, o: CatchOptions): void {
  const tryScope = o.tryScope ?? "Try";
  parent.add(
    "Catch",
    scope(parent, (c) => {
      c.add("Failures", filterArray(result(tryScope), call("equals", item().get("status"), "Failed")));
      const first = call("first", body("Failures"));
      c.add("Error_text", compose(o.errorText(call("coalesce", first.get("name"), "?"), call("coalesce", first.get("error").get("message"), "see the flow run for details"))));
      o.report?.(c, outputs("Error_text"));
      c.add("Fail", terminate("Failed", { code: o.code, message: outputs("Error_text") }));
    }),
    { [tryScope]: ["Failed", "TimedOut"] },
  );
}
