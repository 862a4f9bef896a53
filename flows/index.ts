import type { FlowArtifact } from "../solution/src/slots/flows";
import { membershipEventFlows } from "./src/events/membershipEvents";
import { syncGroupFlow } from "./src/sync/syncGroupFlow";
import { updateSynchronisationFlows } from "./src/sync/updateSynchronisationFlows";

/**
 * Every cloud flow of the product, as the packer puts them into the solution. The flows are
 * generated here, never edited as JSON.
 */
export function buildFlows(): FlowArtifact[] {
  const syncGroup = syncGroupFlow();
  return [syncGroup, ...updateSynchronisationFlows(syncGroup.id), ...membershipEventFlows(syncGroup.id)].map((f) => f.build());
}
