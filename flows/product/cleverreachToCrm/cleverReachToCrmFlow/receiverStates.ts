import { COLUMNS, TABLES } from "../../../../solution/src/model/handles";
import { crmIdOf } from "../../sync/receivers";
import { body, item, items, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, incrementVariable, select, setVariable } from "../../../toolkit/builder/actions";
import { cleverReachAction } from "../../patterns/cleverreach";
import { upsertRow, type RowValues } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { keyedBy } from "../../patterns/keyedBy";
import { isoFromUnix } from "../../patterns/unixTime";
import { RECEIVER_STATE } from "../../rules/receiverStates";
import { GROUP_OWNERS } from "../../sync/groupOwners";
import { CHANGE_PAGE, idFromNumbers, readRowsById } from "../reading";
import {
  add,
  and,
  coalesce,
  concat,
  contains,
  empty,
  equals,
  greater,
  greaterOrEquals,
  ifElse,
  int,
  join,
  json,
  length,
  less,
  max,
  mul,
  not,
  or,
  skip,
  string,
  sub,
  take,
  toLower,
} from "../../../toolkit/expr/functions";
import { PERSON_LOOKUPS, WRITE_CONCURRENCY, personOf, upsertLinkedToPerson } from "./personLinks";

const RECEIVER_STATES = TABLES.receiverState.entitySet;
/** E-mail addresses per receivers query when finding newly blacklisted receivers in a group. */
const EMAILS_PER_QUERY = 50;
/** The newest events a Receiver State row keeps (the column holds 100,000 characters; an event is about 150). */
const EVENTS_KEPT = 100;

/**
 * What is read, one kind after the other: newly blacklisted addresses (50 a page, by `email_list`),
 * then unsubscribed and bounced receivers (newest first, stopping at the watermark). Blacklisted
 * comes first and outranks the others (cleverreach-to-crm.md), so the later kinds skip its addresses.
 */
const CHANGE_KINDS = [
  { kind: "blacklist", type: "all", field: "" },
  { kind: "unsubscribed", type: "inactive", field: "deactivated" },
  { kind: "bounced", type: "bounce", field: "bounced" },
];

/**
 * Unsubscribes, bounces and blacklistings since `since` → Receiver State rows, a page at a time:
 * each page's rows are read back by id, compared and only the differing ones written before the
 * next page is asked for, so nothing held grows with the group or with the number of changes.
 */
export function receiverStates(s: ScopeBuilder, cr: string, owner: Ex, groupId: Ex, since: Ex): void {
  s.add("New_blacklist", filterArray(body("List_blacklist"), greaterOrEquals(item().get("stamp"), since)));
  s.add("Blacklisted_emails", select(body("New_blacklist"), toLower(item().get("email"))));
  s.add("All_change_kinds", compose(CHANGE_KINDS));
  // Without new blacklist entries the blacklist kind has nothing to read.
  s.add("Change_kinds", compose(ifElse(empty(body("Blacklisted_emails")), skip(outputs("All_change_kinds"), 1), outputs("All_change_kinds"))));
  s.add("Change_first_kind", setVariable("step", 0));
  s.add("Change_first_page", setVariable("page", 0));
  // One loop over the kinds and their pages (a loop per kind would nest the writes too deep).
  s.until(
    "Read_changes",
    greaterOrEquals(variables("step"), length(outputs("Change_kinds"))),
    (u) => {
      const kind = outputs("Change_kinds").get(variables("step"));
      const isBlacklist = equals(kind.get("kind"), "blacklist");
      const field = kind.get("field");
      const chunkEmails = take(skip(body("Blacklisted_emails"), mul(variables("page"), EMAILS_PER_QUERY)), EMAILS_PER_QUERY);
      // One call for both ways of reading: an empty parameter is left out of the request.
      u.add(
        "Changes_page",
        cleverReachAction(cr, "ListGroupReceivers", {
          group_id: int(groupId),
          email_list: ifElse(isBlacklist, join(chunkEmails, ","), ""),
          order_by: ifElse(isBlacklist, "", concat(field, " DESC")),
          page: ifElse(isBlacklist, 0, variables("page")),
          pagesize: ifElse(isBlacklist, EMAILS_PER_QUERY, CHANGE_PAGE),
          type: kind.get("type"),
          detail: 1,
        }),
      );
      // if() evaluates both branches: the blacklist kind has no field, so its time reads as 0.
      const stamp = coalesce(item().get(field), 0);
      const fresh = and(greater(stamp, 0), greaterOrEquals(stamp, since));
      u.add("Fresh_changes", filterArray(body("Changes_page"), ifElse(isBlacklist, contains(chunkEmails, toLower(item().get("email"))), fresh)));
      // CleverReach never mails a blacklisted address; deactivating the receiver too keeps every flow
      // from removing it now and re-adding it later (they never touch inactive receivers).
      u.add("Active_blacklisted", filterArray(body("Fresh_changes"), and(isBlacklist, equals(item().get("active"), true))));
      u.forEach("Deactivate_blacklisted", body("Active_blacklisted"), (l) => {
        l.add(
          "Deactivate_receiver",
          cleverReachAction(cr, "DeactivateGroupReceiver", { group_id: int(groupId), pool_id: items("Deactivate_blacklisted").get("email") }),
        );
      });
      // The page's blacklist entries (at most 50), to give each blacklisted receiver its comment and time.
      u.add("Page_blacklist", filterArray(body("New_blacklist"), and(isBlacklist, contains(chunkEmails, toLower(item().get("email"))))));
      keyedBy(u, { entries: "Blacklist_entries", keyed: "Blacklist_by_email" }, body("Page_blacklist"), toLower(item().get("email")));
      u.add("Changed_receivers", filterArray(body("Fresh_changes"), or(isBlacklist, not(contains(body("Blacklisted_emails"), toLower(item().get("email")))))));
      writeStates(u, owner, groupId, isBlacklist);
      const fullOfFresh = and(equals(length(body("Changes_page")), CHANGE_PAGE), equals(length(body("Fresh_changes")), CHANGE_PAGE));
      const moreBlacklisted = less(mul(add(variables("page"), 1), EMAILS_PER_QUERY), length(body("Blacklisted_emails")));
      u.condition(
        "Same_kind_again",
        ifElse(isBlacklist, moreBlacklisted, fullOfFresh),
        (same) => same.add("Changes_next_page", incrementVariable("page", 1)),
        (next) => {
          next.add("Changes_next_kind", incrementVariable("step", 1));
          next.add("Changes_kind_first_page", setVariable("page", 0));
        },
      );
    },
    { limit: { count: 5000, timeout: "PT6H" } },
  );
}

