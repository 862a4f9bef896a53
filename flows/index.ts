import type { FlowArtifact } from "../solution/src/slots/flows";
import { cleverReachToCrmFlow } from "./src/back/cleverReachToCrmFlow";
import { receiverStateFlows } from "./src/back/receiverStateFlows";
import { accountEventFlow } from "./src/events/accountEventFlow";
import { deleteGroupFlow } from "./src/events/deleteGroupFlow";
import { membershipEventFlows } from "./src/events/membershipEvents";
import { personEventFlows } from "./src/events/personEventFlows";
import { recordEventFlows } from "./src/events/recordEventFlows";
import { syncGroupFlow } from "./src/sync/syncGroupFlow";
import { updateSynchronisationFlows } from "./src/sync/updateSynchronisationFlows";

/**
 * Every cloud flow of the product, as the packer puts them into the solution. The flows are
 * generated here, never edited as JSON.
 */
export function buildFlows(): FlowArtifact[] {
  const syncGroup = syncGroupFlow();
  const deleteGroup = deleteGroupFlow();
  return [
    syncGroup,
    deleteGroup,
    ...updateSynchronisationFlows(syncGroup.id),
    ...recordEventFlows(syncGroup.id, deleteGroup.id),
    ...membershipEventFlows(syncGroup.id),
    ...personEventFlows(),
    accountEventFlow(syncGroup.id),
    cleverReachToCrmFlow(),
    ...receiverStateFlows(),
  ].map((f) => f.build());
}
