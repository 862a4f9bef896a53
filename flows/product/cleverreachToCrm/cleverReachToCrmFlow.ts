import { label } from "../../../solution/src/labels";
import { COLUMNS, LOOKUPS, TABLES } from "../../../solution/src/model/handles";
import { body, item, items, lit, outputs, variables, type Ex } from "../../toolkit/expr/build";
import { appendToArrayVariable, compose, filterArray, initializeVariable, select, setVariable, terminate, type Value } from "../../toolkit/builder/actions";
import { cleverReachAction } from "../patterns/cleverreach";
import { getRow, listRows, PAGINATION_MAX, updateRow, upsertRow, type RowValues } from "../../toolkit/builder/dataverse";
import { ProductFlow } from "../patterns/productFlow";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { recurrence } from "../../toolkit/builder/triggers";
import { failRun } from "../../toolkit/builder/catchFailures";
import { keyedBy } from "../patterns/keyedBy";
import { allSyncedOwners } from "../patterns/syncedOwners";
import { EPOCH, isoFromUnix, unixFromIso, unixNow } from "../patterns/unixTime";
import { RECEIVER_STATE } from "../rules/receiverStates";
import { GROUP_OWNERS } from "../sync/groupOwners";
import { idFromNumbers, readAllPages, readChangedReceivers, readRowsById } from "./reading";
import {
  and,
  chunk,
  coalesce,
  concat,
  contains,
  createArray,
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
  or,
  setProperty,
  string,
  sub,
  toLower,
  union,
} from "../../toolkit/expr/functions";

const RECEIVER_STATES = TABLES.receiverState.entitySet;
const MAILING_RESULTS = TABLES.mailingResult.entitySet;

/** How far back mailings are looked at for new opens and clicks (most come within days). */
export const REACTION_WINDOW_DAYS = 14;
/** Rows written in parallel (Dataverse has no bulk upsert in the connector our builders use). */
const WRITE_CONCURRENCY = 20;
/** Reports page size (ListReports maximum). */
const REPORT_PAGE = 100;
/** Receivers per report reaction page. */
const REACTION_PAGE = 1000;
/** E-mail addresses per receivers query when finding newly blacklisted receivers in a group. */
const EMAILS_PER_QUERY = 50;

const PERSON_LOOKUPS = [
  { person: "contact", nav: LOOKUPS.contact.navigation, entitySet: LOOKUPS.contact.target.entitySetName },
  { person: "lead", nav: LOOKUPS.lead.navigation, entitySet: LOOKUPS.lead.target.entitySetName },
  { person: "none", nav: undefined, entitySet: undefined },
] as const;

/**
 * Upserts a row that links to a contact or lead; when that person no longer exists (the bind
 * answers 404) the row is written without the link, so that one deleted contact does not fail its
 * group every hour. Any other failure is tried once more, so that it fails the run with the real
 * answer instead of being swallowed. Costs nothing extra when the write succeeds.
 */
function upsertLinkedToPerson(l: ScopeBuilder, name: string, entitySet: string, id: Ex, linked: RowValues, unlinked: RowValues): void {
  l.add(name, upsertRow(entitySet, id, linked));
  l.condition(
    `${name}_recover`,
    equals(outputs(name).get("statusCode"), 404),
    (gone) => gone.add(`${name}_unlinked`, upsertRow(entitySet, id, unlinked)),
    (other) => other.add(`${name}_again`, upsertRow(entitySet, id, linked)),
    { after: { [name]: ["Failed"] } },
  );
}

/** The person a receiver was sent for (the Sync group's crm_table / crm_id attributes), or "none". */
const personOf = (r: Ex): Ex =>
  ifElse(
    and(
      contains(createArray("contact", "lead"), coalesce(r.get("global_attributes").get("crm_table"), "")),
      not(empty(r.get("global_attributes").get("crm_id"))),
    ),
    r.get("global_attributes").get("crm_table"),
    "none",
  );