/** The page's changed receivers → Receiver State rows; only rows that differ from what is stored are written. */
function writeStates(u: ScopeBuilder, owner: Ex, groupId: Ex, isBlacklist: Ex): void {
  const bl = outputs("Blacklist_by_email").get(toLower(item().get("email")));
  const deactivated = greater(item().get("deactivated"), 0);
  u.add(
    "Classified",
    select(body("Changed_receivers"), {
      receiver: item(),
      state: ifElse(isBlacklist, RECEIVER_STATE.blacklisted, ifElse(deactivated, RECEIVER_STATE.unsubscribed, RECEIVER_STATE.bounced)),
      event: ifElse(
        isBlacklist,
        concat("blacklisted", ifElse(empty(bl.get("comment")), "", concat(": ", bl.get("comment")))),
        ifElse(deactivated, "unsubscribed", "bounced"),
      ),
      stamp: ifElse(isBlacklist, bl.get("stamp"), ifElse(deactivated, item().get("deactivated"), item().get("bounced"))),
    }),
  );
  const r = item().get("receiver");
  const events = coalesce(r.get("events"), json("[]"));
  u.add(
    "Desired_states",
    select(body("Classified"), {
      id: idFromNumbers(groupId, r.get("id")),
      receiverId: string(r.get("id")),
      email: r.get("email"),
      person: personOf(r),
      personId: coalesce(crmIdOf(r), ""),
      state: item().get("state"),
      event: item().get("event"),
      eventOn: isoFromUnix(item().get("stamp")),
      events: string(skip(events, max(0, sub(length(events), EVENTS_KEPT)))),
    }),
  );
  u.add("Desired_ids", select(body("Desired_states"), item().get("id")));
  readRowsById(
    u,
    "Read_states",
    RECEIVER_STATES,
    TABLES.receiverState.idColumn,
    [COLUMNS.state, COLUMNS.lastEvent, COLUMNS.lastEventOn],
    body("Desired_ids"),
    "existing",
  );
  // What is stored, one text per row, so that a desired row is looked up with contains() and no
  // object the size of the page is ever built as text.
  const fingerprint = (id: Ex, state: Ex, event: Ex, eventOn: Ex): Ex => concat(id, "|", string(state), "|", event, "|", eventOn);
  u.add(
    "Stored_states",
    select(
      variables("existing"),
      fingerprint(
        item().get(TABLES.receiverState.idColumn),
        item().get(COLUMNS.state),
        coalesce(item().get(COLUMNS.lastEvent), ""),
        coalesce(item().get(COLUMNS.lastEventOn), ""),
      ),
    ),
  );
  const desiredFingerprint = fingerprint(item().get("id"), item().get("state"), item().get("event"), item().get("eventOn"));
  u.add("States_to_write", filterArray(body("Desired_states"), not(contains(body("Stored_states"), desiredFingerprint))));
  u.condition("Any_states", greater(length(body("States_to_write")), 0), (w) => {
    w.add("Wrote_states", setVariable("wrote", true));
  });
  const row = items("Write_states");
  const cases: Record<string, { value: string; body: (c: ScopeBuilder) => void }> = {};
  for (const o of GROUP_OWNERS) {
    for (const p of PERSON_LOOKUPS) {
      const values: RowValues = {
        [COLUMNS.name]: concat(row.get("email"), " - CleverReach group ", groupId),
        [COLUMNS.email]: row.get("email"),
        [COLUMNS.groupId]: groupId,
        [COLUMNS.receiverId]: row.get("receiverId"),
        [COLUMNS.state]: row.get("state"),
        [COLUMNS.lastEvent]: row.get("event"),
        [COLUMNS.lastEventOn]: row.get("eventOn"),
        [COLUMNS.events]: row.get("events"),
        [o.lookup.navigation]: { bind: concat(`/${o.entitySet}(`, owner.get("id"), ")") },
      };
      const name = `Upsert_state_${o.table}_${p.person}`;
      if (p.nav) {
        const linked: RowValues = { ...values, [p.nav]: { bind: concat(`/${p.entitySet}(`, row.get("personId"), ")") } };
        cases[`${o.table}_${p.person}`] = {
          value: `${o.table}/${p.person}`,
          body: (c) => upsertLinkedToPerson(c, name, RECEIVER_STATES, row.get("id"), linked, values),
        };
      } else {
        cases[`${o.table}_${p.person}`] = { value: `${o.table}/${p.person}`, body: (c) => c.add(name, upsertRow(RECEIVER_STATES, row.get("id"), values)) };
      }
    }
  }
  u.forEach(
    "Write_states",
    body("States_to_write"),
    (l) => {
      l.switch("Write_state", concat(owner.get("table"), "/", row.get("person")), cases);
    },
    { concurrency: WRITE_CONCURRENCY },
  );
}
