import { label } from "../../../../solution/src/labels";
import { CHECKLIST_STATE } from "../../../../pcf-checklist/src/checklist";
import { COLUMNS, ENV, TABLES } from "../../../../solution/src/model/handles";
import { MARKETING_LIST } from "../../../../solution/src/model/tables";
import { actions, body, item, lit, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, initializeVariable, runChildFlow, select, setVariable, terminate, type Value } from "../../../toolkit/builder/actions";
import { getRow, listRows, onConnection, rowSelectedTrigger, selectedRowColumn, updateRow, upsertRow } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import * as odata from "../../../toolkit/builder/odataFilter";
import {
  and,
  coalesce,
  concat,
  contains,
  empty,
  equals,
  first,
  greater,
  ifElse,
  int,
  isInt,
  join,
  json,
  length,
  not,
  or,
  replace,
  string,
  toLower,
  trim,
  utcNow,
} from "../../../toolkit/expr/functions";
import { ProductFlow } from "../../patterns/productFlow";
import { recordError } from "../../patterns/recordError";
import { cleverReachAction } from "../../patterns/cleverreach";
import { SYNC_GROUP_CALL } from "../../patterns/childFlows";
import { FAILURE_VARIABLE, failRunInWords, stepsCalling } from "../../patterns/failureInWords";
import { acquireLock, holdLock, initLock } from "../../patterns/recordLock";
import { IMPORT_TEXTS, UNMATCHED_SETTING_ERROR } from "../../rules/importGroup";
import { LIST_MEMBER_CODE } from "../groupOwners";
import { claimGroup, ownerLabel, readOwner } from "../groupOwnership";
import { importPages, initImportCounts } from "./pages";
import { logImport, IMPORT_GROUP_NAME } from "./log";
import { wordsWith } from "./words";

const LIST = "list";

/**
 * "Import from CleverReach (Marketing List)" (flows/product/README.md, "Import a CleverReach group"):
 * started from a static contact or lead list's Flow menu by a CleverReach administrator, it makes the
 * active receivers of the group named in *Import from CleverReach group* members of the list, sets
 * the list's types accepted on them (modifiedby "CleverReach"; never over a decline), creates or lists
 * the receivers no one in the CRM has (ENV.importUnmatched), links the list to the group, turns its
 * sync on and runs Sync group once, so that no second group is made and a later sync changes nothing.
 */
