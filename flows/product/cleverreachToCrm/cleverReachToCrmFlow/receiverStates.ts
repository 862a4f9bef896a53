import { COLUMNS, TABLES } from "../../../../solution/src/model/handles";
import { crmIdOf } from "../../sync/receivers";
import { body, item, items, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, incrementVariable, select, setVariable } from "../../../toolkit/builder/actions";
import { cleverReachAction } from "../../patterns/cleverreach";
import { upsertRow, type RowValues } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { keyedBy } from "../../patterns/keyedBy";
import { isoFromUnix } from "../../patterns/unixTime";
import { CONFIRMED_EVENT, RECEIVER_STATE } from "../../rules/receiverStates";
import { DOI_MARK } from "../../rules/doubleOptIn";
import { doubleOptInOn } from "../../sync/doubleOptIn";
import { GROUP_OWNERS } from "../../sync/groupOwners";
import { fitted } from "../../patterns/fitted";
import { idFromNumbers, noteRowFailures, readRowsById } from "../reading";
import { MAX_PAGE_SIZE } from "../../../../connector/src/definition/definitions";
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
  max,
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
const STATE_TABLE = TABLES.receiverState.logicalName;
/** Addresses or ids per detail query (the receivers a scan found changed, newly blacklisted addresses). */
const DETAILS_PER_QUERY = 50;
/** The newest events a Receiver State row keeps (the column holds 100,000 characters; an event is about 150). */
const EVENTS_KEPT = 100;

/**
 * What is read, one kind after the other: newly blacklisted addresses (50 at a time, by
 * `email_list`), then unsubscribed and bounced receivers. Blacklisted comes first and outranks the
 * others (cleverreach-to-crm.md), so the later kinds skip its addresses.
 */
const CHANGE_KINDS = [
  { kind: "blacklist", type: "all", field: "" },
  { kind: "unsubscribed", type: "inactive", field: "deactivated" },
  { kind: "bounced", type: "bounce", field: "bounced" },
];
/**
 * With double opt-in on, also the confirmations: active receivers activated since the watermark that
 * carry the request mark (the product asked them to confirm; their click activated them). A receiver
 * awaiting its confirmation (inactive, never deactivated) is no kind at all: it is not a decline.
 * Cost: the group's active receivers are scanned too, ceil(active / 5000) more calls a group and hour.
 */
const CONFIRMED_KIND = { kind: "confirmed", type: "active", field: "activated" };

/**
 * Unsubscribes, bounces and blacklistings since `since` (the watermark less its margin) → Receiver
 * State rows. No order of CleverReach's answers is relied on (issue 15, item 15: nothing shows that
 * `order_by` is honoured), and no filter by time exists for a group's receivers (its parameters are
 * page, pagesize, type, detail, email_list, id_list and order_by: SDK GroupsService::getReceivers,
 * MindCloud list-group-receivers.md), so each kind is scanned to its last page, 5000 receivers a
 * page without details; the changed ones a page holds are then read with their events, 50 at a
 * time by id, and written before the next page is scanned. One loop, one call per turn:
 * - a turn with addresses or ids waiting (`pending`) reads the next 50 of them in detail and writes them;
 * - otherwise it scans the next page of the kind and keeps the ids of the changed receivers.
 * What a run holds is at most a page (5000 ids) and 50 detailed receivers, whatever the group's size.
 */
