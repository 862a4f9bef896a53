import { label } from "../../../solution/src/labels";
import * as odata from "../../toolkit/builder/odataFilter";
import { COLUMNS, ENV, TABLES } from "../../../solution/src/model/handles";
import { body, items, lit, outputs, result, item, variables } from "../../toolkit/expr/build";
import { compose, filterArray, initializeVariable, select, setVariable, terminate } from "../../toolkit/builder/actions";
import { deleteRow, listRows } from "../../toolkit/builder/dataverse";
import { failRun } from "../../toolkit/builder/failRun";
import { ONE_RUN_AT_A_TIME } from "../../toolkit/builder/flow";
import { recurrence } from "../../toolkit/builder/triggers";
import {
  addDays,
  and,
  concat,
  contains,
  createArray,
  empty,
  equals,
  greater,
  join,
  length,
  mul,
  not,
  startOfDay,
  string,
  take,
  utcNow,
} from "../../toolkit/expr/functions";
import { writeSyncLog } from "../patterns/syncLog";
import { ProductFlow } from "../patterns/productFlow";
import { SYNC_LOG_RETENTION_ADVICE, SYNC_LOG_RETENTION_DAYS } from "../rules/syncLogRetention";

/** Rows deleted per page: one List rows page (Dataverse answers at most 5000 rows a request). */
export const CLEANUP_PAGE = 5000;
/** Deletes at once within a page (no variable is written in the loop). */
const DELETE_CONCURRENCY = 20;
/** Pages per run: the platform's Until cap; 5000 pages of 5000 rows is far beyond a year of logs. */
const CLEANUP_LIMIT = { count: 5000, timeout: "PT12H" };

const CLEANUP_NAME = label("CleverReach - Sync log clean-up", "CleverReach - Synchronisationsprotokoll bereinigen");

/**
 * "CleverReach - Sync log clean-up": once a day, deletes the sync log rows created more than
 * ENV.syncLogRetentionDays days ago, a page at a time (flows/product/README.md, "Sync log"). The
 * first page of the old rows is read again after each page is deleted, until none is left, a
 * delete fails, or the loop's limit is reached; a row someone else deleted meanwhile (404) counts
 * as deleted.
 */
export function syncLogCleanupFlow(): ProductFlow {
  const f = new ProductFlow({
    key: "sync-log-cleanup",
    displayName: CLEANUP_NAME,
    purpose: "Every day: deletes the sync log rows older than the retention setting (7, 30 or 90 days).",
  });
  f.useDataverse();
  const days = f.environmentVariable(ENV.syncLogRetentionDays);
  f.trigger("Every_day", recurrence("Day", 1), { concurrency: ONE_RUN_AT_A_TIME });
  const a = f.actions;
  // Same text as syncLogRetentionProblem() in flows/product/rules/syncLogRetention.ts.
  const allowed = SYNC_LOG_RETENTION_DAYS;
  const retentionError = concat(
    `${ENV.syncLogRetentionDays.schemaName} must be ${allowed.slice(0, -1).join(", ")} or ${allowed[allowed.length - 1]} (days), not `,
    string(days),
  );
  // The run has no record to put this on: the administrator finds it in the sync log, one row a day
  // at most (a daily failure does not pile up), and in the run's history.
  a.condition("Check_retention", not(contains(createArray(...allowed), days)), (bad) => {
    const text = concat("CleverReach sync log clean-up did not run: the environment variable ", retentionError, `. ${SYNC_LOG_RETENTION_ADVICE}`);
    bad.add("Retention_error", compose(text));
    bad.add(
      "Logged_today",
      listRows({
        entitySet: TABLES.syncLog.entitySet,
        select: [COLUMNS.error],
        filter: odata.filter(odata.and(odata.eq(COLUMNS.flow, odata.str(CLEANUP_NAME.en)), odata.ge("createdon", odata.dateTime(startOfDay(utcNow()))))),
      }),
    );
    bad.add("Same_error_today", filterArray(body("Logged_today").get("value"), equals(item().get(COLUMNS.error), outputs("Retention_error"))));
    bad.condition("Not_logged_yet", empty(body("Same_error_today")), (w) => {
      const now = utcNow();
      writeSyncLog(
        w,
        "Log_retention_error",
        { flow: CLEANUP_NAME.en, table: lit(""), id: "", outcome: "failed", startedOn: now, endedOn: now, error: outputs("Retention_error") },
        {},
        false,
      );
    });
    bad.add("Stop_on_retention", terminate("Failed", { code: "InvalidConfiguration", message: outputs("Retention_error") }), {
      Not_logged_yet: ["Succeeded", "Failed", "Skipped"],
    });
  });
  a.add("Kept_since", compose(addDays(utcNow(), mul(days, -1))));
  a.add("Init_more", initializeVariable("more", "boolean", true));
  a.add("Init_delete_errors", initializeVariable("deleteErrors", "array", []));
  a.tryCatch(
    "Try",
    (t) => {
      t.until(
        "Each_page",
        not(variables("more")),
        (u) => {
          u.add(
            "Old_rows",
            listRows({
              entitySet: TABLES.syncLog.entitySet,
              select: [TABLES.syncLog.idColumn],
              filter: odata.filter(odata.lt("createdon", odata.dateTime(outputs("Kept_since")))),
              top: CLEANUP_PAGE,
            }),
          );
          const rows = body("Old_rows").get("value");
          u.forEach(
            "Delete_rows",
            rows,
            (d) => {
              d.add("Delete_row", deleteRow(TABLES.syncLog.entitySet, items("Delete_rows").get(TABLES.syncLog.idColumn)));
              d.add("Delete_failed", compose({ statusCode: outputs("Delete_row").get("statusCode"), text: string(outputs("Delete_row").get("body")) }), {
                Delete_row: ["Failed"],
              });
            },
            { concurrency: DELETE_CONCURRENCY },
          );
          u.add(
            "Delete_errors",
            filterArray(
              result("Delete_rows"),
              and(
                equals(item().get("name"), "Delete_failed"),
                equals(item().get("status"), "Succeeded"),
                not(equals(item().get("outputs").get("statusCode"), 404)),
              ),
            ),
          );
          u.condition("Any_delete_failed", greater(length(body("Delete_errors")), 0), (e) => {
            e.add("Keep_delete_errors", setVariable("deleteErrors", body("Delete_errors")));
          });
          // Until a read finds no old row: a page may come back shorter than asked (the service
          // decides its page size), so only an empty one says that none is left.
          u.add("More_pages", setVariable("more", and(greater(length(rows), 0), equals(length(variables("deleteErrors")), 0))));
        },
        { limit: CLEANUP_LIMIT },
      );
      t.condition("Check_deletes", greater(length(variables("deleteErrors")), 0), (e) => {
        e.add("Delete_texts", select(variables("deleteErrors"), item().get("outputs").get("text")));
        e.add(
          "Stop_on_delete_error",
          terminate("Failed", {
            code: "SyncLogCleanupFailed",
            message: concat("CleverReach sync log clean-up failed at Delete_row: ", join(take(body("Delete_texts"), 5), "; ")),
          }),
        );
      });
    },
    failRun({ code: "SyncLogCleanupFailed", errorText: (step, message) => concat("CleverReach sync log clean-up failed at ", step, ": ", message) }),
  );
  return f;
}
