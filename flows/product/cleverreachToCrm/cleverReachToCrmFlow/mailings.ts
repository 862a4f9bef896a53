import { COLUMNS, TABLES } from "../../../../solution/src/model/handles";
import { body, item, items, lit, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, select, setVariable } from "../../../toolkit/builder/actions";
import { upsertRow, type RowValues } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { keyedBy } from "../../patterns/keyedBy";
import { isoFromUnix } from "../../patterns/unixTime";
import { idFromNumbers, readAllPages, readRowsById } from "../reading";
import { coalesce, concat, contains, equals, greater, int, length, not, or, setProperty, string, sub, union } from "../../../toolkit/expr/functions";
import { PERSON_LOOKUPS, WRITE_CONCURRENCY, personOf, upsertLinkedToPerson } from "./personLinks";

const MAILING_RESULTS = TABLES.mailingResult.entitySet;
/** Receivers per report reaction page (ListReportReceivers maximum: the page size a published client uses). */
const REACTION_PAGE = 500;
/** Reports page size (ListReports maximum). */
const REPORT_PAGE = 100;
/** How far back mailings are looked at for new opens and clicks (most come within days). */
export const REACTION_WINDOW_DAYS = 14;

/** Mailings of the group → one Mailing row per receiver with sent / opened / clicked. */
export function mailings(s: ScopeBuilder, groupId: Ex, since: Ex, cr: string): void {
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
  s.forEachOneAtATime("Each_report", variables("reports"), (m) => {
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
