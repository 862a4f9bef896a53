import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSolutionZip } from "../../scripts/build";
import type { DeploymentSettings } from "../../solution/src/deploymentSettings";
import { deploymentSettings } from "../../solution/src/deploymentSettings";
import { product } from "../../solution/src/model/product";
import { loadParts, type PackageType } from "../../solution/src/pack";
import { solutionParts } from "../../solution/src/slots";
import { fixedToken } from "../../scripts/setup/auth";
import type { ReportTarget } from "../../scripts/setup/progress";
import { runSetup, type SetupOptions } from "../../scripts/setup/run";
import { FakeDataversePlatformServer } from "../fakes/dataverse/platform/server";
import { REPO_ROOT } from "../solution/helpers";

// dynamics-web-api routes http:// requests through $http_proxy when it is set; the fake listens on
// loopback, and a test must never send anything beyond this machine.
delete process.env.http_proxy;
delete process.env.HTTP_PROXY;

/** Both zips, built once per test file into a temporary folder, as `npm run build` writes them. */
let zips: Promise<Record<PackageType, string>> | undefined;
export function builtZips(): Promise<Record<PackageType, string>> {
  zips ??= (async () => {
    const out = mkdtempSync(join(tmpdir(), "crc-setup-"));
    const parts = loadParts(solutionParts(product), REPO_ROOT, () => undefined);
    return {
      unmanaged: await buildSolutionZip(REPO_ROOT, out, () => undefined, parts, "unmanaged"),
      managed: await buildSolutionZip(REPO_ROOT, out, () => undefined, parts, "managed"),
    };
  })();
  return zips;
}

export const DATAVERSE_CONNECTION = "shared-commondataser-4b1c7f0e2a";
export const CLEVERREACH_CONNECTION = "shared-clvr-5fcleverr-9d3e81aa07";

/**
 * Main forms as an environment with Dynamics 365 Sales has them, reduced to what matters here: a
 * header tab, a maker's own tab (it must survive), and on the lead form the checklist column a
 * maker placed by hand without the control (setup binds the control to it).
 */
export function mainForm(entity: string, options: { withColumn?: boolean } = {}): string {
  const field = options.withColumn
    ? `<row><cell id="{0a9c3b7e-5d1f-4e22-9b61-7c2f4d8e1a01}"><labels><label description="Newsletter checklist" languagecode="1033" /></labels><control id="clvr_newsletterchecklist" classid="{E0DECE4B-6FC8-4A8F-A065-082708572369}" datafieldname="clvr_newsletterchecklist" disabled="false" /></cell></row>`
    : "";
  return (
    `<form headerdensity="HighWithControls"><tabs>` +
    `<tab name="SUMMARY_TAB" id="{6f1a2b3c-0000-4000-8000-00000000000${entity.length % 10}}" IsUserDefined="0" expanded="true" showlabel="true"><labels><label description="Summary" languagecode="1033" /></labels>` +
    `<columns><column width="100%"><sections><section name="GENERAL" id="{7a000000-0000-4000-8000-000000000001}" showlabel="true" IsUserDefined="0"><labels><label description="General" languagecode="1033" /></labels><rows>` +
    `<row><cell id="{7b000000-0000-4000-8000-000000000001}"><labels><label description="Owner" languagecode="1033" /></labels><control id="ownerid" classid="{270BD3DB-D9AF-4782-9025-509E298DEC0A}" datafieldname="ownerid" /></cell></row>${field}` +
    `</rows></section></sections></column></columns></tab>` +
    `<tab name="maker_own_tab" id="{8c000000-0000-4000-8000-000000000001}" IsUserDefined="1" expanded="true" showlabel="true"><labels><label description="Maker's own tab" languagecode="1033" /></labels><columns><column width="100%"><sections /></column></columns></tab>` +
    `</tabs></form>`
  );
}

