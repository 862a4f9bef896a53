import { label } from "../labels";
import { connectorApiName } from "../naming";
import { prefixed } from "./prefix";
import type { ConnectionReference, SolutionModel } from "./types";

/** The Dataverse connection every flow of the product uses. */
export const DATAVERSE_CONNECTION: ConnectionReference = {
  logicalName: prefixed("Dataverse"),
  displayName: label("CleverReach Connector - Dataverse", "CleverReach Connector - Dataverse"),
  description: label("Dataverse connection the sync flows use", "Dataverse-Verbindung der Synchronisations-Flows"),
  connectorId: "/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps",
};

/** Connection references that are always shipped (the connector's own comes with the connector). */
export const connectionReferences: ConnectionReference[] = [DATAVERSE_CONNECTION];

/** The connection reference to our own custom connector; shipped together with the connector. */
export function cleverReachConnectionReference(model: SolutionModel): ConnectionReference {
  return {
    logicalName: prefixed("CleverReach"),
    displayName: label("CleverReach Connector - CleverReach", "CleverReach Connector - CleverReach"),
    description: label("CleverReach connection (OAuth 2.0) the sync flows use", "CleverReach-Verbindung (OAuth 2.0) der Synchronisations-Flows"),
    connectorId: `/providers/Microsoft.PowerApps/apis/${connectorApiName(model.publisher.prefix, model.connector.displayName, model.connector.id)}`,
    customConnectorId: model.connector.id,
  };
}
