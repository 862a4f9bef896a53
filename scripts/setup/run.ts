import { readFileSync } from "node:fs";
import type { DeploymentSettings } from "../../solution/src/deploymentSettings";
import { defaultValueProblems } from "../../solution/src/validateModel";
import type { TokenSource } from "./auth";
import { within, type StepContext } from "./context";
import { FIELD_MAPPING_STEPS, INSTALL_STEPS, REMOVAL_STEPS, SetupError } from "./errors";
import { cleverReachAttributesFromEnvironment, suggestFieldMapping, type CleverReachAttributes } from "./steps/fieldMapping";
import { Reporter, type ReportTarget } from "./progress";
import { readSettings } from "./settings";
import { readSolutionZip, type SolutionZip } from "./solutionZip";
import { grantFlowsAccess } from "./steps/access";
import { bindConnections } from "./steps/connections";
import { turnFlowsOn } from "./steps/flows";
import { placeOnForms, removeFromForms } from "./steps/forms";
import { importSolution, type ImportTiming } from "./steps/importSolution";
import { setVariables } from "./steps/variables";
import { dataverseWebApi, WebApiError, type Dataverse } from "./webApi";

export interface SetupOptions {
  /** https://<org>.crm<n>.dynamics.com */
  environmentUrl: string;
  settingsPath: string;
  zipPath: string;
  dryRun: boolean;
  /** Import even when the environment has this version already. */
  reimport: boolean;
  /** Leave the forms as they are (the maker places the checklist by hand). */
  skipForms: boolean;
  /**
   * Do only one job: take the checklist off the forms again (before the solution is removed; its
   * forms would otherwise depend on the solution's column and control).
   */
  removeFromForms?: boolean;
  /** Do only one job: suggest the field mapping from CleverReach's attributes (README.md, "Field mapping"). */
  suggestFieldMapping?: boolean;
  /** The user the flows' connections sign in as (id, application id or sign-in name); default: the signed-in account. */
  flowsUser?: string;
  timing: ImportTiming;
}

export interface SetupDependencies {
  tokens: TokenSource;
  out: ReportTarget;
  /** The Web API client; the real one unless a test wants another. */
  webApi?: (environmentUrl: string, tokens: TokenSource) => Dataverse;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** CleverReach's global attribute names, for --suggest-field-mapping; the real one reads CLEVERREACH_TOKEN. */
  cleverReachAttributes?: CleverReachAttributes;
}

/**
 * The settings against the zip, before anything touches the environment: every name must be one
 * the zip carries and every value one Dataverse accepts for the variable's type.
 */
function checkSettings(settings: DeploymentSettings, zip: SolutionZip, settingsPath: string): void {
  const component = (what: string): string => `${what} in ${settingsPath}`;
  const variables = new Map(zip.environmentVariables.map((v) => [v.schemaName, v]));
  for (const entry of settings.EnvironmentVariables) {
    const variable = variables.get(entry.SchemaName);
    if (!variable) {
      throw new SetupError(
        "settings",
        component(`environment variable ${entry.SchemaName}`),
        "the zip has no such variable",
        `remove it, or compare the file with solution/deploymentSettings.json of this build (it lists ${[...variables.keys()].join(", ")})`,
      );
    }
    if (entry.Value === "") {
      throw new SetupError(
        "settings",
        component(`environment variable ${entry.SchemaName}`),
        'its Value is empty, which Dataverse refuses ("Environment variable value can\'t be an empty string")',
        "set a value, or remove the entry to keep the default",
      );
    }
    // The model's rules for defaults are the platform's rules for any value of the type.
    const problems = defaultValueProblems(entry.SchemaName, variable.type, entry.Value).map((p) => p.replace(/\bdefault\b/g, "value"));
    if (problems.length > 0)
      throw new SetupError(
        "settings",
        component(`environment variable ${entry.SchemaName}`),
        problems.join("; "),
        'correct the Value (README, "Environment variables", says what each accepts)',
      );
  }
  const references = new Set(zip.connectionReferences.map((r) => r.logicalName));
  for (const entry of settings.ConnectionReferences) {
    if (!references.has(entry.LogicalName)) {
      throw new SetupError(
        "settings",
        component(`connection reference ${entry.LogicalName}`),
        "the zip has no such connection reference",
        `remove it, or compare the file with solution/deploymentSettings.json (it lists ${[...references].join(", ")})`,
      );
    }
    if (/[\s/]/.test(entry.ConnectionId.trim())) {
      throw new SetupError(
        "settings",
        component(`connection reference ${entry.LogicalName}`),
        `ConnectionId "${entry.ConnectionId}" is not a connection id`,
        "copy only the id from the connection's URL in make.powerapps.com (the part after /connections/)",
      );
    }
  }
}

