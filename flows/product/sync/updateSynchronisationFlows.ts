import { label } from "../../../solution/src/labels";
import { triggerBody } from "../../toolkit/expr/build";
import { runChildFlow } from "../../toolkit/builder/actions";
import { rowSelectedTrigger } from "../../toolkit/builder/dataverse";
import { ProductFlow } from "../patterns/productFlow";
import { GROUP_OWNERS, type GroupOwner } from "./groupOwners";
import { coalesce } from "../../toolkit/expr/functions";
import { SYNC_GROUP_CALL } from "../patterns/childFlows";

/**
 * "Update Synchronisation CleverReach" for one table: started from the record's Flow menu, it
 * runs the Sync group child flow for that record (the repair path: flows/product/README.md,
 * "Update Synchronisation CleverReach").
 *
 * No real export of "When a row is selected" was found. The connector's own definition
 * (RecordSelected: the response schema is the selected table's row schema, x-ms-dynamic-schema
 * from GetMetadataForGetEntity) says the trigger body is the row itself, so the id is read from
 * the body's `<id column>`.
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
  f.actions.add("Sync_group", runChildFlow(syncGroupId, { table: owner.table, id: coalesce(triggerBody().get(owner.idColumn), "") }, SYNC_GROUP_CALL));
  return f;
}

export const updateSynchronisationFlows = (syncGroupId: string): ProductFlow[] => GROUP_OWNERS.map((o) => updateSynchronisationFlow(o, syncGroupId));
