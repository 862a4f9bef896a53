import { body, item, items, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { crmIdOf, crmTableOf } from "../../sync/receivers";
import { filterArray, select } from "../../../toolkit/builder/actions";
import { ownedByOneOf } from "../../sync/groupOwnership";
import { cleverReachAction } from "../../patterns/cleverreach";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { findGroupReceivers } from "../../patterns/groupReceivers";
import { allSyncedOwners } from "../../patterns/syncedOwners";
import { and, equals, int, union } from "../../../toolkit/expr/functions";
import type { PersonTable } from "./personTables";
import { notePassesUnderWay, runNotedPasses } from "./passesUnderWay";

/** Deactivated or deleted: this person's active receivers leave every synced group. */
export function removeEverywhere(s: ScopeBuilder, cr: string, p: PersonTable, personId: Ex, syncGroupId: string): void {
  const owners = allSyncedOwners(s, "Removal");
  // A pass that read the person while still active must not add them back (passesUnderWay.ts).
  notePassesUnderWay(s, "Busy_removal", outputs(owners));
  s.add("Removal_group_ids", select(outputs(owners), item().get("groupId")));
  s.forEachOneAtATime("Each_synced_group", union(body("Removal_group_ids"), body("Removal_group_ids")), (g) => {
    const groupId = items("Each_synced_group");
    g.add("Group_owners", filterArray(outputs(owners), equals(item().get("groupId"), groupId)));
    // Only a group this product created for one of these records (flows/product/README.md, "Whose group it is").
    g.condition("Our_synced_group", ownedByOneOf(g, cr, "Synced_group", groupId, body("Group_owners")), (o) => {
      // Unsubscribed receivers stay, as in the Sync group: their state must not be lost.
      const ofPerson = and(equals(crmIdOf(item()), personId), equals(crmTableOf(item()), p.table), equals(item().get("active"), true));
      findGroupReceivers(o, cr, "Read_synced_group", groupId, ofPerson, "current", "page");
      o.forEach("Remove_person", variables("current"), (r) => {
        r.add("Remove_person_receiver", cleverReachAction(cr, "DeleteGroupReceiver", { group_id: int(groupId), pool_id: items("Remove_person").get("email") }));
      });
    });
  });
  runNotedPasses(s, "Busy_removal", syncGroupId);
}