export function receiverStates(s: ScopeBuilder, cr: string, owner: Ex, groupId: Ex, since: Ex, doubleOptIn: Ex): void {
  s.add("New_blacklist", filterArray(body("List_blacklist"), greaterOrEquals(item().get("stamp"), since)));
  s.add("Blacklisted_emails", select(body("New_blacklist"), toLower(item().get("email"))));
  s.add(
    "All_change_kinds",
    compose(ifElse(doubleOptInOn(doubleOptIn), json(JSON.stringify([...CHANGE_KINDS, CONFIRMED_KIND])), json(JSON.stringify(CHANGE_KINDS)))),
  );
  // Without new blacklist entries the blacklist kind has nothing to read.
  s.add("Change_kinds", compose(ifElse(empty(body("Blacklisted_emails")), skip(outputs("All_change_kinds"), 1), outputs("All_change_kinds"))));
  s.add("Change_first_kind", setVariable("step", 0));
  s.add("Change_first_page", setVariable("page", 0));
  s.add("Change_no_more_pages", setVariable("more", false));
  // The blacklist kind's addresses are known before any call: they wait to be read in detail.
  s.add("Change_first_pending", setVariable("pending", body("Blacklisted_emails")));
  s.until(
    "Read_changes",
    greaterOrEquals(variables("step"), length(outputs("Change_kinds"))),
    (u) => {
      const kind = outputs("Change_kinds").get(variables("step"));
      const isBlacklist = equals(kind.get("kind"), "blacklist");
      const isConfirmed = equals(kind.get("kind"), CONFIRMED_KIND.kind);
      const field = kind.get("field");
      const inDetail = not(empty(variables("pending")));
      const chunkKeys = take(variables("pending"), DETAILS_PER_QUERY);
      // One call for both ways of reading: an empty parameter is left out of the request. Ids, not
      // addresses, name the scanned receivers: an id is digits, an address may hold anything.
      u.add(
        "Changes_page",
        cleverReachAction(cr, "ListGroupReceivers", {
          group_id: int(groupId),
          email_list: ifElse(and(inDetail, isBlacklist), join(chunkKeys, ","), ""),
          id_list: ifElse(and(inDetail, not(isBlacklist)), join(chunkKeys, ","), ""),
          page: ifElse(inDetail, 0, variables("page")),
          pagesize: ifElse(inDetail, DETAILS_PER_QUERY, MAX_PAGE_SIZE),
          type: kind.get("type"),
          detail: ifElse(inDetail, 1, 0),
        }),
      );
      // A scanned page: the receivers whose time is since the watermark (less its margin). if()
      // evaluates both branches: the blacklist kind has no field, so its time reads as 0.
      const stamp = coalesce(item().get(field), 0);
      u.add(
        "Scanned_changes",
        filterArray(
          body("Changes_page"),
          and(
            not(inDetail),
            greater(stamp, 0),
            greaterOrEquals(stamp, since),
            not(contains(body("Blacklisted_emails"), toLower(item().get("email")))),
            // A confirmation only of someone the product asked (any other active receiver is no news).
            or(not(isConfirmed), not(equals(coalesce(item().get("attributes").get(DOI_MARK.name), ""), ""))),
          ),
        ),
      );
      // A detail page: the receivers asked for (CleverReach answers nothing else, but nothing says so).
      const key = ifElse(isBlacklist, toLower(item().get("email")), string(item().get("id")));
      u.add("Fresh_changes", filterArray(body("Changes_page"), and(inDetail, contains(chunkKeys, key))));
      // CleverReach never mails a blacklisted address; deactivating the receiver too keeps every flow
      // from removing it now and re-adding it later (they never touch inactive receivers).
      u.add("Active_blacklisted", filterArray(body("Fresh_changes"), and(isBlacklist, equals(item().get("active"), true))));
      u.forEach("Deactivate_blacklisted", body("Active_blacklisted"), (l) => {
        l.add(
          "Deactivate_receiver",
          cleverReachAction(cr, "DeactivateGroupReceiver", { group_id: int(groupId), pool_id: string(items("Deactivate_blacklisted").get("id")) }),
        );
      });
      // The page's blacklist entries (at most 50), to give each blacklisted receiver its comment and time.
      u.add("Page_blacklist", filterArray(body("New_blacklist"), and(isBlacklist, inDetail, contains(chunkKeys, toLower(item().get("email"))))));
      keyedBy(u, { entries: "Blacklist_entries", keyed: "Blacklist_by_email" }, body("Page_blacklist"), toLower(item().get("email")));
      u.add("Changed_receivers", compose(body("Fresh_changes")));
      writeStates(u, owner, groupId, isBlacklist, isConfirmed);
      // What waits next: the rest of this detail chunk, or the changed receivers of the page just scanned.
      u.add("Scanned_ids", select(body("Scanned_changes"), string(item().get("id"))));
      u.add("Next_pending", compose(ifElse(inDetail, skip(variables("pending"), DETAILS_PER_QUERY), body("Scanned_ids"))));
      u.add("Keep_pending", setVariable("pending", outputs("Next_pending")));
      // A full scanned page may have a next one; a short one was the last.
      u.add("More_pages", compose(ifElse(inDetail, variables("more"), equals(length(body("Changes_page")), MAX_PAGE_SIZE))));
      u.add("Keep_more", setVariable("more", outputs("More_pages")));
      u.add("Next_page", compose(add(variables("page"), ifElse(inDetail, 0, 1))));
      u.add("Keep_page", setVariable("page", outputs("Next_page")));
      u.condition("Kind_done", and(empty(outputs("Next_pending")), not(outputs("More_pages"))), (next) => {
        next.add("Changes_next_kind", incrementVariable("step", 1));
        next.add("Changes_kind_first_page", setVariable("page", 0));
        next.add("Changes_kind_no_more", setVariable("more", false));
      });
    },
    // Scanning 5000 a turn, 5000 turns read 25 million receivers: far beyond any group.
    { limit: { count: 5000, timeout: "PT6H" } },
  );
}

