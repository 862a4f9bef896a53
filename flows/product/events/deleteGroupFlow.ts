import { recordError } from "../patterns/recordError";
import * as odata from "../../toolkit/builder/odataFilter";
import { label } from "../../../solution/src/labels";
import { COLUMNS, ENV, TABLES } from "../../../solution/src/model/handles";
import { body, item, outputs, triggerBody, variables, type Ex } from "../../toolkit/expr/build";
import { compose, filterArray, initializeVariable, response, setVariable, terminate, type Value } from "../../toolkit/builder/actions";
import { cleverReachAction } from "../patterns/cleverreach";
import { deleteRow, getRow, listRows, updateRow } from "../../toolkit/builder/dataverse";
import { ProductFlow } from "../patterns/productFlow";
import { childFlowTrigger, designerInputs } from "../../toolkit/builder/triggers";
import { failRun } from "../../toolkit/builder/failRun";
import type { DeletionCause } from "../rules/deletion";
import { GROUP_OWNERS } from "../sync/groupOwners";
import { linkedSinceCreation, ownerLabel, readOwner } from "../sync/groupOwnership";
import { and, coalesce, concat, contains, createArray, empty, equals, first, ifElse, int, not, or, string } from "../../toolkit/expr/functions";
import { acquireLock, holdLock, initLock } from "../patterns/recordLock";

const CAUSES: readonly DeletionCause[] = ["recordDeleted", "syncTurnedOff"];

export interface DeletionSettingsEx {
  deleteOnRecordDelete: Ex;
  deleteOnSyncOff: Ex;
  protection: Ex;
  priority: Ex;
}

/** shouldDeleteGroup() of flows/product/rules/deletion.ts as one expression (the tests check both agree). */
export function shouldDeleteExpression(cause: Ex, s: DeletionSettingsEx): Ex {
  const onRecordDelete = equals(cause, "recordDeleted");
  const wanted = ifElse(onRecordDelete, s.deleteOnRecordDelete, s.deleteOnSyncOff);
  return ifElse(or(not(s.protection), equals(s.priority, 0)), wanted, ifElse(equals(s.priority, 1), false, and(onRecordDelete, s.deleteOnRecordDelete)));
}

/**
 * "CleverReach - Delete group": applies the deletion rules (events/README.md, "Deletion rules") to a record's group, called
 * with `{ table, id, cause }` by the record event flows when sync is turned off or the record is
 * deleted. A deleted group takes its receivers with it (one call). The group id comes from the
 * record while it exists, else from its Group Link row (the delete trigger carries only the id).
 */
