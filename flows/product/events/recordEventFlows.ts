import { recordError } from "../patterns/recordError";
import * as odata from "../../toolkit/builder/odataFilter";
import { label } from "../../../solution/src/labels";
import { COLUMNS } from "../../../solution/src/model/handles";
import { body, triggerOutputs } from "../../toolkit/expr/build";
import { runChildFlow } from "../../toolkit/builder/actions";
import { getRow, rowTrigger, triggerColumn, updateRow } from "../../toolkit/builder/dataverse";
import { failRun } from "../../toolkit/builder/failRun";
import { ProductFlow } from "../patterns/productFlow";
import type { DeletionCause } from "../rules/deletion";
import { GROUP_OWNERS, type GroupOwner } from "../sync/groupOwners";
import { concat, equals, not } from "../../toolkit/expr/functions";
import { DELETE_GROUP_CALL, SYNC_GROUP_CALL } from "../patterns/childFlows";

const SYNC = COLUMNS.syncWithCleverReach;
const CHECKLIST = COLUMNS.newsletterChecklist;

/**
 * The columns whose change affects the group (see flows/product/events/README.md, "Record events"):
 * sync, checklist, name (campaign
 * activity: subject, and its description, which becomes the group description) and the state.
 * Only these fire the flow; the flows' own writes (group id, last sync fields) do not.
 */
export function watchedColumns(owner: GroupOwner): string[] {
  return [SYNC, CHECKLIST, owner.nameColumn, ...(owner.table === "campaignactivity" ? ["description"] : []), "statecode"];
}

const recordIdOf = (owner: GroupOwner) => triggerColumn(triggerOutputs(), owner.idColumn);

/**
 * "CleverReach - <table> added or changed": created, checklist, name, description, sync switched
 * on, activated → the Sync group child makes the group match (it does nothing while sync is off).
 * Deactivated while synced → sync is set to No, which fires the sync-off flow (see
 * flows/product/events/README.md, "Record events").
 *
 * One flow per table for all these columns, so that a save that changes several of them (tick
 * "sync" and the checklist together) starts one sync, not two racing ones that would each create
 * a group. The row is read again because a queued trigger body may be stale.
 */
export function recordChangedFlow(owner: GroupOwner, syncGroupId: string): ProductFlow {
  const f = new ProductFlow({
    key: `record-changed-${owner.table}`,
    displayName: label(`CleverReach - ${owner.displayName.en} added or changed`, `CleverReach - ${owner.displayName.de} hinzugefügt oder geändert`),
    purpose:
      `Syncs a ${owner.displayName.en.toLowerCase()}'s group when the row is created or its sync switch, checklist, ` +
      "name, description or status changes; deactivating it turns its sync off.",
  });
  f.useDataverse();
  f.trigger("When_a_record_is_added_or_changed", rowTrigger({ message: "addedOrModified", table: owner.table, filteringAttributes: watchedColumns(owner) }));
  const a = f.actions;
  const id = recordIdOf(owner);
  const record = body("Get_record");
  a.tryCatch(
    "Try",
    (t) => {
      t.add("Get_record", getRow(owner.entitySet, id, [SYNC, "statecode"]));
      t.condition("If_synced", equals(record.get(SYNC), true), (s) => {
        s.condition(
          "If_active",
          equals(record.get("statecode"), 0),
          (active) => {
            active.add("Sync_group", runChildFlow(syncGroupId, { table: owner.table, id }, SYNC_GROUP_CALL));
          },
          (inactive) => {
            inactive.add("Turn_sync_off", updateRow(owner.entitySet, id, { [SYNC]: false }));
          },
        );
      });
    },
    failRun({
      code: "RecordEventFailed",
      errorText: (step, message) => concat("CleverReach event failed at ", step, ": ", message),
      // The Sync group child writes its own, more precise error on the record.
      report: (c, text, failure) =>
        c.condition("Unless_child_wrote_it", not(equals(failure.step, "If_synced")), (w) => {
          w.add("Write_error", updateRow(owner.entitySet, id, { [COLUMNS.lastSyncError]: recordError(text) }));
        }),
    }),
  );
  return f;
}

function deletionEventFlow(owner: GroupOwner, deleteGroupId: string, cause: DeletionCause): ProductFlow {
  const syncOff = cause === "syncTurnedOff";
  const f = new ProductFlow({
    key: `record-${syncOff ? "sync-off" : "deleted"}-${owner.table}`,
    displayName: syncOff
      ? label(`CleverReach - ${owner.displayName.en} sync turned off`, `CleverReach - ${owner.displayName.de} Synchronisation ausgeschaltet`)
      : label(`CleverReach - ${owner.displayName.en} deleted`, `CleverReach - ${owner.displayName.de} gelöscht`),
    purpose: syncOff
      ? `Hands a ${owner.displayName.en.toLowerCase()}'s group to Delete group when "Sync with CleverReach" is set to No.`
      : `Hands a deleted ${owner.displayName.en.toLowerCase()}'s group to Delete group.`,
  });
  f.useDataverse();
  f.trigger(
    syncOff ? "When_sync_is_turned_off" : "When_a_record_is_deleted",
    syncOff
      ? rowTrigger({ message: "modified", table: owner.table, filteringAttributes: [SYNC], filterExpression: odata.filter(odata.eq(SYNC, odata.bool(false))) })
      : rowTrigger({ message: "deleted", table: owner.table }),
  );
  // The child applies the deletion rules (flows/product/events/README.md, "Deletion rules")
  // and writes errors itself; a failure fails this run too.
  f.actions.add("Delete_group", runChildFlow(deleteGroupId, { table: owner.table, id: recordIdOf(owner), cause }, DELETE_GROUP_CALL));
  return f;
}

/**
 * "CleverReach - <table> sync turned off": the group is deleted or left as it is
 * (flows/product/events/README.md, "Deletion rules").
 */
export const syncTurnedOffFlow = (owner: GroupOwner, deleteGroupId: string): ProductFlow => deletionEventFlow(owner, deleteGroupId, "syncTurnedOff");

/**
 * "CleverReach - <table> deleted": the group is deleted with its receivers or left (see
 * flows/product/events/README.md, "Deletion rules").
 * The trigger carries only the deleted row's id; the child finds the group through its Group Link.
 */
export const recordDeletedFlow = (owner: GroupOwner, deleteGroupId: string): ProductFlow => deletionEventFlow(owner, deleteGroupId, "recordDeleted");

/** Every record event flow: three per group owner table. */
export function recordEventFlows(syncGroupId: string, deleteGroupId: string): ProductFlow[] {
  return GROUP_OWNERS.flatMap((o) => [recordChangedFlow(o, syncGroupId), syncTurnedOffFlow(o, deleteGroupId), recordDeletedFlow(o, deleteGroupId)]);
}
