import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { product } from "../solution/src/model/product";
import { PACKAGE_TYPES, zipFileName, type PackageType } from "../solution/src/pack";
import { clientCredentialsSignIn, deviceCodeSignIn, SAMPLE_PUBLIC_CLIENT_ID, type TokenSource } from "./setup/auth";
import { SetupError } from "./setup/errors";
import { runSetup, type SetupOptions } from "./setup/run";
import { CLIENT_SECRET_VARIABLE } from "./setup/settings";

/** What `npm run setup -- --help` prints; the README's options table names every option (a test holds it). */
export const USAGE = `npm run setup -- --url https://<org>.crm<n>.dynamics.com --settings <file> [options]

  --url <environment url>     the Dataverse environment (make.powerapps.com → Settings → Session details → Instance url)
  --settings <file>           solution/deploymentSettings.json filled in for that environment
  --package managed|unmanaged managed (default) for test and production, unmanaged for development
  --zip <file>                another zip than dist/<solution>_<version>[_managed].zip
  --dry-run                   read the environment and list what would change; change nothing
  --reimport                  import even when the environment has this version already
  --skip-forms                leave the forms alone (place the checklist by hand, see README)
  --remove-from-forms         only take the checklist off the main forms again (before removing the solution)
  --suggest-field-mapping     only suggest clvr_FieldMapping: contact and lead columns named like a CleverReach attribute
                              (reads the attributes with CLEVERREACH_TOKEN); sets it unless it has a mapping already
  --flows-user <user>         the user the flows' connections sign in as (user id, application id or sign-in name;
                              default: the signed-in account); gets the CleverReach Administrator role and profile
  --auth device|app           device: you sign in with a code (default); app: an application user
  --tenant <id or domain>     the Microsoft Entra tenant (default: organizations; required with --auth app)
  --client-id <id>            app registration (default for device: Microsoft's sample public client; required with --auth app)
                              with --auth app the client secret is read from ${CLIENT_SECRET_VARIABLE}, never from a file
  --poll-seconds <n>          how often to check a running import (default 5)
  --import-timeout-minutes <n> how long to follow an import before giving up (default 30)`;

export class UsageError extends Error {}

/** The command line as setup options and a token source; a UsageError says what is wrong with it. */
export function parseSetupArgs(argv: string[], root: string): { setup: SetupOptions; tokens: TokenSource } {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" },
      settings: { type: "string" },
      package: { type: "string", default: "managed" },
      zip: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      reimport: { type: "boolean", default: false },
      "skip-forms": { type: "boolean", default: false },
      "remove-from-forms": { type: "boolean", default: false },
      "suggest-field-mapping": { type: "boolean", default: false },
      auth: { type: "string", default: "device" },
      "flows-user": { type: "string" },
      tenant: { type: "string" },
      "client-id": { type: "string" },
      "poll-seconds": { type: "string", default: "5" },
      "import-timeout-minutes": { type: "string", default: "30" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) throw new UsageError("");
  if (!values.url || !values.settings) throw new UsageError("--url and --settings are required");
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(`--url "${values.url}" is not a URL`);
  }
  if (url.protocol !== "https:") throw new UsageError(`--url must be https:// (Dataverse answers only over TLS), not ${url.protocol}`);
  const packageType = values.package as PackageType;
  if (!PACKAGE_TYPES.includes(packageType)) throw new UsageError(`--package is managed or unmanaged, not "${values.package}"`);
  const seconds = Number(values["poll-seconds"]);
  const minutes = Number(values["import-timeout-minutes"]);
  if (!(seconds > 0) || !(minutes > 0)) throw new UsageError("--poll-seconds and --import-timeout-minutes must be positive numbers");
  let tokens: TokenSource;
  if (values.auth === "device") {
    tokens = deviceCodeSignIn({
      environmentUrl: url.href,
      tenant: values.tenant ?? "organizations",
      clientId: values["client-id"] ?? SAMPLE_PUBLIC_CLIENT_ID,
      say: (text) => console.log(`  ${text}`),
    });
  } else if (values.auth === "app") {
    const secret = process.env[CLIENT_SECRET_VARIABLE];
    if (!values.tenant || !values["client-id"]) throw new UsageError("--auth app needs --tenant and --client-id");
    if (!secret) {
      throw new SetupError(
        "signIn",
        `application user ${values["client-id"]}`,
        `${CLIENT_SECRET_VARIABLE} is not set`,
        `set it in the shell or pipeline secret store for this run only (never in a file in the repository): ${CLIENT_SECRET_VARIABLE}=… npm run setup -- …`,
      );
    }
    tokens = clientCredentialsSignIn({ environmentUrl: url.href, tenant: values.tenant, clientId: values["client-id"], clientSecret: secret });
  } else {
    throw new UsageError(`--auth is device or app, not "${values.auth}"`);
  }
  return {
    tokens,
    setup: {
      environmentUrl: url.href,
      settingsPath: values.settings,
      zipPath: values.zip ?? join(root, "dist", zipFileName(product, packageType)),
      dryRun: values["dry-run"],
      reimport: values.reimport,
      skipForms: values["skip-forms"],
      removeFromForms: values["remove-from-forms"],
      suggestFieldMapping: values["suggest-field-mapping"],
      flowsUser: values["flows-user"],
      timing: { pollIntervalMs: seconds * 1000, timeoutMs: minutes * 60_000 },
    },
  };
}

if (require.main === module) {
  const root = resolve(__dirname, "..");
  const main = async (): Promise<number> => {
    try {
      const { setup, tokens } = parseSetupArgs(process.argv.slice(2), root);
      await runSetup(setup, { tokens, out: process.stdout });
      return 0;
    } catch (e) {
      if (e instanceof UsageError) {
        if (e.message) console.error(`setup: ${e.message}\n`);
        console.error(USAGE);
        return 2;
      }
      console.error(e instanceof SetupError ? `\n${e.message}` : `\nsetup failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return 1;
    }
  };
  main().then((code) => process.exit(code));
}
