import { COLUMNS, TABLES } from "../../../../solution/src/model/handles";
import { crmIdOf } from "../../sync/receivers";
import { body, item, items, lit, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, incrementVariable, select, setVariable } from "../../../toolkit/builder/actions";
import { upsertRow, type RowValues } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { cleverReachAction } from "../../patterns/cleverreach";
import { isoFromUnix } from "../../patterns/unixTime";
import { fitted } from "../../patterns/fitted";
import { idFromNumbers, noteRowFailures, readAllPages, readRowsById } from "../reading";
import {
  coalesce,
  concat,
  contains,
  createArray,
  equals,
  greater,
  greaterOrEquals,
  ifElse,
  int,
  length,
  not,
  or,
  setProperty,
  skip,
  string,
  sub,
} from "../../../toolkit/expr/functions";
import { PERSON_LOOKUPS, WRITE_CONCURRENCY, personOf, upsertLinkedToPerson } from "./personLinks";

const MAILING_RESULTS = TABLES.mailingResult.entitySet;
const MAILING_TABLE = TABLES.mailingResult.logicalName;
/** Receivers per report reaction page (ListReportReceivers maximum: the page size a published client uses). */
const REACTION_PAGE = 500;
/**
 * The reactions a Mailing row records, read one after the other. "sent" first: with
 * ENV.mailingHistorySends off it is skipped (README, "What mailing history costs").
 */
const REACTIONS = ["sent", "opened", "clicked"] as const;
/** Reports page size (ListReports maximum). */
const REPORT_PAGE = 100;
/** How far back mailings are looked at for new opens and clicks (most come within days). */
export const REACTION_WINDOW_DAYS = 14;

/**
 * Mailings of the group → one Mailing row per receiver with sent / opened / clicked; per receiver
 * who opened or clicked only, unless `recordSends` (ENV.mailingHistorySends).
 */
export function mailings(s: ScopeBuilder, groupId: Ex, since: Ex, cr: string, recordSends: Ex): void {
  // A report names no group (no source shows a group field), so the group's reports are asked for
  // by group_id; start needs end with it (the explorer's parameter text), so the run's start ends it.
  const runStart = outputs("Run_start");
  readAllPages(
    s,
    cr,
    "Read_reports",
    "ListReports",
    { start: sub(runStart, REACTION_WINDOW_DAYS * 86400), end: runStart, group_id: int(groupId) },
    REPORT_PAGE,
    "reports",
  );
  s.add("Reactions", compose(skip(createArray(...REACTIONS), ifElse(recordSends, 0, 1))));
  s.forEachOneAtATime("Each_report", variables("reports"), (m) => {
    const report = items("Each_report");
    const reaction = outputs("Reactions").get(variables("step"));
    // A page of one reaction at a time, its rows read back, merged and written before the next;
    // one loop over the reactions and their pages (a loop per reaction would nest the writes too deep).
    m.add("Reaction_first", setVariable("step", 0));
    m.add("Reaction_first_page", setVariable("page", 0));
    m.until(
      "Read_reactions",
      greaterOrEquals(variables("step"), length(outputs("Reactions"))),
      (u) => {
        u.add(
          "Reaction_page",
          cleverReachAction(cr, "ListReportReceivers", {
            report_id: report.get("id"),
            reaction,
            from: since,
            page: variables("page"),
            pagesize: REACTION_PAGE,
          }),
        );
        mailingRows(u, report, reaction, groupId);
        u.condition(
          "Same_reaction_again",
          equals(length(body("Reaction_page")), REACTION_PAGE),
          (same) => same.add("Reaction_next_page", incrementVariable("page", 1)),
          (next) => {
            next.add("Next_reaction", incrementVariable("step", 1));
            next.add("Reaction_kind_first_page", setVariable("page", 0));
          },
        );
      },
      { limit: { count: 5000, timeout: "PT6H" } },
    );
  });
}

/** One page of receivers who reacted → Mailing rows; reactions add to what is stored, nothing is taken back. */
function mailingRows(m: ScopeBuilder, report: Ex, reaction: Ex, groupId: Ex): void {
  // CleverReach gives only the address for a receiver no longer in the group: nothing to link.
  m.add("Known_hits", filterArray(body("Reaction_page"), not(equals(item().get("id"), lit(null)))));
  m.add(
    "Reacted",
    select(body("Known_hits"), {
      id: idFromNumbers(report.get("id"), item().get("id")),
      receiverId: string(item().get("id")),
      email: item().get("email"),
      person: personOf(item()),
      personId: coalesce(crmIdOf(item()), ""),
      opened: equals(reaction, "opened"),
      clicked: equals(reaction, "clicked"),
    }),
  );
  m.add("Reacted_ids", select(body("Reacted"), item().get("id")));
  readRowsById(m, "Read_mailings", MAILING_RESULTS, TABLES.mailingResult.idColumn, [COLUMNS.opened, COLUMNS.clicked], body("Reacted_ids"), "existing");
  // What is stored, as lists of ids, so that each row is looked up with contains(): no object the
  // size of the page is ever built as text.
  const storedId = item().get(TABLES.mailingResult.idColumn);
  m.add("Stored_ids", select(variables("existing"), storedId));
  m.add("Stored_opened_rows", filterArray(variables("existing"), equals(item().get(COLUMNS.opened), true)));
  m.add("Stored_opened", select(body("Stored_opened_rows"), storedId));
  m.add("Stored_clicked_rows", filterArray(variables("existing"), equals(item().get(COLUMNS.clicked), true)));
  m.add("Stored_clicked", select(body("Stored_clicked_rows"), storedId));
  const wasOpened = contains(body("Stored_opened"), item().get("id"));
  const wasClicked = contains(body("Stored_clicked"), item().get("id"));
  m.add(
    "Merged",
    select(
      body("Reacted"),
      setProperty(
        setProperty(setProperty(item(), "opened", or(item().get("opened"), wasOpened)), "clicked", or(item().get("clicked"), wasClicked)),
        "stored",
        contains(body("Stored_ids"), item().get("id")),
      ),
    ),
  );
  m.add(
    "Mailings_to_write",
    filterArray(body("Merged"), or(not(item().get("stored")), not(equals(item().get("opened"), wasOpened)), not(equals(item().get("clicked"), wasClicked)))),
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
      [COLUMNS.name]: fitted(coalesce(report.get("subject"), report.get("name"), "Mailing"), MAILING_TABLE, COLUMNS.name),
      [COLUMNS.email]: fitted(row.get("email"), MAILING_TABLE, COLUMNS.email),
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
    const note = `Mailing_failed_${p.person}`;
    m.forEach(
      loop,
      body(`Mailings_of_${p.person}`),
      (l) => {
        const last = nav
          ? upsertLinkedToPerson(
              l,
              name,
              MAILING_RESULTS,
              row.get("id"),
              { ...values, [nav]: { bind: concat(`/${p.entitySet}(`, row.get("personId"), ")") } },
              values,
            )
          : l.add(name, upsertRow(MAILING_RESULTS, row.get("id"), values));
        // A row that cannot be written is noted and the others go on (reading.ts, noteRowFailures).
        l.add(note, compose(concat("the Mailing row of ", row.get("email"), " for mailing ", string(report.get("id")), " could not be written")), {
          [last]: ["Failed"],
        });
      },
      { concurrency: WRITE_CONCURRENCY },
    );
    noteRowFailures(m, `Mailings_${p.person}`, loop, note);
  }
}
