import { label } from "../../../solution/src/labels";
import { COLUMNS } from "../../../solution/src/model/handles";
import { actions, outputs } from "../../toolkit/expr/build";
import { compose, runChildFlow, terminate } from "../../toolkit/builder/actions";
import { onConnection, rowSelectedTrigger, selectedRowColumn, updateRow } from "../../toolkit/builder/dataverse";
import { ProductFlow } from "../patterns/productFlow";
import { GROUP_OWNERS, type GroupOwner } from "./groupOwners";
import { coalesce, concat, equals, utcNow } from "../../toolkit/expr/functions";
import { SYNC_GROUP_CALL } from "../patterns/childFlows";

/**
 * "Update Synchronisation CleverReach" for one table: started from the record's Flow menu, it
 * runs the Sync group child flow for that record (the repair path: flows/product/README.md,
 * "Update Synchronisation CleverReach"). Several selected records start one run each (the
 * trigger splits on the selected rows); a row without its id stops the run before Sync group.
 */
export function updateSynchronisationFlow(owner: GroupOwner, syncGroupId: string): ProductFlow {
  const f = new ProductFlow({
    key: `update-synchronisation-${owner.table}`,
    displayName: label(
      `Update Synchronisation CleverReach (${owner.displayName.en})`,
      `Synchronisation mit CleverReach aktualisieren (${owner.displayName.de})`,
    ),
    runAs: "caller",
    purpose:
      `Run by a user from a ${owner.displayName.en.toLowerCase()}'s Flow menu: syncs its group now ` + "(the repair path for anything an event could not see).",
  });
  f.useDataverse();
  const usersOwn = f.useDataverse("invoker");
  f.trigger("When_a_row_is_selected", rowSelectedTrigger(owner.entitySet));
  const a = f.actions;
  a.add("Row_id", compose(coalesce(selectedRowColumn(owner.idColumn), "")));
  a.condition("Without_row_id", equals(outputs("Row_id"), ""), (t) => {
    t.add("No_row_id", terminate("Failed", { code: "NoSelectedRow", message: `The selected row carries no ${owner.idColumn}; nothing was synced.` }));
  });
  // Sync group runs with the flows' identity, which may change every record. Only a user who may
  // change this record may have it synced: the request is written with the user's own connection,
  // and Dataverse refuses it when that user may not write the record (README, "Security model").
  a.add("Request_sync", onConnection(updateRow(owner.entitySet, outputs("Row_id"), { [COLUMNS.syncRequestedOn]: utcNow() }), usersOwn));
  const refusal = coalesce(actions("Request_sync").get("error").get("message"), "");
  a.scope(
    "Request_refused",
    (r) => {
      const what = owner.displayName.en.toLowerCase();
      r.condition(
        "Write_access_denied",
        equals(outputs("Request_sync").get("statusCode"), 403),
        (no) =>
          no.add(
            "Not_allowed",
            terminate("Failed", {
              code: "NotAllowedToSync",
              message: concat(
                `You may not change this ${what}, so you cannot sync it with CleverReach; ask its owner or a CleverReach administrator. Dataverse said: `,
                refusal,
              ),
            }),
          ),
        (other) =>
          other.add(
            "Not_checked",
            terminate("Failed", {
              code: "SyncNotRequested",
              message: concat(`Could not check that you may change this ${what}, so nothing was synced; try again. `, refusal),
            }),
          ),
      );
    },
    { after: { Request_sync: ["Failed"] } },
  );
  a.add("Sync_group", runChildFlow(syncGroupId, { table: owner.table, id: outputs("Row_id") }, SYNC_GROUP_CALL), "Request_sync");
  return f;
}

export const updateSynchronisationFlows = (syncGroupId: string): ProductFlow[] => GROUP_OWNERS.map((o) => updateSynchronisationFlow(o, syncGroupId));
