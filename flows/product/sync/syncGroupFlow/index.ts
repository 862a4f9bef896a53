import { recordError } from "../../patterns/recordError";
import { COLUMNS, ENV } from "../../../../solution/src/model/handles";
import { body, item, lit, outputs, tpl, triggerBody, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, initializeVariable, response, runChildFlow, setVariable, terminate, type Value } from "../../../toolkit/builder/actions";
import { getRow, updateRow } from "../../../toolkit/builder/dataverse";
import { ProductFlow } from "../../patterns/productFlow";
import { childFlowTrigger, designerInputs } from "../../../toolkit/builder/triggers";
import { FAILURE_VARIABLE, failRunInWords, stepsCalling } from "../../patterns/failureInWords";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { TRANSFER_SETTING_ERROR, UNREADABLE_CHECKLISTS_NOTE } from "../../rules/eligibility";
import { readTransferTables } from "../../patterns/transferTables";
import { GROUP_OWNERS } from "../groupOwners";
import { and, coalesce, concat, createArray, empty, equals, greater, ifElse, int, join, json, not, or, string, utcNow } from "../../../toolkit/expr/functions";
import { ENSURE_GROUP_ANSWER, ENSURE_GROUP_ID } from "../ensureGroupFlow";
import { fieldMapping, MAPPED_ATTRIBUTES_INPUT } from "../mappedFields";
import { readFieldMapping } from "../../patterns/fieldMapping";
import { ENSURE_GROUP_CALL } from "../../patterns/childFlows";
import { checklistEligibility, collectCandidates } from "./candidates";
import { PEOPLE_PAGES, reconcile, REFUSED, REMOVAL_COUNT, SKIPPED } from "./reconcile";
import { acquireLock, holdLock, initLock, LOCK_STATE, lockState } from "../../patterns/recordLock";
import { declinedNote, skippedNote, syncFailureText } from "../messages";
import { DECLINED, initDeclines } from "./declines";
import { doubleOptInOn, SEND_FAILURES, sendFailuresNote } from "../doubleOptIn";
import { initSyncLog, logAndStop, logSyncRun, SYNC_GROUP_NAME } from "./syncLog";
import { initReadFailure } from "./readFailures";

/**
 * "CleverReach - Sync group": makes a record's CleverReach group match the CRM exactly
 * (flows/product/README.md, "Sync group"). Called with `{ table, id }` by the menu flows and the event flows.
 *
 * Cost: the record, its linked lists and one query per list (paged 5000 rows) from Dataverse; one
 * group list, one attribute list and ceil(receivers/5000) pages from CleverReach; then only what
 * changed: one upsert per 1000 new or changed receivers and one call per receiver to remove.
 * People are selected in the query (derived accepted-types column) and compared as whole sets.
 */
