import { body, item, items, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { crmIdOf, crmTableOf } from "../../sync/receivers";
import { compose, filterArray, select, setVariable, type Value } from "../../../toolkit/builder/actions";
import { ownedByOneOf } from "../../sync/groupOwnership";
import { cleverReachAction } from "../../patterns/cleverreach";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { findGroupReceivers } from "../../patterns/groupReceivers";
import { peopleWithAddress } from "../../patterns/sameAddress";
import { allSyncedOwners } from "../../patterns/syncedOwners";
import { normalizedEmail } from "../../sync/expressions";
import { and, empty, equals, first, int, not, toLower, union } from "../../../toolkit/expr/functions";
import type { PersonTable } from "./personTables";
import { notePassesUnderWay, PASSES, runNotedPasses } from "./passesUnderWay";
import { countCall, endGroupLog, noteHanded, reportGroupErrors, startGroupLog } from "./personSyncLog";

/**
 * Deactivated or deleted: this person's active receivers leave every synced group, except where
 * the address is shared. A receiver belongs to the address (SPEC §6.5; one receiver per address
 * per group): when another active contact or lead has the same address (rules/addresses.ts), this
 * run does not remove it but runs Sync group for the group's owner, whose sweep keeps the address
 * while one of its rows still qualifies for the group, and whose upsert then names that row in the
 * group attributes crm_table / crm_id (the receiver is taken over: the back-sync's unsubscribes and
 * mailing results go to that row from then on). Where nobody else qualifies, that sweep removes it.
 */
export function removeEverywhere(
  s: ScopeBuilder,
  cr: string,
  p: PersonTable,
  personId: Ex,
  syncGroupId: string,
  /** Who the sync log rows name, and whether the person's row is still there (deactivated, not deleted). */
  person: Ex,
  exists: Ex,
): void {
  const owners = allSyncedOwners(s, "Removal");
  // A pass that read the person while still active must not add them back (passesUnderWay.ts).
  notePassesUnderWay(s, "Busy_removal", outputs(owners));
  s.add("Removal_group_ids", select(outputs(owners), item().get("groupId")));
  s.forEachOneAtATime("Each_synced_group", union(body("Removal_group_ids"), body("Removal_group_ids")), (g) => {
    const groupId = items("Each_synced_group");
    startGroupLog(g, "Removal");
    g.add("Group_owners", filterArray(outputs(owners), equals(item().get("groupId"), groupId)));
    // Only a group this product created for one of these records (flows/product/README.md, "Whose group it is").
    g.condition("Our_synced_group", ownedByOneOf(g, cr, "Synced_group", groupId, body("Group_owners")), (o) => {
      // Unsubscribed receivers stay, as in the Sync group: their state must not be lost.
      const ofPerson = and(equals(crmIdOf(item()), personId), equals(crmTableOf(item()), p.table), equals(item().get("active"), true));
      findGroupReceivers(o, cr, "Read_synced_group", groupId, ofPerson, "current", "page");
      o.forEachOneAtATime("Remove_person", variables("current"), (r) => {
        const email = items("Remove_person").get("email");
        peopleWithAddress(r, "Sharing_address", normalizedEmail(email), true);
        r.add("Others_sharing", filterArray(outputs("Sharing_address"), not(equals(item().get("id"), toLower(personId)))));
        r.condition(
          "Address_still_used",
          not(empty(body("Others_sharing"))),
          (shared) => {
            shared.add("Shared_group_owners", select(body("Group_owners"), { table: item().get("table"), id: toLower(item().get("id")) } as Value));
            shared.add("Passes_with_shared", compose(union(variables(PASSES), body("Shared_group_owners"))));
            shared.add("Note_shared_group", setVariable(PASSES, outputs("Passes_with_shared")));
            noteHanded(shared, "Removal_handed", "sharedAddress");
          },
          (alone) => {
            alone.add("Remove_person_receiver", cleverReachAction(cr, "DeleteGroupReceiver", { group_id: int(groupId), pool_id: email }));
            countCall(alone, "Remove_person_receiver", "removed", "removePerson", groupId);
          },
        );
      });
    });
    endGroupLog(g, { prefix: "Removal", last: "Our_synced_group", p, group: groupId, owner: first(body("Group_owners")), person });
  });
  runNotedPasses(s, "Busy_removal", syncGroupId);
  reportGroupErrors(s, "Removal", p, personId, exists);
}
