import { label } from "../../../../solution/src/labels";
import * as odata from "../../../toolkit/builder/odataFilter";
import { COLUMNS, ENV, TABLES } from "../../../../solution/src/model/handles";
import { lit, outputs, variables } from "../../../toolkit/expr/build";
import { CLEVERREACH_TO_CRM, logFailure } from "./failures";
import { compose, initializeVariable, terminate, type Value } from "../../../toolkit/builder/actions";
import { cleverReachAction } from "../../patterns/cleverreach";
import { listRows, PAGINATION_MAX } from "../../../toolkit/builder/dataverse";
import { ProductFlow } from "../../patterns/productFlow";
import { recurrence } from "../../../toolkit/builder/triggers";
import { failRun } from "../../../toolkit/builder/failRun";
import { allSyncedOwners } from "../../patterns/syncedOwners";
import { unixNow } from "../../patterns/unixTime";
import { GROUP_OWNERS } from "../../sync/groupOwners";
import { concat, greater, join, length } from "../../../toolkit/expr/functions";
import { eachGroup } from "./eachGroup";
import { keepOurGroups, OURS } from "./groupOwner";
import { ONE_RUN_AT_A_TIME } from "../../../toolkit/builder/flow";

export { REACTION_WINDOW_DAYS } from "./mailings";

/**
 * "CleverReachToCrm" (cleverreach-to-crm.md, "CleverReachToCrm"): every hour, for every synced list, campaign and campaign activity,
 * what changed in its CleverReach group since the group's watermark comes back into Dataverse:
 * - unsubscribed, bounced and newly blacklisted receivers become Receiver State rows (one per
 *   receiver and group, row id made from the two ids, so reruns update the same row); a newly
 *   blacklisted receiver is also deactivated in the group, so that no flow ever removes and later
 *   re-adds them (inactive receivers are never touched: flows/product/README.md, "Never re-activated");
 * - mailings of the group (reports of the last 14 days) become Mailing rows per receiver with
 *   sent / opened / clicked;
 * - the group's statistics become the record's receiver status text.
 * Everything is read a page at a time and each page's rows are read back by id, compared and
 * only the differing ones written before the next page (issue 11: nothing held grows with the
 * group); the status is written only when its text changed, and the watermark only when something
 * was written and no row failed: a run with nothing new writes nothing to Dataverse. Each group
 * reads from an hour before its watermark (CleverReach's clock may lag ours) and relies on no order
 * of CleverReach's answers; failures go to the record and the sync log (cleverreach-to-crm.md).
 *
 * Cost per group and hour: the owner mark (ListAttributes; a group not created for the record is not
 * read: groupOwner.ts), GetGroupStats, a scan of every inactive and every bounced receiver (5000
 * a call, no details), one detail read per 50 changed receivers, one per 50 new blacklist entries,
 * the group's reports of the last 14 days, one reaction read per 500 reactions of the last hour and
 * the margin (at least 3 per recent mailing), one Dataverse read per 50 changed rows and
 * one write per changed row; account-wide once: the owners (3 queries), the group links, the
 * blacklist (one answer: CleverReach pages it not).
 */
export function cleverReachToCrmFlow(): ProductFlow {
  const f = new ProductFlow({
    key: "cleverreach-to-crm",
    displayName: label(CLEVERREACH_TO_CRM, CLEVERREACH_TO_CRM),
    purpose:
      "Every hour: brings unsubscribes, bounces, blacklist entries and mailing results of every synced group back " +
      "as Receiver State and Mailing Result rows and the record's receiver status.",
  });
  f.useDataverse();
  const cr = f.useCleverReach();
  const recordSends = f.environmentVariable(ENV.mailingHistorySends);
  const doubleOptIn = f.environmentVariable(ENV.doubleOptInForm);
  // One run at a time: a run that takes longer than an hour (a big account) would otherwise overlap
  // the next one, which reads the same watermarks and writes the same rows (trigger concurrency is
  // unlimited when off, limits-and-config.md).
  f.trigger("Recurrence", recurrence("Hour", 1), { concurrency: ONE_RUN_AT_A_TIME });
  const a = f.actions;
  for (const [name, type, value] of [
    ["step", "integer", 0],
    ["page", "integer", 0],
    ["existing", "array", []],
    ["reports", "array", []],
    ["wrote", "boolean", false],
    ["pending", "array", []],
    ["more", "boolean", false],
    ["rowErrors", "array", []],
    ["groupErrors", "array", []],
    [OURS, "array", []],
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
          filter: odata.filter(odata.ne(COLUMNS.changesReadOn, odata.NULL)),
          paginateTo: PAGINATION_MAX,
        }),
      );
      t.add("List_blacklist", cleverReachAction(cr, "ListBlacklist", {}));
      keepOurGroups(t, cr, outputs(owners), (table) => outputs("Owner_sets").get(table).get("entitySet"));
      t.forEachOneAtATime("Each_group", variables(OURS), (g) => eachGroup(g, cr, recordSends, doubleOptIn));
      t.condition("Any_group_failed", greater(length(variables("groupErrors")), 0), (e) => {
        e.add("Fail_groups", terminate("Failed", { code: "CleverReachToCrmFailed", message: join(variables("groupErrors"), "; ") }));
      });
    },
    failRun({
      code: "CleverReachToCrmFailed",
      errorText: (step, message) =>
        concat(
          "CleverReachToCrm failed before or after its groups, at ",
          step,
          ": ",
          message,
          ". No group was read or changed by this step; the next run tries again. When CleverReach answered 401 or 403, ",
          "the CleverReach connection's sign-in is no longer valid: renew that connection (Power Automate, Connections).",
        ),
      // Nothing names a record here (the owners may not even be read), so an administrator finds it
      // in the sync log, as a row of no record (issue 15, item 17).
      report: (c, text) => logFailure(c, "Log_run_failure", { table: lit(""), id: "", error: text }),
    }),
  );
  return f;
}
