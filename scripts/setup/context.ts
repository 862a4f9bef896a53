import type { DeploymentSettings } from "../../solution/src/deploymentSettings";
import { SetupError, type StepKey } from "./errors";
import type { Reporter } from "./progress";
import type { SolutionZip } from "./solutionZip";
import { WebApiError, type Dataverse } from "./webApi";

/** What every step sees: the environment, the zip, the settings, the report, and whether to write. */
export interface StepContext {
  api: Dataverse;
  zip: SolutionZip;
  settings: DeploymentSettings;
  settingsPath: string;
  report: Reporter;
  dryRun: boolean;
  /**
   * False only in a dry run that would import the solution for the first time: the components the
   * import brings are not there to read yet, so later steps list what they would do after it.
   */
  solutionPresent: boolean;
  sleep(ms: number): Promise<void>;
  now(): number;
}

/** What to do about a Web API failure the step does not handle itself, by HTTP status. */
function adviceFor(e: WebApiError): string {
  if (e.status === 401) return "sign in again; check that the URL is this environment's (https://<org>.crm….dynamics.com) and that the account is a user of it";
  if (e.status === 403) {
    return "the signed-in account lacks a privilege this step needs (the message names it): give it the System Administrator or System Customizer security role in this environment (Power Platform admin center → Environments → Users), then run setup again";
  }
  if (e.status === 429 || e.status >= 500) return "the service is busy or failed; run setup again (every step is safe to repeat)";
  return "fix what the message names and run setup again (every step is safe to repeat)";
}

/** Runs a piece of a step; a Web API failure becomes a SetupError naming the step and the component. */
export async function within<T>(step: StepKey, component: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof WebApiError) {
      throw new SetupError(step, component, `the environment answered ${e.status}${e.code ? ` (${e.code})` : ""}: ${e.message}`, adviceFor(e));
    }
    if (e instanceof SetupError) throw e;
    throw new SetupError(step, component, (e as Error).message, "run setup again; if it repeats, report it with this message");
  }
}

/** Long values (JSON) shortened for the report. */
export function shown(value: string, max = 60): string {
  const oneLine = value.replace(/\s+/g, " ");
  return oneLine.length <= max ? JSON.stringify(oneLine) : `${JSON.stringify(oneLine.slice(0, max))}…`;
}
