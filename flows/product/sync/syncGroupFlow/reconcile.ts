import { MAX_PAGE_SIZE, UPSERT_BATCH_LIMIT } from "../../../../connector/src/definition/definitions";
import { COLUMNS } from "../../../../solution/src/model/handles";
import { body, item, items, lit, outputs, result, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, incrementVariable, select, setVariable, terminate } from "../../../toolkit/builder/actions";
import { cleverReachAction } from "../../patterns/cleverreach";
import { updateRow } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { keyedBy } from "../../patterns/keyedBy";
import { unixNow } from "../../patterns/unixTime";
import { validEmail } from "../expressions";
import { receiverFromCleverReach } from "../receivers";
import {
  addProperty,
  and,
  chunk,
  coalesce,
  concat,
  equals,
  greater,
  ifElse,
  int,
  join,
  json,
  length,
  less,
  not,
  string,
  toLower,
  union,
} from "../../../toolkit/expr/functions";

/** Receivers removed in parallel (each removal is one call: CleverReach has no batch delete). */
const REMOVAL_CONCURRENCY = 20;

/** The receivers of `from` keyed by e-mail address, in the Compose `<name>_by_email`. */
const keyedByEmail = (s: ScopeBuilder, name: string, from: Ex): string =>
  keyedBy(s, { entries: `${name}_entries`, keyed: `${name}_by_email` }, from, item().get("email"));

/** Compares wanted and current receivers as keyed sets; sends only the differences. */
export function reconcile(s: ScopeBuilder, cr: string, groupId: Ex, entitySet: Ex, recordId: Ex): void {
  s.add("Valid_candidates", filterArray(variables("candidates"), validEmail(item().get("email"))));
  const desiredByEmail = keyedByEmail(s, "Desired", body("Valid_candidates"));
  // One receiver per e-mail address: the one the keyed object kept.
  s.add("Desired", filterArray(body("Valid_candidates"), equals(string(outputs(desiredByEmail).get(item().get("email"))), string(item()))));
  s.until(
    "Read_receivers",
    less(length(coalesce(body("Receivers_page"), json("[]"))), MAX_PAGE_SIZE),
    (u) => {
      u.add(
        "Receivers_page",
        cleverReachAction(cr, "ListGroupReceivers", { group_id: int(groupId), page: variables("page"), pagesize: MAX_PAGE_SIZE, type: "all" }),
      );
      u.add("Merge_page", compose(union(variables("current"), body("Receivers_page"))));
      u.add("Keep_page", setVariable("current", outputs("Merge_page")));
      u.add("Next_page", incrementVariable("page", 1));
    },
    { limit: { count: 1000, timeout: "PT6H" } },
  );
  s.add("Current", select(variables("current"), receiverFromCleverReach(item())));
  const currentByEmail = keyedByEmail(s, "Current", body("Current"));
  s.add("To_upsert", filterArray(body("Desired"), not(equals(string(outputs(currentByEmail).get(item().get("email"))), string(item())))));
  // New receivers are signed up and activated now; existing ones are sent without activation
  // fields, so a receiver who unsubscribed in CleverReach stays unsubscribed
  // (flows/product/README.md, "Never re-activated").
  s.add(
    "Upserts",
    select(
      body("To_upsert"),
      ifElse(
        equals(outputs(currentByEmail).get(item().get("email")), lit(null)),
        addProperty(addProperty(item(), "registered", unixNow()), "activated", unixNow()),
        item(),
      ),
    ),
  );
  s.forEach("Upsert_batches", chunk(body("Upserts"), UPSERT_BATCH_LIMIT), (b) => {
    b.add("Upsert_receivers", cleverReachAction(cr, "UpsertReceivers", { group_id: int(groupId), body: items("Upsert_batches") }));
  });
  // Only active receivers are removed: an unsubscribed one keeps its state in the group.
  s.add(
    "To_remove",
    filterArray(
      variables("current"),
      and(equals(item().get("active"), true), equals(outputs(desiredByEmail).get(toLower(coalesce(item().get("email"), ""))), lit(null))),
    ),
  );
  s.forEach(
    "Remove_receivers",
    body("To_remove"),
    (r) => {
      r.add("Remove_receiver", cleverReachAction(cr, "DeleteGroupReceiver", { group_id: int(groupId), pool_id: items("Remove_receivers").get("email") }));
      // A failed removal is noted here, so that the other removals go on; the notes are read from
      // the loop's result() afterwards, as iterations running at once must not write a variable.
      r.add(
        "Removal_failed",
        compose({
          statusCode: outputs("Remove_receiver").get("statusCode"),
          text: concat(items("Remove_receivers").get("email"), ": ", string(outputs("Remove_receiver").get("body"))),
        }),
        { Remove_receiver: ["Failed"] },
      );
    },
    { concurrency: REMOVAL_CONCURRENCY },
  );
  // Runs of event flows overlap: another run may have removed a receiver a moment ago, so 404 means
  // done. Any other failure fails the run.
  s.add(
    "Removal_errors",
    filterArray(
      result("Remove_receivers"),
      and(equals(item().get("name"), "Removal_failed"), equals(item().get("status"), "Succeeded"), not(equals(item().get("outputs").get("statusCode"), 404))),
    ),
  );
  s.add("Removal_texts", select(body("Removal_errors"), item().get("outputs").get("text")));
  s.condition("Check_removals", greater(length(body("Removal_errors")), 0), (e) => {
    e.add("Removal_error", compose(concat("CleverReach sync failed at Remove_receiver: ", join(body("Removal_texts"), "; "))));
    e.add("Write_removal_error", updateRow(entitySet.value, recordId, { [COLUMNS.lastSyncError]: outputs("Removal_error") }));
    e.add("Stop_on_removal_error", terminate("Failed", { code: "SyncFailed", message: outputs("Removal_error") }));
  });
}