/**
 * `npm run setup`: import the zip, set the environment variables, bind the connection references,
 * place the checklist on the forms, turn the flows on, and say what it did at each step. Every step
 * reads first and writes only what differs, so a second run changes nothing; with `dryRun` it only
 * reads and lists what it would change.
 */
export async function runSetup(options: SetupOptions, deps: SetupDependencies): Promise<{ changes: number }> {
  const steps = options.removeFromForms ? REMOVAL_STEPS : options.suggestFieldMapping ? FIELD_MAPPING_STEPS : INSTALL_STEPS;
  const report = new Reporter(deps.out, options.dryRun, steps);
  report.step("settings");
  const settings = readSettings(options.settingsPath);
  let bytes: Buffer;
  try {
    bytes = readFileSync(options.zipPath);
  } catch (e) {
    throw new SetupError(
      "settings",
      `solution zip ${options.zipPath}`,
      `it cannot be read (${(e as Error).message})`,
      "run npm run build (it writes both zips into dist/), or pass the zip with --zip",
    );
  }
  const zip = await readSolutionZip(bytes, options.zipPath);
  checkSettings(settings, zip, options.settingsPath);
  report.note(
    `${options.settingsPath}: ${settings.EnvironmentVariables.length} environment variable(s), ${settings.ConnectionReferences.length} connection reference(s)`,
  );
  report.note(`${options.zipPath}: ${zip.uniqueName} ${zip.version}, ${zip.managed ? "managed" : "unmanaged"}, ${zip.flows.length} flows`);

  report.step("signIn");
  const api = (deps.webApi ?? dataverseWebApi)(options.environmentUrl, deps.tokens);
  const me = await within("signIn", `environment ${options.environmentUrl}`, async () => {
    try {
      return await api.whoAmI();
    } catch (e) {
      if (e instanceof WebApiError && e.status === 401) {
        throw new SetupError(
          "signIn",
          `environment ${options.environmentUrl}`,
          `the environment refused the sign-in (401): ${e.message}`,
          "check that the URL is the environment's own (make.powerapps.com → Settings → Session details → Instance url) and that the signed-in account is a user of that environment",
        );
      }
      throw e;
    }
  });
  report.note(`signed in as ${deps.tokens.who} (user ${me.UserId}) at ${options.environmentUrl}`);

  const ctx: StepContext = {
    api,
    zip,
    settings,
    settingsPath: options.settingsPath,
    report,
    dryRun: options.dryRun,
    solutionPresent: true,
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: deps.now ?? (() => Date.now()),
  };
  if (options.suggestFieldMapping) {
    report.step("fieldMapping");
    await suggestFieldMapping(ctx, deps.cleverReachAttributes ?? cleverReachAttributesFromEnvironment(process.env));
    report.finish();
    return { changes: report.changes };
  }
  if (options.removeFromForms) {
    report.step("formsRemoval");
    await removeFromForms(ctx);
    report.finish();
    return { changes: report.changes };
  }
  report.step("import");
  ctx.solutionPresent = await importSolution(ctx, options.timing, options.reimport);
  report.step("variables");
  await setVariables(ctx);
  report.step("connections");
  const unbound = await bindConnections(ctx);
  report.step("access");
  await grantFlowsAccess(ctx, options.flowsUser, me.UserId);
  report.step("forms");
  if (options.skipForms) report.note("skipped (--skip-forms): add the checklist to the forms by hand (README)");
  else await placeOnForms(ctx);
  report.step("flows");
  await turnFlowsOn(ctx, unbound);
  report.finish();
  return { changes: report.changes };
}