export function deleteGroupFlow(): ProductFlow {
  const f = new ProductFlow({
    key: "delete-group",
    displayName: label("CleverReach - Delete group", "CleverReach - Gruppe löschen"),
    purpose: "Deletes a record's CleverReach group where the deletion settings allow it, when its sync is turned off or the record is deleted.",
  });
  f.useDataverse();
  const cr = f.useCleverReach();
  const settings: DeletionSettingsEx = {
    deleteOnRecordDelete: f.environmentVariable(ENV.deleteGroupOnRecordDelete),
    deleteOnSyncOff: f.environmentVariable(ENV.deleteGroupOnSyncOff),
    protection: f.environmentVariable(ENV.deletionProtection),
    priority: f.environmentVariable(ENV.deletionPriority),
  };
  f.trigger(
    "manual",
    childFlowTrigger(
      designerInputs({
        table: { title: "Table", type: "string", description: "The logical name of the record's table", options: GROUP_OWNERS.map((o) => o.table) },
        id: { title: "Row id", type: "string", description: "The id of the list, campaign or campaign activity whose group goes" },
        cause: { title: "Cause", type: "string", description: "Why the group may go: the record was deleted, or its sync turned off", options: CAUSES },
      }),
    ),
  );
  const a = f.actions;
  const table = triggerBody().get("table");
  const recordId = triggerBody().get("id");
  const cause = triggerBody().get("cause");
  const recordExists = equals(cause, "syncTurnedOff");
  const ownerMap: Record<string, Value> = {};
  for (const o of GROUP_OWNERS) ownerMap[o.table] = o.entitySet;
  const entitySet = outputs("Entity_set").get(table);

  a.add("Init_group_id", initializeVariable("groupId", "string", ""));
  a.add("Init_deleted", initializeVariable("deleted", "boolean", false));
  initLock(a);
  a.add("Entity_set", compose(ownerMap));
  // Invalid configuration stops before anything is read or written (solution/src/model/README.md,
  // "Environment variables"); same text as deletionPriorityProblem().
  const priorityError = concat(`${ENV.deletionPriority.schemaName} must be 0, 1 or 2, not `, string(settings.priority));
  a.condition("Check_priority", not(contains(createArray(0, 1, 2), settings.priority)), (bad) => {
    bad.condition("Priority_error_on_record", recordExists, (w) => {
      w.add("Write_priority_error", updateRow(entitySet.value, recordId, { [COLUMNS.lastSyncError]: recordError(priorityError) }));
    });
    bad.add("Stop_on_priority", terminate("Failed", { code: "InvalidConfiguration", message: priorityError }));
  });

  // The record's lock, as Sync group takes it (patterns/recordLock.ts): a sync under way finishes
  // first, and no sync can create the group again while it is being deleted.
  acquireLock(a, {
    kind: "delete",
    table,
    recordId,
    what: "CleverReach group deletion",
    code: "GroupDeletionFailed",
    report: (c, text) =>
      c.condition("Lock_error_if_record", recordExists, (w) => {
        w.add("Lock_error_on_record", updateRow(entitySet.value, recordId, { [COLUMNS.lastSyncError]: recordError(text) }));
      }),
  });
  a.tryCatch(
    "Try",
    (t) => {
      t.add(
        "Find_link",
        listRows({
          entitySet: TABLES.groupLink.entitySet,
          select: [COLUMNS.groupId, "createdon"],
          filter: odata.filter(odata.eq(TABLES.groupLink.idColumn, odata.guid(recordId))),
        }),
      );
      const link = first(body("Find_link").get("value"));
      // The flows' own link first; the record's column only where no link exists.
      t.condition(
        "Group_of_record",
        and(recordExists, empty(coalesce(link.get(COLUMNS.groupId), ""))),
        (r) => {
          r.add("Get_record", getRow(entitySet.value, recordId, [COLUMNS.cleverReachGroupId]));
          r.add("Group_from_record", setVariable("groupId", coalesce(body("Get_record").get(COLUMNS.cleverReachGroupId), "")));
        },
        (linked) => {
          linked.add("Group_from_link", setVariable("groupId", coalesce(link.get(COLUMNS.groupId), "")));
        },
      );
      t.add("Should_delete", compose(shouldDeleteExpression(cause, settings)));
      t.condition("Delete_if_wanted", and(outputs("Should_delete"), not(empty(variables("groupId")))), (d) => {
        // Listing avoids a 404 when the group is already gone (a repeated run converges).
        d.add("List_groups", cleverReachAction(cr, "ListGroups", {}));
        d.add("This_group", filterArray(body("List_groups"), equals(string(item().get("id")), variables("groupId"))));
        d.condition("Group_exists", not(empty(body("This_group"))), (g) => {
          // Only the record's own group goes (flows/product/README.md, "Whose group it is").
          const reading = readOwner(g, cr, "Owner", variables("groupId"), ownerLabel(table, recordId));
          g.condition(
            "Not_this_records_group",
            not(or(reading.mine, and(not(reading.marked), linkedSinceCreation(link, first(body("This_group")))))),
            (refuse) => {
              const text = concat(
                "CleverReach group ",
                variables("groupId"),
                " was not created by this connector for this record, so it is not deleted. ",
                "An administrator clears the record's CleverReach group id and deletes its CleverReach Group Link row.",
              );
              refuse.add("Not_our_group", compose(text));
              refuse.condition("Refusal_on_record", recordExists, (w) => {
                w.add("Write_not_our_group", updateRow(entitySet.value, recordId, { [COLUMNS.lastSyncError]: recordError(outputs("Not_our_group")) }));
              });
              refuse.add("Stop_not_our_group", terminate("Failed", { code: "NotThisRecordsGroup", message: outputs("Not_our_group") }));
            },
          );
          // A protected group is locked in CleverReach; priority 0 may delete it anyway, so unlock first.
          g.condition("Unlock_if_locked", equals(first(body("This_group")).get("locked"), true), (u) => {
            // The whole group goes back (no source shows a partial PUT is accepted), only unlocked.
            const group = first(body("This_group"));
            u.add(
              "Unlock_group",
              cleverReachAction(cr, "UpdateGroup", {
                group_id: int(variables("groupId")),
                "body/name": group.get("name"),
                "body/receiver_info": group.get("receiver_info"),
                "body/locked": false,
                "body/backup": group.get("backup"),
              }),
            );
          });
          g.add("Delete_group", cleverReachAction(cr, "DeleteGroup", { group_id: int(variables("groupId")) }));
        });
        d.add("Mark_deleted", setVariable("deleted", true));
        d.condition("Forget_on_record", recordExists, (w) => {
          w.add("Clear_group_id", updateRow(entitySet.value, recordId, { [COLUMNS.cleverReachGroupId]: null }));
        });
      });
      // The link is needed while the record may still be deleted later; after that it has no use.
      t.condition("Drop_link", and(not(empty(body("Find_link").get("value"))), or(variables("deleted"), not(recordExists))), (l) => {
        l.add("Delete_link", deleteRow(TABLES.groupLink.entitySet, recordId));
      });
    },
    failRun({
      code: "GroupDeletionFailed",
      errorText: (step, message) => concat("CleverReach group deletion failed for ", table, " ", recordId, " at ", step, ": ", message),
      report: (c, text) =>
        c.condition("Error_on_record", recordExists, (w) => {
          w.add("Write_error", updateRow(entitySet.value, recordId, { [COLUMNS.lastSyncError]: recordError(text) }));
        }),
    }),
  );
  holdLock(a, ["Try", "Catch"], recordId);
  a.add("Reply", response(200, { groupId: variables("groupId"), deleted: variables("deleted") }), "Lock_held");
  return f;
}