/**
 * "CleverReachToCrm" (SPEC §7): every hour, for every synced list, campaign and campaign activity,
 * what changed in its CleverReach group since the group's watermark comes back into Dataverse:
 * - unsubscribed, bounced and newly blacklisted receivers become Receiver State rows (one per
 *   receiver and group, row id made from the two ids, so reruns update the same row); a newly
 *   blacklisted receiver is also deactivated in the group, so that no flow ever removes and later
 *   re-adds them (SPEC §6.5: inactive receivers are never touched);
 * - mailings of the group (reports of the last 14 days) become Mailing rows per receiver with
 *   sent / opened / clicked;
 * - the group's statistics become the record's receiver status text.
 * Rows are read back by id before writing and only differing rows are written, the status only
 * when its text changed, and the watermark only when something was written: a run with nothing
 * new writes nothing to Dataverse.
 *
 * Cost per group and hour: GetGroupStats, 2 receiver reads (newest first, stop at the watermark),
 * 3 reaction reads per recent mailing, one Dataverse read per 50 changed rows and one write per
 * changed row; account-wide once: the owners (3 queries), the group links, the blacklist, the
 * reports of the last 14 days.
 */
export function cleverReachToCrmFlow(): ProductFlow {
  const f = new ProductFlow({ key: "cleverreach-to-crm", displayName: label("CleverReachToCrm", "CleverReachToCrm") });
  f.useDataverse();
  const cr = f.useCleverReach();
  f.trigger("Recurrence", recurrence("Hour", 1));
  const a = f.actions;
  for (const [name, type, value] of [
    ["page", "integer", 0],
    ["more", "boolean", true],
    ["unsubscribed", "array", []],
    ["bounced", "array", []],
    ["blacklistedHere", "array", []],
    ["existing", "array", []],
    ["reports", "array", []],
    ["hitsSent", "array", []],
    ["hitsOpened", "array", []],
    ["hitsClicked", "array", []],
    ["wrote", "boolean", false],
    ["groupErrors", "array", []],
  ] as const) {
    a.add(`Init_${name}`, initializeVariable(name, type, value as Value));
  }
  a.add("Run_start", compose(unixNow()));
  const ownerMap: Record<string, Value> = {};
  for (const o of GROUP_OWNERS) ownerMap[o.table] = { entitySet: o.entitySet };
  a.add("Owner_sets", compose(ownerMap));
  a.tryCatch(
    "Try",
    (t) => {
      const owners = allSyncedOwners(t, "Synced");
      t.add(
        "List_group_links",
        listRows({
          entitySet: TABLES.groupLink.entitySet,
          select: [COLUMNS.recordId, COLUMNS.changesReadOn],
          filter: `${COLUMNS.changesReadOn} ne null`,
          paginateTo: PAGINATION_MAX,
        }),
      );
      keyedBy(t, { entries: "Link_entries", keyed: "Links_by_record" }, body("List_group_links").get("value"), toLower(item().get(COLUMNS.recordId)));
      t.add("List_blacklist", cleverReachAction(cr, "ListBlacklist", {}));
      readAllPages(t, cr, "Read_reports", "ListReports", { start: sub(outputs("Run_start"), REACTION_WINDOW_DAYS * 86400) }, REPORT_PAGE, "reports");
      t.forEach("Each_group", outputs(owners), (g) => eachGroup(g, cr));
      t.condition("Any_group_failed", greater(length(variables("groupErrors")), 0), (e) => {
        e.add("Fail_groups", terminate("Failed", { code: "CleverReachToCrmFailed", message: join(variables("groupErrors"), "; ") }));
      });
    },
    failRun({
      code: "CleverReachToCrmFailed",
      errorText: (step, message) => concat("CleverReachToCrm failed at ", step, ": ", message),
    }),
  );
  return f;
}

