import { label } from "../../../solution/src/labels";
import { outputs } from "../../toolkit/expr/build";
import { compose, runChildFlow, terminate } from "../../toolkit/builder/actions";
import { rowSelectedTrigger, selectedRowColumn } from "../../toolkit/builder/dataverse";
import { ProductFlow } from "../patterns/productFlow";
import { GROUP_OWNERS, type GroupOwner } from "./groupOwners";
import { coalesce, equals } from "../../toolkit/expr/functions";
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
  f.trigger("When_a_row_is_selected", rowSelectedTrigger(owner.entitySet));
  const a = f.actions;
  a.add("Row_id", compose(coalesce(selectedRowColumn(owner.idColumn), "")));
  a.condition("Without_row_id", equals(outputs("Row_id"), ""), (t) => {
    t.add("No_row_id", terminate("Failed", { code: "NoSelectedRow", message: `The selected row carries no ${owner.idColumn}; nothing was synced.` }));
  });
  a.add("Sync_group", runChildFlow(syncGroupId, { table: owner.table, id: outputs("Row_id") }, SYNC_GROUP_CALL));
  return f;
}

export const updateSynchronisationFlows = (syncGroupId: string): ProductFlow[] => GROUP_OWNERS.map((o) => updateSynchronisationFlow(o, syncGroupId));