export function importGroupFlow(syncGroupId: string): ProductFlow {
  const f = new ProductFlow({
    key: "import-cleverreach-group-list",
    displayName: label(`${IMPORT_GROUP_NAME.en} (${MARKETING_LIST.displayName.en})`, `${IMPORT_GROUP_NAME.de} (${MARKETING_LIST.displayName.de})`),
    runAs: "caller",
    purpose:
      "Run by a CleverReach administrator from a marketing list's Flow menu: makes the active receivers of a CleverReach group members of the list, " +
      "with the list's types accepted, and links the list to that group.",
  });
  f.useDataverse();
  const usersOwn = f.useDataverse("invoker");
  const cr = f.useCleverReach();
  const unmatchedSetting = f.environmentVariable(ENV.importUnmatched);
  f.trigger("When_a_row_is_selected", rowSelectedTrigger(MARKETING_LIST.entitySetName));
  const a = f.actions;
  const listId = outputs("Row_id");
  const list = body("Get_list");
  const groupId = variables("groupId");

  a.add("Row_id", compose(coalesce(selectedRowColumn("listid"), "")));
  a.condition("Without_row_id", equals(listId, ""), (t) => {
    t.add("No_row_id", terminate("Failed", { code: "NoSelectedRow", message: "The selected row carries no listid; nothing was imported." }));
  });
  a.add("Run_started", compose(utcNow()));
  a.add("Init_group_id", initializeVariable("groupId", "string", ""));
  a.add("Init_failure", initializeVariable(FAILURE_VARIABLE, "object", lit(null)));
  initLock(a);
  initImportCounts(a);
  a.add("Get_list", getRow(MARKETING_LIST.entitySetName, listId));
  const given = trim(coalesce(list.get(COLUMNS.importGroup), ""));

  // The import takes a group over (README.md, "Security model"): only a user who may change this list
  // and write its secured Import column (the CleverReach Administrator profile) may run it. The column
  // is written back with the user's own connection; Dataverse refuses it to anyone else.
  a.add(
    "Request_import",
    onConnection(
      updateRow(MARKETING_LIST.entitySetName, listId, { [COLUMNS.importGroup]: list.get(COLUMNS.importGroup), [COLUMNS.syncRequestedOn]: utcNow() }),
      usersOwn,
    ),
  );
  const refusal = coalesce(actions("Request_import").get("error").get("message"), "");
  a.scope(
    "Request_refused",
    (r) =>
      r.condition(
        "Not_an_administrator",
        equals(outputs("Request_import").get("statusCode"), 403),
        (no) =>
          no.add(
            "Not_allowed",
            terminate("Failed", {
              code: "NotAllowedToImport",
              message: concat(
                "Only a CleverReach administrator who may change this marketing list can import a CleverReach group into it " +
                  "(the import takes the group over); ask one. Dataverse said: ",
                refusal,
              ),
            }),
          ),
        (other) =>
          other.add(
            "Not_checked",
            terminate("Failed", {
              code: "ImportNotRequested",
              message: concat("Could not check that you may import into this list, so nothing was imported; try again. ", refusal),
            }),
          ),
      ),
    { after: { Request_import: ["Failed"] } },
  );

  // Bad input stops here, on the record, before anything is read from CleverReach or written.
  const mode = toLower(trim(string(coalesce(unmatchedSetting, ""))));
  a.add("Unmatched_mode", compose(mode), "Request_import");
  refuseWhen(a, "Check_setting", not(or(equals(mode, "create"), equals(mode, "log"))), UNMATCHED_SETTING_ERROR, "InvalidConfiguration");
  refuseWhen(a, "Check_group_given", empty(given), IMPORT_TEXTS.noGroupGiven);
  refuseWhen(a, "Check_not_dynamic", equals(list.get("type"), true), IMPORT_TEXTS.dynamicList);
  refuseWhen(a, "Check_active", not(equals(list.get("statecode"), 0)), IMPORT_TEXTS.inactiveList);
  refuseWhen(a, "Check_not_accounts", equals(list.get("createdfromcode"), LIST_MEMBER_CODE.account), IMPORT_TEXTS.accountList);
  // The list's types: the rows it sends (state 1), each id a whole number (Sync group checks the rest of it).
  const checklistText = coalesce(list.get(COLUMNS.newsletterChecklist), "");
  a.add("List_rows", compose(json(ifElse(empty(trim(checklistText)), "[]", checklistText))));
  a.condition(
    "Check_checklist_readable",
    not(equals(actions("List_rows").get("status"), "Succeeded")),
    (stop) => {
      stop.add(
        "Check_checklist_readable_error",
        updateRow(MARKETING_LIST.entitySetName, listId, { [COLUMNS.lastSyncError]: recordError(IMPORT_TEXTS.unreadableChecklist) }),
      );
      stop.add("Check_checklist_readable_stop", terminate("Failed", { code: "ImportRefused", message: IMPORT_TEXTS.unreadableChecklist }));
    },
    { after: { List_rows: ["Succeeded", "Failed"] } },
  );
  a.add("Sent_rows", filterArray(outputs("List_rows"), equals(string(item().get("state")), String(CHECKLIST_STATE.accepted))));
  a.add("Sent_id_texts", select(body("Sent_rows"), string(item().get("id"))));
  a.add("Sent_ids_unreadable", filterArray(body("Sent_id_texts"), not(and(isInt(item()), not(contains(item(), "-")), not(contains(item(), "+"))))));
  refuseWhen(a, "Check_type_ids", not(empty(body("Sent_ids_unreadable"))), IMPORT_TEXTS.unreadableChecklist);
  refuseWhen(a, "Check_types", empty(body("Sent_rows")), IMPORT_TEXTS.noTypes);
  a.add("Sent_ids", select(body("Sent_rows"), int(item().get("id"))));

  // The group: by id (digits only) first, else by its exact name; exactly one.
  a.add("List_groups", cleverReachAction(cr, "ListGroups", {}));
  const numeric = and(isInt(given), not(contains(given, "-")), not(contains(given, "+")));
  a.add("Groups_by_id", filterArray(body("List_groups"), and(numeric, equals(string(item().get("id")), given))));
  a.add("Groups_by_name", filterArray(body("List_groups"), equals(item().get("name"), given)));
  a.add("Chosen_groups", compose(ifElse(empty(body("Groups_by_id")), body("Groups_by_name"), body("Groups_by_id"))));
  refuseWhen(a, "Check_group_exists", empty(outputs("Chosen_groups")), wordsWith(IMPORT_TEXTS.noSuchGroup, given));
  a.add("Chosen_ids", select(outputs("Chosen_groups"), string(item().get("id"))));
  refuseWhen(a, "Check_one_group", greater(length(outputs("Chosen_groups")), 1), wordsWith(IMPORT_TEXTS.severalGroups, given, join(body("Chosen_ids"), ", ")));
  a.add("Take_group", setVariable("groupId", string(first(outputs("Chosen_groups")).get("id"))));
  const linked = trim(coalesce(list.get(COLUMNS.cleverReachGroupId), ""));
  refuseWhen(a, "Check_not_linked_elsewhere", and(not(empty(linked)), not(equals(linked, groupId))), wordsWith(IMPORT_TEXTS.otherGroupLinked, linked, groupId));

  // Whose group it is: a mark for another record, or another record's Group Link row, refuses.
  a.add("Owner_label", compose(ownerLabel(lit(LIST), listId)));
  const reading = readOwner(a, cr, "Chosen", groupId, outputs("Owner_label"));
  a.add("Mark_text", compose(coalesce(first(body("Chosen_mark")).get("description"), "")));
  refuseWhen(a, "Check_not_marked_for_another", and(reading.marked, not(reading.mine)), wordsWith(IMPORT_TEXTS.ownedByAnother, groupId, outputs("Mark_text")));
  a.add(
    "Other_links",
    listRows({
      entitySet: TABLES.groupLink.entitySet,
      select: [COLUMNS.recordTable, COLUMNS.recordId],
      filter: odata.filter(odata.and(odata.eq(COLUMNS.groupId, odata.str(groupId)), odata.ne(TABLES.groupLink.idColumn, odata.guid(listId)))),
    }),
  );
  const otherLink = first(body("Other_links").get("value"));
  refuseWhen(
    a,
    "Check_not_linked_to_another",
    not(empty(body("Other_links").get("value"))),
    wordsWith(
      IMPORT_TEXTS.ownedByAnother,
      groupId,
      concat(coalesce(otherLink.get(COLUMNS.recordTable), "?"), " ", coalesce(otherLink.get(COLUMNS.recordId), "?")),
    ),
  );

  // One run per list at a time: the import waits for a sync under way, and syncs that start meanwhile
  // (membership events of the members it adds) wait for it (patterns/recordLock.ts).
  acquireLock(a, {
    kind: "import",
    table: lit(LIST),
    recordId: listId,
    what: "CleverReach import",
    code: "ImportFailed",
    report: (c, text) => c.add("Lock_error_on_record", updateRow(MARKETING_LIST.entitySetName, listId, { [COLUMNS.lastSyncError]: recordError(text) })),
  });
  let attempt: ScopeBuilder | undefined;
  a.tryCatch(
    "Try",
    (t) => {
      attempt = t;
      t.condition("Claim_if_not_ours", not(reading.mine), (c) => {
        c.condition("Claim_lost", not(claimGroup(c, cr, "Import", groupId, outputs("Owner_label"))), (lost) => {
          lost.add("Claim_lost_text", compose(wordsWith(IMPORT_TEXTS.claimLost, groupId)));
          lost.add("Claim_lost_error", updateRow(MARKETING_LIST.entitySetName, listId, { [COLUMNS.lastSyncError]: recordError(outputs("Claim_lost_text")) }));
          lost.add("Stop_claim_lost", terminate("Failed", { code: "ImportRefused", message: outputs("Claim_lost_text") }));
        });
      });
      // Linked before any member is added: every sync from now on finds this group, never makes another.
      t.add(
        "Write_group_link",
        upsertRow(TABLES.groupLink.entitySet, listId, {
          [COLUMNS.name]: first(outputs("Chosen_groups")).get("name"),
          [COLUMNS.groupId]: groupId,
          [COLUMNS.recordTable]: LIST,
          [COLUMNS.recordId]: listId,
        }),
      );
      t.add("Write_group_id", updateRow(MARKETING_LIST.entitySetName, listId, { [COLUMNS.cleverReachGroupId]: groupId }));
      importPages(t, cr, list, listId, groupId, outputs("Unmatched_mode"));
      t.add("Sync_on", updateRow(MARKETING_LIST.entitySetName, listId, { [COLUMNS.syncWithCleverReach]: true, [COLUMNS.lastSyncError]: null }));
    },
    failRunInWords({
      code: "ImportFailed",
      inside: ["Import_pages"],
      cleverReachSteps: () => stepsCalling(attempt?.actions ?? {}, cr),
      // Sync group's sentences, for an import: what failed, and that the import is run again.
      reword: (text) => replace(replace(text, "CleverReach sync failed: ", "Import from CleverReach failed: "), "Update Synchronisation", IMPORT_GROUP_NAME.en),
      report: (c, text) => {
        const log = logImport(c, "Log_failure", "failed", text);
        c.add("Write_error", updateRow(MARKETING_LIST.entitySetName, listId, { [COLUMNS.lastSyncError]: recordError(text) }), {
          [log]: ["Succeeded", "Failed"],
        });
      },
    }),
  );
  holdLock(a, ["Try", "Catch"], listId);

  // The list is the group's master from now on: one Sync group run writes its receivers as the CRM has
  // them (and removes those the list does not hold, as every sync does), so the next one changes nothing.
  a.add("Sync_group", runChildFlow(syncGroupId, { table: LIST, id: listId }, SYNC_GROUP_CALL), "Lock_held");
  const synced = equals(actions("Sync_group").get("status"), "Succeeded");
  logImport(a, "Log_import", "succeeded", ifElse(synced, "", "The import is done; the sync that followed it failed: see the list's Last sync error."), {
    after: { Sync_group: ["Succeeded", "Failed", "TimedOut"] },
  });
  a.condition(
    "Sync_failed",
    not(synced),
    (x) =>
      x.add(
        "Stop_sync_failed",
        terminate("Failed", {
          code: "SyncFailed",
          message: concat(
            "The import is done; the sync that followed it failed: ",
            coalesce(actions("Sync_group").get("error").get("message"), "see the list's Last sync error"),
          ),
        }),
      ),
    { after: { Log_import: ["Succeeded", "Failed"] } },
  );
  return f;
}

/** Unless all is well, the run stops here with `text` on the list (nothing was read or written yet). */
function refuseWhen(s: ScopeBuilder, name: string, bad: Ex, text: Ex | string, code = "ImportRefused"): void {
  s.condition(name, bad, (stop) => {
    stop.add(`${name}_error`, updateRow(MARKETING_LIST.entitySetName, outputs("Row_id"), { [COLUMNS.lastSyncError]: recordError(text) }));
    stop.add(`${name}_stop`, terminate("Failed", { code, message: text as Value }));
  });
}