export function syncGroupFlow(): ProductFlow {
  const f = new ProductFlow({
    key: "sync-group",
    displayName: SYNC_GROUP_NAME,
    purpose: "Makes one record's CleverReach group match the CRM: creates or renames the group, then adds, updates and removes its receivers.",
  });
  f.useDataverse();
  const cr = f.useCleverReach();
  const allowLargeRemovals = f.environmentVariable(ENV.allowLargeRemovals);
  const doubleOptIn = f.environmentVariable(ENV.doubleOptInForm);
  f.trigger(
    "manual",
    childFlowTrigger(
      designerInputs({
        table: { title: "Table", type: "string", description: "The logical name of the record's table", options: GROUP_OWNERS.map((o) => o.table) },
        id: { title: "Row id", type: "string", description: "The id of the list, campaign or campaign activity to sync" },
      }),
    ),
  );
  const a = f.actions;
  const table = triggerBody().get("table");
  const recordId = triggerBody().get("id");
  const ownerMap: Record<string, Value> = {};
  for (const o of GROUP_OWNERS) ownerMap[o.table] = { entitySet: o.entitySet, nameColumn: o.nameColumn };
  const owner = (key: string): Ex => outputs("Owner").get(table).get(key);
  const record = body("Get_record");
  const groupId = variables("groupId");

  a.add("Init_group_id", initializeVariable("groupId", "string", ""));
  a.add("Init_queries", initializeVariable("queries", "array", []));
  a.add("Init_page", initializeVariable(PEOPLE_PAGES.page, "integer", 0));
  a.add("Init_paging_cookie", initializeVariable(PEOPLE_PAGES.cookie, "string", ""));
  a.add("Init_more_people", initializeVariable(PEOPLE_PAGES.more, "boolean", true));
  a.add("Init_list_ids", initializeVariable("listIds", "array", []));
  a.add("Init_changed", initializeVariable("changed", "boolean", false));
  a.add("Init_created", initializeVariable("created", "boolean", false));
  a.add("Init_cut_off", initializeVariable("cutOff", "boolean", false));
  a.add("Init_mark_lost", initializeVariable("markLost", "boolean", false));
  a.add("Init_still_wanted", initializeVariable("stillWanted", "array", []));
  a.add("Init_sweeping", initializeVariable("sweeping", "boolean", true));
  a.add("Init_removal_errors", initializeVariable("removalErrors", "array", []));
  a.add("Init_refused", initializeVariable(REFUSED.count, "integer", 0));
  a.add("Init_refusal", initializeVariable(REFUSED.first, "object", lit(null)));
  initLock(a);
  a.add("Init_skipped", initializeVariable(SKIPPED.count, "integer", 0));
  a.add("Init_failure", initializeVariable(FAILURE_VARIABLE, "object", lit(null)));
  a.add("Init_counting", initializeVariable(REMOVAL_COUNT.counting, "boolean", true));
  a.add("Init_unmarked", initializeVariable(REMOVAL_COUNT.unmarked, "integer", 0));
  a.add("Init_active", initializeVariable(REMOVAL_COUNT.active, "integer", 0));
  a.add("Init_skipped_examples", initializeVariable(SKIPPED.examples, "array", []));
  initSyncLog(a);
  initDeclines(a);
  initReadFailure(a);
  a.add("Init_checked", initializeVariable("checked", "array", []));
  a.add("Init_unreadable_queries", initializeVariable("unreadableQueries", "array", []));
  a.add("Init_rechecked", initializeVariable("rechecked", "array", []));
  a.add("Init_unreadable", initializeVariable("unreadableChecklists", "integer", 0));
  a.add("Init_index_corrected", initializeVariable("indexCorrected", "integer", 0));
  a.add("Init_send_failures", initializeVariable(SEND_FAILURES, "array", []));
  a.add("Owner", compose(ownerMap));
  // Invalid configuration stops before anything is read or written (solution/src/model/README.md,
  // "Environment variables").
  const { tables: transfer, invalid: transferInvalid, after: transferRead, unread, failedRead } = readTransferTables(a);
  // A setting the connection could not read is said so, in the words of any refused Dataverse read.
  const transferError = ifElse(unread, syncFailureText(failedRead, lit(false)), TRANSFER_SETTING_ERROR);
  a.condition(
    "Check_transfer_setting",
    transferInvalid,
    (bad) => {
      bad.add("Transfer_setting_problem", compose(transferError));
      const problem = outputs("Transfer_setting_problem");
      bad.add("Transfer_setting_error", updateRow(owner("entitySet").value, recordId, { [COLUMNS.lastSyncError]: recordError(problem) }));
      logAndStop(
        bad,
        "Stop_on_transfer_setting",
        problem,
        terminate("Failed", { code: tpl`${ifElse(unread, "SyncFailed", "InvalidConfiguration")}`, message: problem }),
      );
    },
    { after: { [transferRead]: ["Succeeded", "Failed"] } },
  );
  // A field mapping that is not valid stops the run with its error on the record (README.md, "Field mapping").
  readFieldMapping(a, "contact,lead", (bad, error) => {
    bad.add("Field_mapping_error_on_record", updateRow(owner("entitySet").value, recordId, { [COLUMNS.lastSyncError]: recordError(error) }));
    logAndStop(bad, "Stop_on_field_mapping", error, terminate("Failed", { code: "InvalidConfiguration", message: error }));
  });

  // One run per record at a time; a run that finds one under way lets a later pass do its work
  // (patterns/recordLock.ts; flows/product/README.md, "Overlapping runs").
  acquireLock(a, {
    kind: "sync",
    table,
    recordId,
    what: "CleverReach sync",
    code: "SyncFailed",
    report: (c, text) => c.add("Lock_error_on_record", updateRow(owner("entitySet").value, recordId, { [COLUMNS.lastSyncError]: recordError(text) })),
  });
  // Try's steps, for the Catch to tell CleverReach's from Dataverse's.
  let attempt: ScopeBuilder | undefined;
  a.tryCatch(
    "Try",
    (t) => {
      attempt = t;
      // All columns: the name column differs per table, and it is one row.
      t.add("Get_record", getRow(owner("entitySet").value, recordId));
      checklistEligibility(t, record, owner("entitySet"), recordId);
      t.condition("Synced_and_active", and(equals(record.get(COLUMNS.syncWithCleverReach), true), equals(record.get("statecode"), 0)), (s) => {
        callEnsureGroup(s, owner, record, recordId, table, doubleOptIn);
        collectCandidates(s, transfer, table, recordId, owner("entitySet"));
        // The safety valve lets a large removal through when the setting allows it or the record confirms it.
        const confirmed = or(equals(allowLargeRemovals, true), equals(record.get(COLUMNS.confirmLargeRemoval), true));
        // The group's double opt-in form comes from Ensure group, which stops the run when there is none.
        reconcile(
          s,
          cr,
          groupId,
          owner("entitySet"),
          recordId,
          confirmed,
          doubleOptIn,
          int(coalesce(body("Ensure_group").get(ENSURE_GROUP_ANSWER.formId), 0)),
          table,
        );
        // A confirmation counts once: it is set back when the run got past the sweep.
        s.condition("Confirmation_used", equals(record.get(COLUMNS.confirmLargeRemoval), true), (x) => {
          x.add("Reset_confirmation", updateRow(owner("entitySet").value, recordId, { [COLUMNS.confirmLargeRemoval]: false }));
        });
        // What the record keeps of a run that succeeded: nothing, or the people it left out (invalid
        // e-mail; a checklist that cannot be read), in words.
        const unreadable = greater(variables("unreadableChecklists"), 0);
        s.add(
          "Sync_notes",
          compose(
            createArray(
              skippedNote(variables(SKIPPED.count), variables(SKIPPED.examples)),
              declinedNote(variables(DECLINED.count), variables(DECLINED.examples)),
              ifElse(unreadable, concat(string(variables("unreadableChecklists")), UNREADABLE_CHECKLISTS_NOTE), null),
              sendFailuresNote(),
            ),
          ),
        );
        s.add("Sync_notes_given", filterArray(outputs("Sync_notes"), not(equals(item(), null))));
        s.add("Sync_note", compose(ifElse(empty(body("Sync_notes_given")), null, join(body("Sync_notes_given"), " "))));
        const noteChanged = not(equals(coalesce(record.get(COLUMNS.lastSyncError), ""), coalesce(outputs("Sync_note"), "")));
        s.condition("Stamp_if_changed", or(variables("changed"), noteChanged), (w) => {
          w.add(
            "Stamp_record",
            updateRow(owner("entitySet").value, recordId, { [COLUMNS.lastSyncOn]: utcNow(), [COLUMNS.lastSyncError]: recordError(outputs("Sync_note")) }),
          );
        });
      });
    },
    failRunInWords({
      code: "SyncFailed",
      // The containers a failure is looked for in, parents first (a loop shows its top-level steps).
      inside: ["Synced_and_active", ["Has_accepted_types", "Each_query", "Sweep", "Stamp_if_changed", "Linked_lists", "Confirmation_used"]],
      cleverReachSteps: () => stepsCalling(attempt?.actions ?? {}, cr),
      report: (c, text) => {
        const log = logSyncRun(c, "Log_failure", "failed", text);
        c.add("Write_error", updateRow(owner("entitySet").value, recordId, { [COLUMNS.lastSyncError]: recordError(text) }), { [log]: ["Succeeded", "Failed"] });
      },
    }),
  );
  // One sync log row for a run that touched a group; a log that cannot be written fails nothing.
  a.condition("Log_if_touched", not(equals(groupId, "")), (l) => logSyncRun(l, "Log_sync", "succeeded"), { after: "Try" });
  holdLock(a, ["Try", "Catch", "Log_if_touched"], recordId);
  a.add(
    "Reply",
    response(200, {
      groupId: variables("groupId"),
      coalesced: equals(lockState(), LOCK_STATE.served),
      unreadableChecklists: variables("unreadableChecklists"),
      indexCorrected: variables("indexCorrected"),
    }),
    { Lock_held: ["Succeeded", "Failed"] },
  );
  return f;
}

