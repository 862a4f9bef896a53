import { COLUMNS, TABLES } from "../../../../solution/src/model/handles";
import { body, item, items, lit, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, select, setVariable } from "../../../toolkit/builder/actions";
import { cleverReachAction } from "../../patterns/cleverreach";
import { upsertRow, type RowValues } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { keyedBy } from "../../patterns/keyedBy";
import { isoFromUnix } from "../../patterns/unixTime";
import { RECEIVER_STATE } from "../../rules/receiverStates";
import { GROUP_OWNERS } from "../../sync/groupOwners";
import { idFromNumbers, readChangedReceivers, readRowsById } from "../reading";
import {
  and,
  chunk,
  coalesce,
  concat,
  empty,
  equals,
  greater,
  greaterOrEquals,
  ifElse,
  int,
  join,
  json,
  length,
  not,
  string,
  toLower,
  union,
} from "../../../toolkit/expr/functions";
import { PERSON_LOOKUPS, WRITE_CONCURRENCY, personOf, upsertLinkedToPerson } from "./personLinks";

const RECEIVER_STATES = TABLES.receiverState.entitySet;
/** E-mail addresses per receivers query when finding newly blacklisted receivers in a group. */
const EMAILS_PER_QUERY = 50;

/** Unsubscribes, bounces and blacklistings since `since` → Receiver State rows. */
export function receiverStates(s: ScopeBuilder, cr: string, owner: Ex, groupId: Ex, since: Ex): void {
  readChangedReceivers(s, cr, "Read_unsubscribed", groupId, "inactive", "deactivated", since, "unsubscribed");
  readChangedReceivers(s, cr, "Read_bounced", groupId, "bounce", "bounced", since, "bounced");
  s.add("New_blacklist", filterArray(body("List_blacklist"), greaterOrEquals(item().get("stamp"), since)));
  keyedBy(s, { entries: "Blacklist_entries", keyed: "Blacklist_by_email" }, body("New_blacklist"), toLower(item().get("email")));
  s.add("Blacklisted_emails", select(body("New_blacklist"), item().get("email")));
  s.add("Blacklisted_reset", setVariable("blacklistedHere", []));
  s.forEachOneAtATime("Find_blacklisted", chunk(body("Blacklisted_emails"), EMAILS_PER_QUERY), (l) => {
    l.add(
      "Blacklisted_page",
      cleverReachAction(cr, "ListGroupReceivers", {
        group_id: int(groupId),
        email_list: join(items("Find_blacklisted"), ","),
        pagesize: EMAILS_PER_QUERY,
        type: "all",
        detail: 1,
      }),
    );
    l.add("Blacklisted_merge", compose(union(variables("blacklistedHere"), body("Blacklisted_page"))));
    l.add("Blacklisted_keep", setVariable("blacklistedHere", outputs("Blacklisted_merge")));
  });
  // CleverReach never mails a blacklisted address; deactivating the receiver too keeps every flow
  // from removing it now and re-adding it later (they never touch inactive receivers).
  s.add("Active_blacklisted", filterArray(variables("blacklistedHere"), equals(item().get("active"), true)));
  s.forEach("Deactivate_blacklisted", body("Active_blacklisted"), (l) => {
    l.add(
      "Deactivate_receiver",
      cleverReachAction(cr, "DeactivateGroupReceiver", { group_id: int(groupId), pool_id: items("Deactivate_blacklisted").get("email") }),
    );
  });
  s.add("Changed_receivers", compose(union(variables("unsubscribed"), variables("bounced"), variables("blacklistedHere"))));
  const bl = outputs("Blacklist_by_email").get(toLower(item().get("email")));
  const isBlacklisted = not(equals(bl, lit(null)));
  s.add(
    "Classified",
    select(outputs("Changed_receivers"), {
      receiver: item(),
      state: ifElse(
        isBlacklisted,
        RECEIVER_STATE.blacklisted,
        ifElse(
          greater(item().get("deactivated"), 0),
          RECEIVER_STATE.unsubscribed,
          ifElse(greater(item().get("bounced"), 0), RECEIVER_STATE.bounced, RECEIVER_STATE.active),
        ),
      ),
      event: ifElse(
        isBlacklisted,
        concat("blacklisted", ifElse(empty(bl.get("comment")), "", concat(": ", bl.get("comment")))),
        ifElse(greater(item().get("deactivated"), 0), "unsubscribed", ifElse(greater(item().get("bounced"), 0), "bounced", "active")),
      ),
      stamp: ifElse(isBlacklisted, bl.get("stamp"), ifElse(greater(item().get("deactivated"), 0), item().get("deactivated"), item().get("bounced"))),
    }),
  );
  const r = item().get("receiver");
  s.add(
    "Desired_states",
    select(body("Classified"), {
      id: idFromNumbers(groupId, r.get("id")),
      receiverId: string(r.get("id")),
      email: r.get("email"),
      person: personOf(r),
      personId: coalesce(r.get("global_attributes").get("crm_id"), ""),
      state: item().get("state"),
      event: item().get("event"),
      eventOn: isoFromUnix(item().get("stamp")),
      events: string(coalesce(r.get("events"), json("[]"))),
    }),
  );
  // One row per receiver: the keyed object keeps the last entry for an id.
  keyedBy(s, { entries: "Desired_entries", keyed: "Desired_by_id" }, body("Desired_states"), item().get("id"));
  s.add("Desired_ids", select(body("Desired_states"), item().get("id")));
  readRowsById(
    s,
    "Read_states",
    RECEIVER_STATES,
    TABLES.receiverState.idColumn,
    [COLUMNS.state, COLUMNS.lastEvent, COLUMNS.lastEventOn],
    union(body("Desired_ids"), body("Desired_ids")),
    "existing",
  );
  keyedBy(s, { entries: "Stored_entries", keyed: "Stored_by_id" }, variables("existing"), item().get(TABLES.receiverState.idColumn));
  s.add("Unique_states", filterArray(body("Desired_states"), equals(string(outputs("Desired_by_id").get(item().get("id"))), string(item()))));
  s.add(
    "States_to_write",
    filterArray(
      body("Unique_states"),
      not(
        and(
          equals(outputs("Stored_by_id").get(item().get("id")).get(COLUMNS.state), item().get("state")),
          equals(outputs("Stored_by_id").get(item().get("id")).get(COLUMNS.lastEvent), item().get("event")),
          equals(outputs("Stored_by_id").get(item().get("id")).get(COLUMNS.lastEventOn), item().get("eventOn")),
        ),
      ),
    ),
  );
  s.condition("Any_states", greater(length(body("States_to_write")), 0), (w) => {
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
  s.forEach(
    "Write_states",
    body("States_to_write"),
    (l) => {
      l.switch("Write_state", concat(owner.get("table"), "/", row.get("person")), cases);
    },
    { concurrency: WRITE_CONCURRENCY },
  );
}
