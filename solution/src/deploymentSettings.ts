import type { SolutionModel } from "./model/types";
import type { PartContribution } from "./parts";
import { solutionConnectionReferences } from "./xml/customizationsXml";

/** Where `npm run build` writes the settings file, relative to the repository root. */
export const DEPLOYMENT_SETTINGS_PATH = "solution/deploymentSettings.json";

/**
 * The deployment settings file that `pac solution import --settings-file` (and the Power Platform
 * Build Tools' import task) read, in the form `pac solution create-settings` writes: Microsoft's
 * "Pre-populate connection references and environment variables for automated deployments"
 * (https://learn.microsoft.com/en-us/power-platform/alm/conn-ref-env-variables-build-tools) and
 * coe-starter-kit ALMAcceleratorSampleSolution/config/deploymentSettings.json.
 */
export interface DeploymentSettings {
  EnvironmentVariables: Array<{ SchemaName: string; Value: string }>;
  ConnectionReferences: Array<{ LogicalName: string; ConnectionId: string; ConnectorId: string }>;
}

/**
 * Settings for every environment variable and connection reference of the solution.
 *
 * Value is the variable's default, not "": since a platform change in late 2022 an import fails
 * with "Environment variable value can't be an empty string" (coe-starter-kit issues 4242, 6465,
 * 8029; coe-alm-accelerator-templates PR 241 stopped writing empty values), so the file imports as
 * it is and a pipeline changes only what it wants to differ.
 *
 * ConnectionId is empty: a connection exists only in the target environment; the pipeline fills it.
 *
 * ConnectorId is the connection reference's `connectorid` in the zip, the value create-settings
 * copies. For a custom connector Microsoft's example above writes the runtime API name with the
 * source environment's suffix (`shared_tst-5fcreateuserandjob-5ff805fab2693f57dc`); this zip was not
 * exported from an environment, so its name has no suffix (FORMAT-NOTES.md).
 */
export function deploymentSettings(model: SolutionModel, parts: PartContribution[]): DeploymentSettings {
  return {
    EnvironmentVariables: model.environmentVariables.map((v) => ({ SchemaName: v.schemaName, Value: v.defaultValue })),
    ConnectionReferences: solutionConnectionReferences(model, parts).map((c) => ({ LogicalName: c.logicalName, ConnectionId: "", ConnectorId: c.connectorId })),
  };
}

export const deploymentSettingsJson = (model: SolutionModel, parts: PartContribution[]): string =>
  `${JSON.stringify(deploymentSettings(model, parts), null, 2)}\n`;