export const CHECKLIST_TABLES = ["contact", "lead", "list", "campaign", "campaignactivity"];

export interface SetupEnvironment {
  server: FakeDataversePlatformServer;
  dir: string;
  forms: Record<string, string>;
  /** The settings file as a maker fills it in: both connections, one variable changed. */
  settings: DeploymentSettings;
  settingsPath: string;
  writeSettings(s: DeploymentSettings): string;
}

export async function startEnvironment(): Promise<SetupEnvironment> {
  const server = await new FakeDataversePlatformServer().start();
  const p = server.platform;
  const forms: Record<string, string> = {};
  for (const entity of CHECKLIST_TABLES)
    forms[entity] = p.seedForm({ entity, name: "Information", formxml: mainForm(entity, { withColumn: entity === "lead" }) });
  // An inactive form and a quick view are not main forms users see; setup leaves them alone.
  forms.campaignInactive = p.seedForm({ entity: "campaign", name: "Old campaign form", formxml: mainForm("campaign"), active: false });
  forms.contactQuick = p.seedForm({ entity: "contact", name: "Contact quick view", formxml: mainForm("contact"), type: 6 });
  const parts = loadParts(solutionParts(product), REPO_ROOT, () => undefined);
  const settings = deploymentSettings(product, parts);
  const connectorOf = (logicalName: string): string => settings.ConnectionReferences.find((r) => r.LogicalName === logicalName)?.ConnectorId ?? "";
  p.addConnection(DATAVERSE_CONNECTION, connectorOf("clvr_Dataverse"));
  p.addConnection(CLEVERREACH_CONNECTION, connectorOf("clvr_CleverReach"));
  const filled: DeploymentSettings = {
    EnvironmentVariables: settings.EnvironmentVariables.map((v) => (v.SchemaName === "clvr_GroupPrefix" ? { ...v, Value: "Newsletter - " } : v)),
    ConnectionReferences: settings.ConnectionReferences.map((r) => ({
      ...r,
      ConnectionId: r.LogicalName === "clvr_Dataverse" ? DATAVERSE_CONNECTION : CLEVERREACH_CONNECTION,
    })),
  };
  const dir = mkdtempSync(join(tmpdir(), "crc-settings-"));
  let n = 0;
  const writeSettings = (s: DeploymentSettings): string => {
    const path = join(dir, `settings-${n++}.json`);
    writeFileSync(path, JSON.stringify(s, null, 2));
    return path;
  };
  return { server, dir, forms, settings: filled, settingsPath: writeSettings(filled), writeSettings };
}

/** Collects the report; `tty` makes it behave like a terminal (progress bar redrawn in place). */
export class CapturedOutput implements ReportTarget {
  text = "";
  constructor(readonly isTTY = false) {}
  write(t: string): void {
    this.text += t;
  }
  get lines(): string[] {
    return this.text.split("\n");
  }
}

export interface SetupRun {
  out: CapturedOutput;
  changes: number;
  /** The error the run stopped with, if it did. */
  error?: unknown;
}

/** One run of setup against the environment; a failure is returned with the report up to it. */
export async function setup(env: SetupEnvironment, overrides: Partial<SetupOptions> = {}, token = env.server.platform.token): Promise<SetupRun> {
  const out = new CapturedOutput();
  const zip = (await builtZips()).managed;
  try {
    const result = await runSetup(
      {
        environmentUrl: env.server.url,
        settingsPath: env.settingsPath,
        zipPath: zip,
        dryRun: false,
        reimport: false,
        skipForms: false,
        timing: { pollIntervalMs: 5, timeoutMs: 10_000 },
        ...overrides,
      },
      { tokens: fixedToken(token, "a test token"), out },
    );
    return { out, changes: result.changes };
  } catch (error) {
    return { out, changes: -1, error };
  }
}

export const zipBytes = async (type: PackageType): Promise<Buffer> => readFileSync((await builtZips())[type]);