/**
 * The record's group, from the child flow "CleverReach - Ensure group" (ensureGroupFlow.ts): it
 * finds, adopts or creates the group and answers with it; a group it cannot use comes back in
 * words, which stop the run here, on the record and in the sync log.
 */
function callEnsureGroup(s: ScopeBuilder, owner: (k: string) => Ex, record: Ex, recordId: Ex, table: Ex, doubleOptIn: Ex): void {
  s.add(
    "Ensure_group",
    runChildFlow(
      ENSURE_GROUP_ID,
      {
        table,
        id: recordId,
        name: coalesce(record.get(owner("nameColumn")), ""),
        description: coalesce(record.get("description"), ""),
        storedGroupId: string(coalesce(record.get(COLUMNS.cleverReachGroupId), "")),
        [MAPPED_ATTRIBUTES_INPUT]: string(coalesce(fieldMapping().get("attributes"), json("[]"))),
      },
      ENSURE_GROUP_CALL,
    ),
  );
  const answer = body("Ensure_group");
  s.add("Take_group_id", setVariable("groupId", string(coalesce(answer.get(ENSURE_GROUP_ANSWER.groupId), ""))));
  s.add("Take_created", setVariable("created", equals(answer.get(ENSURE_GROUP_ANSWER.created), true)));
  s.add("Take_changed", setVariable("changed", equals(answer.get(ENSURE_GROUP_ANSWER.changed), true)));
  const stop = answer.get(ENSURE_GROUP_ANSWER.stop);
  // Double opt-in on and no form: nobody may be added (an older Ensure group, or a bug), so the run stops.
  const noForm = and(doubleOptInOn(doubleOptIn), not(greater(coalesce(answer.get(ENSURE_GROUP_ANSWER.formId), 0), 0)));
  s.condition("Group_unusable", or(not(equals(stop, null)), empty(variables("groupId")), noForm), (x) => {
    const noGroup = {
      code: "SyncFailed",
      message: "CleverReach sync failed: CleverReach - Ensure group answered without a group or without a double opt-in form.",
    };
    x.add("Group_stop", compose(coalesce(stop, json(JSON.stringify(noGroup)))));
    const message = outputs("Group_stop").get("message");
    x.add("Write_group_stop", updateRow(owner("entitySet").value, recordId, { [COLUMNS.lastSyncError]: recordError(message) }));
    logAndStop(x, "Stop_group_unusable", message, terminate("Failed", { code: tpl`${outputs("Group_stop").get("code")}`, message }));
  });
}