function eachGroup(g: ScopeBuilder, cr: string): void {
  const owner = items("Each_group");
  const groupId = owner.get("groupId");
  const entitySet = outputs("Owner_sets").get(owner.get("table")).get("entitySet");
  g.add("Nothing_written_yet", setVariable("wrote", false));
  g.tryCatch(
    "Group_try",
    (s) => {
      const link = outputs("Links_by_record").get(toLower(owner.get("id")));
      // if() evaluates both branches, so the missing watermark becomes the epoch instead.
      s.add("Since", compose(unixFromIso(coalesce(link.get(COLUMNS.changesReadOn), EPOCH))));
      const since = outputs("Since");
      receiverStates(s, cr, owner, groupId, since);
      mailings(s, groupId, since, cr);
      // The readable summary (SPEC §3 receiver status); written only when its text changed.
      s.add("Group_stats", cleverReachAction(cr, "GetGroupStats", { group_id: int(groupId) }));
      const st = body("Group_stats");
      s.add(
        "Status_text",
        compose(
          concat(
            "CleverReach group ",
            groupId,
            ": ",
            string(st.get("total_count")),
            " receivers, ",
            string(st.get("active_count")),
            " active, ",
            string(st.get("inactive_count")),
            " inactive (unsubscribed or blacklisted), ",
            string(st.get("bounce_count")),
            " bounced. Who and why: see the Receiver States of this record.",
          ),
        ),
      );
      s.add("Get_status", getRow(entitySet.value, owner.get("id"), [COLUMNS.receiverStatus]));
      s.condition("Status_changed", not(equals(coalesce(body("Get_status").get(COLUMNS.receiverStatus), ""), outputs("Status_text"))), (w) => {
        w.add("Write_status", updateRow(entitySet.value, owner.get("id"), { [COLUMNS.receiverStatus]: outputs("Status_text") }));
      });
      // The next run reads from this run's start: all it read up to then is written now.
      s.condition("Advance_watermark", variables("wrote"), (w) => {
        w.add(
          "Write_watermark",
          upsertRow(TABLES.groupLink.entitySet, owner.get("id"), {
            [COLUMNS.changesReadOn]: isoFromUnix(outputs("Run_start")),
            [COLUMNS.groupId]: groupId,
            [COLUMNS.recordTable]: owner.get("table"),
            [COLUMNS.recordId]: owner.get("id"),
          }),
        );
      });
    },
    (c, failure) => {
      c.add("Group_error", compose(concat("CleverReachToCrm failed for group ", groupId, " at ", failure.step, ": ", failure.message)));
      c.add("Write_group_error", updateRow(entitySet.value, owner.get("id"), { [COLUMNS.lastSyncError]: outputs("Group_error") }));
      c.add("Note_group_error", appendToArrayVariable("groupErrors", outputs("Group_error")));
    },
    { catchName: "Group_catch", failuresName: "Group_failures" },
  );
}