/** The page's changed receivers → Receiver State rows; only rows that differ from what is stored are written. */
function writeStates(u: ScopeBuilder, owner: Ex, groupId: Ex, isBlacklist: Ex, isConfirmed: Ex): void {
  const bl = outputs("Blacklist_by_email").get(toLower(item().get("email")));
  const deactivated = greater(item().get("deactivated"), 0);
  u.add(
    "Classified",
    select(body("Changed_receivers"), {
      receiver: item(),
      state: ifElse(
        isBlacklist,
        RECEIVER_STATE.blacklisted,
        ifElse(deactivated, RECEIVER_STATE.unsubscribed, ifElse(isConfirmed, RECEIVER_STATE.active, RECEIVER_STATE.bounced)),
      ),
      event: ifElse(
        isBlacklist,
        concat("blacklisted", ifElse(empty(bl.get("comment")), "", concat(": ", bl.get("comment")))),
        ifElse(deactivated, "unsubscribed", ifElse(isConfirmed, CONFIRMED_EVENT, "bounced")),
      ),
      stamp: ifElse(
        isBlacklist,
        bl.get("stamp"),
        ifElse(deactivated, item().get("deactivated"), ifElse(isConfirmed, item().get("activated"), item().get("bounced"))),
      ),
    }),
  );
  const r = item().get("receiver");
  const events = coalesce(r.get("events"), json("[]"));
  u.add(
    "Desired_states",
    select(body("Classified"), {
      id: idFromNumbers(groupId, r.get("id")),
      receiverId: string(r.get("id")),
      // Cut to fit here, before the comparison with what is stored, so that a cut value compares equal next time.
      email: fitted(r.get("email"), STATE_TABLE, COLUMNS.email),
      person: personOf(r),
      personId: coalesce(crmIdOf(r), ""),
      state: item().get("state"),
      event: fitted(item().get("event"), STATE_TABLE, COLUMNS.lastEvent),
      eventOn: isoFromUnix(item().get("stamp")),
      events: fitted(string(skip(events, max(0, sub(length(events), EVENTS_KEPT)))), STATE_TABLE, COLUMNS.events),
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
        [COLUMNS.name]: fitted(concat(row.get("email"), " - CleverReach group ", groupId), STATE_TABLE, COLUMNS.name),
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
      // A row that cannot be written is noted and the others go on; the notes are read from the
      // loop's result() afterwards, as iterations running at once must not write a variable.
      l.add("State_failed", compose(concat("the Receiver State of ", row.get("email"), " (receiver ", row.get("receiverId"), ") could not be written")), {
        Write_state: ["Failed"],
      });
    },
    { concurrency: WRITE_CONCURRENCY },
  );
  noteRowFailures(u, "States", "Write_states", "State_failed");
}
