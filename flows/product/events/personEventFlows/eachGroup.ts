import { CHECKLIST_STATE } from "../../../../pcf-checklist/src/checklist";
import { body, item, items, lit, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { appendToArrayVariable, compose, filterArray, runChildFlow, select, setVariable, terminate } from "../../../toolkit/builder/actions";
import { cleverReachAction } from "../../patterns/cleverreach";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { findGroupReceivers } from "../../patterns/groupReceivers";
import { unixNow } from "../../patterns/unixTime";
import { validEmail } from "../../sync/expressions";
import { crmIdOf, receiverFromCleverReach, receiverFromPerson, syncMarkAttributes, withSyncMark } from "../../sync/receivers";
import {
  addProperty,
  and,
  contains,
  createArray,
  empty,
  equals,
  first,
  greater,
  ifElse,
  int,
  intersection,
  join,
  json,
  length,
  not,
  string,
  toLower,
} from "../../../toolkit/expr/functions";
import type { PersonTable } from "./personTables";
import { peopleWithAddress } from "../../patterns/sameAddress";
import { SYNC_GROUP_CALL } from "../../patterns/childFlows";
import { ownedByOneOf } from "../../sync/groupOwnership";
import { mappedAttributes, mappedAttributesInCleverReach, mappedSlots, withMappedAttributes } from "../../sync/mappedFields";
import { viaSyncGroupIfConfirming } from "./personDoubleOptIn";
import { countCall, countMore, endGroupLog, groupCallFailure, noteHanded, startGroupLog } from "./personSyncLog";

/** Per group of "Group_ids": add, update or remove this person's receiver. */
export function updateEachGroup(
  s: ScopeBuilder,
  cr: string,
  transfer: Ex,
  p: PersonTable,
  person: Ex,
  personId: Ex,
  syncGroupId: string,
  doubleOptIn: Ex,
  /** What runs after every group was handled, before a failed lookup fails the run. */
  afterGroups: (s: ScopeBuilder) => void = () => undefined,
): void {
  // One receiver however the person reaches a group (directly or as an account's primary contact):
  // its values are the same everywhere (flows/product/README.md, "Receivers").
  // With the mapped columns as group attributes (README.md, "Field mapping").
  s.add("Direct_receiver", compose(withMappedAttributes(receiverFromPerson(person, lit(p.table)), mappedAttributes(person, mappedSlots(p.table)))));
  const email = outputs("Direct_receiver").get("email");
  s.forEachOneAtATime("Each_group", body("Group_ids"), (g) => {
    const groupId = items("Each_group");
    startGroupLog(g, "Group", ["lookupError"]);
    g.add("Entries", filterArray(outputs("Owners"), equals(item().get("groupId"), groupId)));
    // Only a group this product created for one of these records is written to (flows/product/README.md,
    // "Whose group it is"): a group id typed into a record names someone else's group.
    const ours = ownedByOneOf(g, cr, "Group", groupId, body("Entries"));
    g.condition("Our_group", ours, (o) => {
      o.add("Transferred_entries", filterArray(body("Entries"), contains(transfer, item().get("via"))));
      o.add("Group_checklist", compose(json(first(body("Entries")).get("checklist"))));
      o.add("Group_accepted_rows", filterArray(outputs("Group_checklist"), equals(item().get("state"), CHECKLIST_STATE.accepted)));
      o.add("Group_accepted", select(body("Group_accepted_rows"), int(item().get("id"))));
      o.add("Group_declined_rows", filterArray(outputs("Group_checklist"), equals(item().get("state"), CHECKLIST_STATE.declined)));
      o.add("Group_declined", select(body("Group_declined_rows"), int(item().get("id"))));
      // flows/product/README.md, "Eligibility", for this one person, as isEligible() in
      // flows/product/rules/eligibility.ts.
      o.add(
        "Eligible",
        compose(
          and(
            not(empty(body("Transferred_entries"))),
            validEmail(email),
            greater(length(intersection(variables("acceptedIds"), body("Group_accepted"))), 0),
            empty(intersection(variables("acceptedIds"), body("Group_declined"))),
          ),
        ),
      );
      o.add("Wanted", compose(outputs("Direct_receiver")));
      o.add("Forget_found", setVariable("found", lit(null)));
      o.add("Forget_lookup_error", setVariable("lookupError", ""));
      o.condition("Has_address", validEmail(email), (h) => {
        h.add("Find_receiver", cleverReachAction(cr, "GetGroupReceiver", { group_id: int(groupId), pool_id: email }));
        h.add("Remember_found", setVariable("found", body("Find_receiver")));
        // 404: no receiver yet. Any other failure leaves this group alone (Terminate can't appear
        // inside a loop) and fails the run after the loop.
        h.condition(
          "Receiver_missing",
          not(equals(outputs("Find_receiver").get("statusCode"), 404)),
          (x) => {
            x.add("Note_lookup_error", setVariable("lookupError", groupCallFailure("lookup", groupId, "Find_receiver")));
            x.add("Keep_lookup_error", appendToArrayVariable("lookupErrors", variables("lookupError")));
          },
          { after: { Find_receiver: ["Failed"] } },
        );
      });
      const lookedUp = equals(variables("lookupError"), "");
      o.add("No_old_addresses", setVariable("old", []));
      o.condition("If_not_found", and(lookedUp, equals(variables("found"), lit(null))), (n) => {
        // The address may have changed: a receiver of this person under another address is stale.
        const staleOfPerson = and(equals(crmIdOf(item()), personId), not(equals(toLower(item().get("email")), email)));
        findGroupReceivers(n, cr, "Read_group", groupId, staleOfPerson, "old", "page");
        // Only active ones: an unsubscribed receiver is never deleted by the product (issue 15 item
        // 12), it keeps the decline in the group in case the person comes back under that address.
        n.add("Old_active", filterArray(variables("old"), equals(item().get("active"), true)));
        n.forEach("Remove_old", body("Old_active"), (o) => {
          o.add("Remove_old_receiver", cleverReachAction(cr, "DeleteGroupReceiver", { group_id: int(groupId), pool_id: items("Remove_old").get("email") }));
        });
        countMore(n, "Old_removed_counted", "removed", length(body("Old_active")));
      });
      o.condition(
        "If_eligible",
        and(lookedUp, equals(outputs("Eligible"), true)),
        (y) => {
          y.condition(
            "New_or_existing",
            equals(variables("found"), lit(null)),
            (add) => {
              // A person who unsubscribed under the old address stays unsubscribed under the new one
              // (flows/product/README.md, "Never re-activated").
              add.add("Old_unsubscribed", filterArray(variables("old"), not(equals(item().get("active"), true))));
              // With double opt-in on, Sync group adds the person (personDoubleOptIn.ts).
              viaSyncGroupIfConfirming(
                add,
                doubleOptIn,
                empty(body("Old_unsubscribed")),
                syncGroupId,
                first(body("Entries")),
                (direct) => {
                  direct.add(
                    "New_receiver",
                    compose(
                      addProperty(
                        addProperty(outputs("Wanted"), "registered", unixNow()),
                        ifElse(empty(body("Old_unsubscribed")), "activated", "deactivated"),
                        unixNow(),
                      ),
                    ),
                  );
                  // With the time of the write as Sync group's mark, so that an overlapping full sync keeps it.
                  direct.add("New_receiver_mark", compose(syncMarkAttributes()));
                  const marked = withSyncMark(outputs("New_receiver"), outputs("New_receiver_mark"));
                  direct.add("Add_receiver", cleverReachAction(cr, "UpsertReceivers", { group_id: int(groupId), body: createArray(marked) }));
                  countCall(direct, "Add_receiver", "added", "add", groupId);
                },
                (handed) => noteHanded(handed, "New_person_handed", "doubleOptIn"),
              );
            },
            (existing) => {
              const found = variables("found");
              existing.add(
                "Found_shape",
                compose(withMappedAttributes(receiverFromCleverReach(found), mappedAttributesInCleverReach(found, mappedSlots(p.table)))),
              );
              existing.condition("If_changed", not(equals(string(outputs("Found_shape")), string(outputs("Wanted")))), (c) => {
                // No activation fields: an unsubscribed receiver stays unsubscribed.
                c.add("Changed_receiver_mark", compose(syncMarkAttributes()));
                const marked = withSyncMark(outputs("Wanted"), outputs("Changed_receiver_mark"));
                c.add("Update_receiver", cleverReachAction(cr, "UpsertReceivers", { group_id: int(groupId), body: createArray(marked) }));
                countCall(c, "Update_receiver", "updated", "update", groupId);
              });
            },
          );
        },
        (no) => {
          no.condition("If_active_receiver", equals(variables("found").get("active"), true), (d) => {
            // The receiver is the address's, not this row's (SPEC §6.5; issue 15 item 13): when
            // another active contact or lead has the same address, Sync group decides, which keeps
            // the address while any of its rows still qualifies for the group (its sweep re-checks
            // by address), so a full sync never brings back what this removed, nor the other way.
            peopleWithAddress(d, "Same_address", email, true);
            d.add("Others_with_address", filterArray(outputs("Same_address"), not(equals(item().get("id"), toLower(personId)))));
            d.condition(
              "Address_shared",
              not(empty(body("Others_with_address"))),
              (shared) => {
                const owner = first(body("Entries"));
                shared.add("Sync_shared_group", runChildFlow(syncGroupId, { table: owner.get("table"), id: owner.get("id") }, SYNC_GROUP_CALL));
                noteHanded(shared, "Shared_group_handed", "sharedAddress");
              },
              (own) => {
                own.add("Remove_receiver", cleverReachAction(cr, "DeleteGroupReceiver", { group_id: int(groupId), pool_id: email }));
                countCall(own, "Remove_receiver", "removed", "remove", groupId);
              },
            );
          });
        },
      );
    });
    const owner = first(body("Entries"));
    endGroupLog(g, { prefix: "Group", last: "Our_group", p, group: groupId, owner, person: outputs("Person_label"), lookupError: variables("lookupError") });
  });
  afterGroups(s);
  s.condition("Lookups_failed", not(empty(variables("lookupErrors"))), (f) => {
    f.add("Lookup_failed", terminate("Failed", { code: "ReceiverLookupFailed", message: join(variables("lookupErrors"), "; ") }));
  });
}
