import type { FlowArtifact } from "../solution/src/slots/flows";
import { cleverReachToCrmFlow } from "./product/cleverreachToCrm/cleverReachToCrmFlow";
import { receiverStateFlows } from "./product/cleverreachToCrm/receiverStateFlows";
import { accountEventFlow } from "./product/events/accountEventFlow";
import { deleteGroupFlow } from "./product/events/deleteGroupFlow";
import { membershipEventFlows } from "./product/events/membershipEvents";
import { personEventFlows } from "./product/events/personEventFlows";
import { recordEventFlows } from "./product/events/recordEventFlows";
import { nightlySyncFlow } from "./product/sync/nightlySyncFlow";
import { fieldMappingFlow } from "./product/sync/fieldMappingFlow";
import { syncLogCleanupFlow } from "./product/sync/syncLogCleanupFlow";
import { syncGroupFlow } from "./product/sync/syncGroupFlow";
import { ensureGroupFlow } from "./product/sync/ensureGroupFlow";
import { updateSynchronisationFlows } from "./product/sync/updateSynchronisationFlows";
import { importGroupFlow } from "./product/sync/importGroupFlow";

/**
 * Every cloud flow of the product, as the packer puts them into the solution. The flows are
 * generated here, never edited as JSON.
 */
export function buildFlows(): FlowArtifact[] {
  const syncGroup = syncGroupFlow();
  const deleteGroup = deleteGroupFlow();
  const fieldMapping = fieldMappingFlow();
  return [
    syncGroup,
    ensureGroupFlow(),
    deleteGroup,
    ...updateSynchronisationFlows(syncGroup.id),
    importGroupFlow(syncGroup.id),
    nightlySyncFlow(syncGroup.id),
    syncLogCleanupFlow(),
    fieldMapping,
    ...recordEventFlows(syncGroup.id, deleteGroup.id),
    ...membershipEventFlows(syncGroup.id),
    ...personEventFlows(syncGroup.id),
    accountEventFlow(syncGroup.id),
    cleverReachToCrmFlow(),
    ...receiverStateFlows(),
  ].map((f) => f.build());
}