/** Unsubscribes, bounces and blacklistings since `since` → Receiver State rows. */
function receiverStates(s: ScopeBuilder, cr: string, owner: Ex, groupId: Ex, since: Ex): void {
  readChangedReceivers(s, cr, "Read_unsubscribed", groupId, "inactive", "deactivated", since, "unsubscribed");
  readChangedReceivers(s, cr, "Read_bounced", groupId, "bounce", "bounced", since, "bounced");
  s.add("New_blacklist", filterArray(body("List_blacklist"), greaterOrEquals(item().get("stamp"), since)));
  keyedBy(s, { entries: "Blacklist_entries", keyed: "Blacklist_by_email" }, body("New_blacklist"), toLower(item().get("email")));
  s.add("Blacklisted_emails", select(body("New_blacklist"), item().get("email")));
  s.add("Blacklisted_reset", setVariable("blacklistedHere", []));
  s.forEach("Find_blacklisted", chunk(body("Blacklisted_emails"), EMAILS_PER_QUERY), (l) => {
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

/** Mailings of the group → one Mailing row per receiver with sent / opened / clicked. */
function mailings(s: ScopeBuilder, groupId: Ex, since: Ex, cr: string): void {
  s.add("Group_reports", filterArray(variables("reports"), equals(string(item().get("groups_id")), groupId)));
  s.forEach("Each_report", body("Group_reports"), (m) => {
    const report = items("Each_report");
    for (const [reaction, into] of [
      ["sent", "hitsSent"],
      ["opened", "hitsOpened"],
      ["clicked", "hitsClicked"],
    ] as const) {
      readAllPages(m, cr, `Read_${reaction}`, "ListReportReceivers", { report_id: report.get("id"), reaction, from: since }, REACTION_PAGE, into);
    }
    // CleverReach gives only the address for a receiver no longer in the group: nothing to link.
    const known = not(equals(item().get("id"), lit(null)));
    m.add("Known_hits", filterArray(union(variables("hitsSent"), variables("hitsOpened"), variables("hitsClicked")), known));
    m.add("Known_sent", filterArray(variables("hitsSent"), known));
    m.add("Known_opened", filterArray(variables("hitsOpened"), known));
    m.add("Known_clicked", filterArray(variables("hitsClicked"), known));
    m.add("Sent_ids", select(body("Known_sent"), item().get("id")));
    m.add("Opened_ids", select(body("Known_opened"), item().get("id")));
    m.add("Clicked_ids", select(body("Known_clicked"), item().get("id")));
    keyedBy(m, { entries: "Hit_entries", keyed: "Hits_by_id" }, body("Known_hits"), string(item().get("id")));
    m.add("Hit_ids", compose(union(body("Sent_ids"), body("Opened_ids"), body("Clicked_ids"))));
    const hit = outputs("Hits_by_id").get(string(item()));
    m.add(
      "Reacted",
      select(outputs("Hit_ids"), {
        id: idFromNumbers(report.get("id"), item()),
        receiverId: string(item()),
        email: hit.get("email"),
        person: personOf(hit),
        personId: coalesce(hit.get("global_attributes").get("crm_id"), ""),
        opened: contains(body("Opened_ids"), item()),
        clicked: contains(body("Clicked_ids"), item()),
      }),
    );
    m.add("Reacted_ids", select(body("Reacted"), item().get("id")));
    readRowsById(m, "Read_mailings", MAILING_RESULTS, TABLES.mailingResult.idColumn, [COLUMNS.opened, COLUMNS.clicked], body("Reacted_ids"), "existing");
    keyedBy(m, { entries: "Stored_mailing_entries", keyed: "Stored_mailings" }, variables("existing"), item().get(TABLES.mailingResult.idColumn));
    const stored = outputs("Stored_mailings").get(item().get("id"));
    // Reactions read since the watermark add to what is stored; nothing is ever taken back.
    m.add(
      "Merged",
      select(
        body("Reacted"),
        setProperty(
          setProperty(
            setProperty(item(), "opened", or(item().get("opened"), equals(stored.get(COLUMNS.opened), true))),
            "clicked",
            or(item().get("clicked"), equals(stored.get(COLUMNS.clicked), true)),
          ),
          "stored",
          not(equals(stored, lit(null))),
        ),
      ),
    );
    m.add(
      "Mailings_to_write",
      filterArray(
        body("Merged"),
        or(
          not(item().get("stored")),
          not(equals(item().get("opened"), equals(stored.get(COLUMNS.opened), true))),
          not(equals(item().get("clicked"), equals(stored.get(COLUMNS.clicked), true))),
        ),
      ),
    );
    m.condition("Any_mailings", greater(length(body("Mailings_to_write")), 0), (w) => {
      w.add("Wrote_mailings", setVariable("wrote", true));
    });
    // One loop per kind of person, so that each row costs exactly one action (the lookup to
    // bind is a parameter name, which a single action cannot choose per row).
    for (const p of PERSON_LOOKUPS) {
      const loop = `Write_mailings_${p.person}`;
      const row = items(loop);
      const values: RowValues = {
        [COLUMNS.name]: coalesce(report.get("subject"), report.get("name"), "Mailing"),
        [COLUMNS.email]: row.get("email"),
        [COLUMNS.groupId]: groupId,
        [COLUMNS.mailingId]: string(report.get("id")),
        [COLUMNS.receiverId]: row.get("receiverId"),
        [COLUMNS.sentOn]: isoFromUnix(report.get("started")),
        [COLUMNS.opened]: row.get("opened"),
        [COLUMNS.clicked]: row.get("clicked"),
      };
      m.add(`Mailings_of_${p.person}`, filterArray(body("Mailings_to_write"), equals(item().get("person"), p.person)));
      const name = `Upsert_mailing_${p.person}`;
      const nav = p.nav;
      m.forEach(
        loop,
        body(`Mailings_of_${p.person}`),
        (l) =>
          nav
            ? upsertLinkedToPerson(
                l,
                name,
                MAILING_RESULTS,
                row.get("id"),
                { ...values, [nav]: { bind: concat(`/${p.entitySet}(`, row.get("personId"), ")") } },
                values,
              )
            : l.add(name, upsertRow(MAILING_RESULTS, row.get("id"), values)),
        { concurrency: WRITE_CONCURRENCY },
      );
    }
  });
}
