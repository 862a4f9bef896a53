import { MAX_PAGE_SIZE } from "../../../../connector/src/definition/definitions";
import { body, item, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { appendToStringVariable, compose, filterArray, incrementVariable, initializeVariable, select, setVariable } from "../../../toolkit/builder/actions";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { cleverReachAction } from "../../patterns/cleverreach";
import { RECEIVER_GROUP_ATTRIBUTES } from "../groupOwners";
import { SKIPPED_EXAMPLES } from "../../rules/messages";
import { keepReadFailure, orReadFailed } from "./readFailures";
import { and, coalesce, concat, contains, empty, equals, greater, join, length, not, take, toLower, union } from "../../../toolkit/expr/functions";

/**
 * Declines CleverReach holds under an address the CRM no longer has (issue 15 item 11; rule:
 * rules/declines.ts, declinedElsewhere). A deactivated (unsubscribed) receiver keeps its group
 * attributes crm_table and crm_id: the person it stood for declined this group, whatever their
 * address is now. Receivers are matched by address everywhere else, so without this a full sync
 * adds that person's new address as a new, active receiver before the back-sync has brought the
 * decline to the person (and the flows never see an e-mail change made while they are off).
 * A bounce is not read so: it says the old address does not work, not that the person declined;
 * the new address is added and the bounced one, wanted by nobody, goes with the sweep.
 */
const [TABLE_ATTRIBUTE, ID_ATTRIBUTE] = RECEIVER_GROUP_ATTRIBUTES.map((a) => a.name) as [string, string];

/** The run's declines and the people they kept out (the variables; initDeclines() creates them). */
export const DECLINED = { text: "declinedReceivers", page: "declinePage", reading: "readingDeclines", count: "skippedDeclined", examples: "declinedExamples" };

/** At the flow's top. The text holds ";<table>:<id>:<address>" per declined receiver with a CRM row, lower case, and ends in ";". */
export function initDeclines(a: ScopeBuilder): void {
  a.add("Init_declined", initializeVariable(DECLINED.text, "string", ";"));
  a.add("Init_decline_page", initializeVariable(DECLINED.page, "integer", 0));
  a.add("Init_reading_declines", initializeVariable(DECLINED.reading, "boolean", true));
  a.add("Init_skipped_declined", initializeVariable(DECLINED.count, "integer", 0));
  a.add("Init_declined_examples", initializeVariable(DECLINED.examples, "array", []));
}

const key = (table: Ex, id: Ex): Ex => concat(";", toLower(coalesce(table, "")), ":", toLower(coalesce(id, "")), ":");

/**
 * True when a deactivated receiver of the group stands for this CRM row
 * under another address than `email` (normalized): the row is left out. Under the same address
 * the upsert is harmless (CleverReach never re-activates a deactivated receiver).
 */
export const declinedElsewhere = (table: Ex, id: Ex, email: Ex): Ex =>
  and(contains(variables(DECLINED.text), key(table, id)), not(contains(variables(DECLINED.text), concat(key(table, id), toLower(email), ";"))));

/** A receiver read from CleverReach that unsubscribed (deactivated) and stands for a CRM row. */
export const declinedWithRow = (r: Ex): Ex =>
  and(greater(coalesce(r.get("deactivated"), 0), 0), not(empty(coalesce(r.get("attributes").get(ID_ATTRIBUTE), ""))));

/** Its entry in DECLINED.text: "<table>:<id>:<address>;" in lower case (the text starts with ";"). */
export const declineEntry = (r: Ex): Ex =>
  concat(
    toLower(coalesce(r.get("attributes").get(TABLE_ATTRIBUTE), "")),
    ":",
    toLower(r.get("attributes").get(ID_ATTRIBUTE)),
    ":",
    toLower(coalesce(r.get("email"), "")),
    ";",
  );

/**
 * Reads the group's inactive receivers a page at a time (CleverReach's `type` inactive, as the
 * back-sync reads them) and keeps the deactivated ones with a CRM row in DECLINED.text.
 * Only the rows and addresses are kept (about 90 characters per declined receiver); a group this
 * run created has none. `limit`: the pages' Until cap.
 */
export function readDeclines(s: ScopeBuilder, cr: string, group: Ex, limit: { count: number; timeout: string }): void {
  s.condition("Declines_if_existing", not(variables("created")), (c) => {
    c.until(
      "Read_declines",
      orReadFailed(not(variables(DECLINED.reading))),
      (u) => {
        u.add(
          "Declines_page",
          cleverReachAction(cr, "ListGroupReceivers", { group_id: group, page: variables(DECLINED.page), pagesize: MAX_PAGE_SIZE, type: "inactive" }),
        );
        u.add("Declines_with_row", filterArray(body("Declines_page"), declinedWithRow(item())));
        u.add("Decline_entries", select(body("Declines_with_row"), declineEntry(item())));
        u.add("Keep_declines", appendToStringVariable(DECLINED.text, join(body("Decline_entries"), "")));
        u.add("Declines_next_page", incrementVariable(DECLINED.page, 1));
        u.add("Declines_more", setVariable(DECLINED.reading, equals(length(body("Declines_page")), MAX_PAGE_SIZE)));
        keepReadFailure(u, "declines", group);
      },
      { limit },
    );
  });
}

/**
 * Leaves out of a page's receivers (`people`, as receiverFromPerson() builds them) those declined
 * under another address, counting them and keeping a few of their addresses for the record's note.
 * Returns the receivers to send.
 */
export function withoutDeclined(p: ScopeBuilder, people: Ex): Ex {
  const declined = declinedElsewhere(item().get("attributes").get(TABLE_ATTRIBUTE), item().get("attributes").get(ID_ATTRIBUTE), item().get("email"));
  p.add("Declined_people", filterArray(people, declined));
  p.condition("Any_declined", greater(length(body("Declined_people")), 0), (x) => {
    x.add("Count_declined", incrementVariable(DECLINED.count, length(body("Declined_people"))));
    x.add("Declined_addresses", select(body("Declined_people"), item().get("email")));
    x.add("Merge_declined", compose(take(union(variables(DECLINED.examples), body("Declined_addresses")), SKIPPED_EXAMPLES)));
    x.add("Keep_declined", setVariable(DECLINED.examples, outputs("Merge_declined")));
  });
  p.add("Sendable_people", filterArray(people, not(declined)));
  return body("Sendable_people");
}
