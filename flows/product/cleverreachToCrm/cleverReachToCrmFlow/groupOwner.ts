import { COLUMNS } from "../../../../solution/src/model/handles";
import { body, items, outputs, type Ex } from "../../../toolkit/expr/build";
import { appendToArrayVariable, compose } from "../../../toolkit/builder/actions";
import { getRow, updateRow } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { and, coalesce, concat, equals, first, not, toLower } from "../../../toolkit/expr/functions";
import { recordError } from "../../patterns/recordError";
import { ownerLabel, readOwner } from "../../sync/groupOwnership";
import { logFailure as groupFailed } from "./failures";

/** The array variable of the owners whose groups CleverReachToCrm reads (those CleverReach says are theirs). */
export const OURS = "ours";

/**
 * Keeps, of `owners`, those whose group CleverReach says is theirs, in the variable OURS: the owner
 * mark (sync/groupOwnership.ts) the product set when it created the group for the record. A group id
 * typed into a record (the company's main newsletter, say) is refused by Sync group already; reading
 * it here would still copy its receivers' unsubscribes and its mailings' recipients into the CRM,
 * where every user with the User role reads them (issue 15, data exposure). Such a group is skipped:
 * the record says why and what to do, and the sync log has a row, both only when the text is new, so
 * that later hours write nothing. A group made before the mark existed is marked by its record's next
 * Sync group run (the nightly one at the latest) and read from then on. A failed reading of the mark
 * is that group's failure, as in the group's own reading. Cost: one CleverReach call per group and
 * hour. A loop of its own, before the groups are read, because the reading is nested as deep as the
 * platform allows already.
 */
export function keepOurGroups(t: ScopeBuilder, cr: string, owners: Ex, entitySetOf: (table: Ex) => Ex): void {
  t.forEachOneAtATime("Each_owner", owners, (g) => {
    const owner = items("Each_owner");
    const entitySet = entitySetOf(owner.get("table"));
    const groupId = owner.get("groupId");
    g.tryCatch(
      "Owner_try",
      (s) => {
        const label = ownerLabel(owner.get("table"), owner.get("id"));
        const { marked } = readOwner(s, cr, "Owner", groupId, label);
        const mine = and(marked, equals(toLower(coalesce(first(body("Owner_mark")).get("description"), "")), toLower(label)));
        s.condition(
          "Our_group",
          mine,
          (o) => {
            o.add("Keep_owner", appendToArrayVariable(OURS, owner));
          },
          (n) => {
            n.add(
              "Not_our_group",
              compose(
                concat(
                  "CleverReach group ",
                  groupId,
                  " was not created by this connector for this record, so CleverReachToCrm does not read it ",
                  "(no unsubscribes, bounces or mailing results of that group come into the CRM). ",
                  "An administrator clears the record's CleverReach group id and deletes its CleverReach Group Link row; ",
                  "the next sync then creates the record's own group.",
                ),
              ),
            );
            n.add("Get_error", getRow(entitySet.value, owner.get("id"), [COLUMNS.lastSyncError]));
            // Compared as it is stored: cut to the column (recordError).
            n.condition("Error_is_new", not(equals(coalesce(body("Get_error").get(COLUMNS.lastSyncError), ""), recordError(outputs("Not_our_group")))), (w) => {
              w.add("Write_not_our_group", updateRow(entitySet.value, owner.get("id"), { [COLUMNS.lastSyncError]: recordError(outputs("Not_our_group")) }));
              groupFailed(w, "Log_not_our_group", { table: owner.get("table"), id: owner.get("id"), groupId, error: outputs("Not_our_group") });
            });
          },
        );
      },
      (c, failure) => {
        c.add("Owner_error", compose(concat("CleverReachToCrm failed for group ", groupId, " at ", failure.step, ": ", failure.message)));
        c.add("Write_owner_error", updateRow(entitySet.value, owner.get("id"), { [COLUMNS.lastSyncError]: recordError(outputs("Owner_error")) }));
        c.add("Note_owner_error", appendToArrayVariable("groupErrors", outputs("Owner_error")));
        groupFailed(c, "Log_owner_error", { table: owner.get("table"), id: owner.get("id"), groupId, error: outputs("Owner_error") });
      },
      { catchName: "Owner_catch", failuresName: "Owner_failures" },
    );
  });
}
