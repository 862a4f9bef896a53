import { label } from "../../../solution/src/labels";
import * as odata from "../../toolkit/builder/odataFilter";
import { ENV } from "../../../solution/src/model/handles";
import { body, item, items, outputs } from "../../toolkit/expr/build";
import { compose, runChildFlow, select, terminate } from "../../toolkit/builder/actions";
import { listRows, PAGINATION_MAX } from "../../toolkit/builder/dataverse";
import { failRun } from "../../toolkit/builder/failRun";
import { ONE_RUN_AT_A_TIME } from "../../toolkit/builder/flow";
import { recurrence } from "../../toolkit/builder/triggers";
import { and, concat, equals, formatDateTime, greaterOrEquals, int, less, not, string, union, utcNow } from "../../toolkit/expr/functions";
import { SYNC_GROUP_CALL } from "../patterns/childFlows";
import { ProductFlow } from "../patterns/productFlow";
import { SYNCED_FILTER } from "../patterns/syncedOwners";
import { NIGHTLY_SYNC_HOURS } from "../rules/nightlySync";
import { GROUP_OWNERS } from "./groupOwners";

/**
 * "CleverReach - Nightly sync": once a day, at the hour of the nightly sync setting (UTC), Sync group
 * runs for every synced list, campaign and campaign activity, so that whatever no event reports
 * (list members, a campaign's lists, people who start matching a dynamic list, changes made while
 * the flows were off) reaches CleverReach within a day (flows/product/README.md, "Nightly sync").
 *
 * The trigger fires every hour and the run stops at once outside that hour: a Recurrence's schedule
 * is written in the definition and no source shows it taking an environment variable, while actions
 * read one as every flow does. One run at a time (trigger concurrency 1): a long night's sync makes
 * the next hours wait instead of starting a second full sync beside it.
 */
export function nightlySyncFlow(syncGroupId: string): ProductFlow {
  const f = new ProductFlow({
    key: "nightly-sync",
    displayName: label("CleverReach - Nightly sync", "CleverReach - Nächtliche Synchronisation"),
    purpose: "Every night at the configured hour (UTC): syncs every synced record's group in full, catching up with every change no event reported.",
  });
  f.useDataverse();
  const hour = f.environmentVariable(ENV.nightlySyncHour);
  f.trigger("Every_hour", recurrence("Hour", 1), { concurrency: ONE_RUN_AT_A_TIME });
  const a = f.actions;
  // Same text as nightlySyncHourProblem() in flows/product/rules/nightlySync.ts.
  const hourError = concat(`${ENV.nightlySyncHour.schemaName} must be a whole hour from 0 to ${NIGHTLY_SYNC_HOURS - 1} (UTC), not `, string(hour));
  a.condition("Check_hour", not(and(greaterOrEquals(hour, 0), less(hour, NIGHTLY_SYNC_HOURS))), (bad) => {
    bad.add("Stop_on_hour", terminate("Failed", { code: "InvalidConfiguration", message: hourError }));
  });
  a.add("Hour_now", compose(int(formatDateTime(utcNow(), "HH"))));
  a.condition("Not_the_hour", not(equals(outputs("Hour_now"), hour)), (t) => {
    t.add("Not_now", terminate("Succeeded"));
  });
  a.tryCatch(
    "Try",
    (t) => {
      const selects: string[] = [];
      for (const o of GROUP_OWNERS) {
        t.add(`Synced_${o.table}`, listRows({ entitySet: o.entitySet, select: [o.idColumn], filter: odata.filter(SYNCED_FILTER), paginateTo: PAGINATION_MAX }));
        t.add(`${o.table}_records`, select(body(`Synced_${o.table}`).get("value"), { table: o.table, id: item().get(o.idColumn) }));
        selects.push(`${o.table}_records`);
      }
      const [first, second, ...more] = selects.map((s) => body(s));
      if (!first || !second) throw new Error("the nightly sync expects at least two group owner tables");
      t.add("Records", compose(union(first, second, ...more)));
      // One record after another: a full sync reads the whole group, and one at a time keeps the
      // CleverReach connection within its 500 requests per minute (limits-and-config.md). A record
      // whose sync fails has the error written on it; the others go on.
      t.forEachOneAtATime("Each_record", outputs("Records"), (l) => {
        l.add("Sync_record", runChildFlow(syncGroupId, { table: items("Each_record").get("table"), id: items("Each_record").get("id") }, SYNC_GROUP_CALL));
      });
    },
    failRun({
      code: "NightlySyncFailed",
      errorText: (step, message) =>
        concat("CleverReach nightly sync failed at ", step, ": ", message, " (a record whose sync failed shows the error in its Last sync error)"),
    }),
  );
  return f;
}
