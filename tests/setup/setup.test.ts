import { buildFlows } from "../../flows";
import { syncLogPlacements } from "../../scripts/setup/steps/forms";
import { CLEVERREACH_API } from "../sim/harness";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SetupError } from "../../scripts/setup/errors";
import { rewriteZip } from "../solution/helpers";
import { activationOrder, readSolutionZip } from "../../scripts/setup/solutionZip";
import { fixedToken } from "../../scripts/setup/auth";
import { dataverseWebApi, type Dataverse } from "../../scripts/setup/webApi";
import { runSetup } from "../../scripts/setup/run";
import { CapturedOutput, CHECKLIST_TABLES, CLEVERREACH_CONNECTION, builtZips, setup, startEnvironment, zipBytes, type SetupEnvironment } from "./fixture";

const FLOW_COUNT = buildFlows().length;

// Each test builds nothing (the zips are built once) but imports a 120 KB zip through HTTP and
// turns every flow on: a few seconds on a busy 2-core machine.
jest.setTimeout(60_000);

let env: SetupEnvironment;
beforeEach(async () => {
  env = await startEnvironment();
});
afterEach(async () => {
  await env.server.stop();
});

const platform = (): SetupEnvironment["server"]["platform"] => env.server.platform;
const flowsOn = (): number =>
  platform()
    .rows("workflows")
    .filter((w) => w.statecode === 1 && w.statuscode === 2).length;

function stopped(run: { error?: unknown }): SetupError {
  expect(run.error).toBeInstanceOf(SetupError);
  return run.error as SetupError;
}

describe("npm run setup against the fake Dataverse Web API", () => {
  test("runs end to end: imports, sets the variable, binds the connections, places the checklist, turns every flow on", async () => {
    const run = await setup(env);
    expect(run.error).toBeUndefined();
    const p = platform();
    expect(p.rows("solutions")).toEqual([expect.objectContaining({ uniquename: "CleverReachConnector", version: "1.0.0.0", ismanaged: true })]);
    expect(p.rows("environmentvariablevalues")).toEqual([expect.objectContaining({ value: "Newsletter - " })]);
    expect(Object.fromEntries(p.rows("connectionreferences").map((r) => [r.connectionreferencelogicalname, r.connectionid]))).toEqual({
      clvr_CleverReach: CLEVERREACH_CONNECTION,
      clvr_Dataverse: expect.any(String),
    });
    for (const table of CHECKLIST_TABLES) {
      const published = p.publishedFormXml(env.forms[table] as string) ?? "";
      expect({ table, control: published.includes('name="clvr_CleverReach.NewsletterChecklist"') }).toEqual({ table, control: true });
      // The maker's own tab is still there.
      expect({ table, makerTab: published.includes('name="maker_own_tab"') }).toEqual({ table, makerTab: true });
    }
    // Issue 18: list, campaign and campaign activity forms show the record's sync log, newest first; contact and lead forms do not.
    for (const table of CHECKLIST_TABLES) {
      const published = p.publishedFormXml(env.forms[table] as string) ?? "";
      const relationship = /<RelationshipName>([^<]*)<\/RelationshipName>/.exec(published)?.[1];
      expect({ table, relationship }).toEqual({ table, relationship: syncLogPlacements().get(table)?.relationshipName });
    }
    expect(run.out.text).toContain('add a "Sync log" tab with the record\'s sync log to list form "Information"');
    // The inactive form and the quick view were left alone.
    expect(p.row("systemforms", env.forms.campaignInactive as string)?.formxml).not.toMatch(/NewsletterChecklist|clvr_synclog/);
    expect(p.row("systemforms", env.forms.contactQuick as string)?.formxml).not.toMatch(/NewsletterChecklist/);
    expect(flowsOn()).toBe(FLOW_COUNT);
    const text = run.out.text;
    for (const step of [
      "[1/8] read the settings",
      "[2/8] sign in",
      "[3/8] import the solution",
      "[4/8] set the environment variables",
      "[5/8] bind the connection references",
      "[6/8] give the flows' identity its role and profile",
      "[7/8] place the checklist and the sync log on the forms",
      "[8/8] turn the flows on",
    ]) {
      expect(text).toContain(step);
    }
    expect(text).toMatch(/importing: 50 %\n {2}importing: 100 %\n {2}imported \(import job /);
    expect(text).toContain('set clvr_GroupPrefix to "Newsletter - " (default "CRM - ")');
    expect(text).toContain('add a "Newsletter" tab with the checklist to contact form "Information"');
    expect(text).toContain('show the checklist for the column already on lead form "Information"');
    expect(text).toMatch(/Done: \d+ change\(s\) made\.\n$/);
  });

  test("turns child flows on before the flows that call them, whatever order the zip lists them in", async () => {
    // The builders happen to list the child flows first; reversed, the zip puts every parent first.
    const reversed = await rewriteZip(await zipBytes("managed"), (path, content) =>
      path === "customizations.xml"
        ? content.replace(/(<Workflow [\s\S]*<\/Workflow>)/, (all) => (all.match(/<Workflow [\s\S]*?<\/Workflow>/g) ?? []).reverse().join("\r\n    "))
        : content,
    );
    const zipPath = join(env.dir, "reversed_managed.zip");
    writeFileSync(zipPath, reversed);
    const order: string[] = [];
    const recording = (url: string, tokens: Parameters<typeof dataverseWebApi>[1]): Dataverse => {
      const api = dataverseWebApi(url, tokens);
      return { ...api, update: async (set, id, data, ifMatch) => (set === "workflows" && order.push(id), api.update(set, id, data, ifMatch)) };
    };
    const out = new CapturedOutput();
    await runSetup(
      {
        environmentUrl: env.server.url,
        settingsPath: env.settingsPath,
        zipPath,
        dryRun: false,
        reimport: false,
        skipForms: true,
        timing: { pollIntervalMs: 5, timeoutMs: 10_000 },
      },
      { tokens: fixedToken(platform().token), out, webApi: recording },
    );
    const zip = await readSolutionZip(reversed, zipPath);
    const position = (id: string): number => zip.flows.findIndex((f) => f.id === id);
    expect(zip.flows.some((f, i) => f.children.some((c) => position(c) > i))).toBe(true);
    expect(order).toHaveLength(zip.flows.length);
    for (const flow of zip.flows)
      for (const child of flow.children)
        expect({ flow: flow.name, childFirst: order.indexOf(child) < order.indexOf(flow.id) }).toEqual({ flow: flow.name, childFirst: true });
    expect(activationOrder(zip.flows).map((f) => f.id)).toEqual(order);
  });

  test("a second run changes nothing and says so", async () => {
    expect((await setup(env)).error).toBeUndefined();
    const writesBefore = platform().writes().length;
    const again = await setup(env);
    expect(again.error).toBeUndefined();
    expect(again.changes).toBe(0);
    expect(platform().writes().length).toBe(writesBefore);
    expect(again.out.text).toContain("unchanged: CleverReachConnector 1.0.0.0 (managed) is already imported");
    expect(again.out.text).toMatch(/Nothing to change: the environment already matches the settings\.\n$/);
  });

  test("--dry-run on a fresh environment lists what it would do and writes nothing", async () => {
    const run = await setup(env, { dryRun: true });
    expect(run.error).toBeUndefined();
    expect(platform().writes()).toEqual([]);
    expect(run.out.text).toContain("would import CleverReachConnector 1.0.0.0 (managed)");
    expect(run.out.text).toContain('would set clvr_GroupPrefix to "Newsletter - " (after the import)');
    expect(run.out.text).toContain(`would bind clvr_CleverReach to connection ${CLEVERREACH_CONNECTION} (after the import)`);
    expect(run.out.text).toContain('would add a "Newsletter" tab with the checklist to contact form "Information"');
    expect(run.out.text).toContain('would turn on "CleverReach - Sync group"');
    expect(run.out.text).toMatch(/Dry run: \d+ change\(s\) would be made; nothing was changed\.\n$/);
    expect(platform().rows("solutions")).toEqual([]);
  });

  test("--dry-run after a setup finds nothing to do", async () => {
    await setup(env);
    const writesBefore = platform().writes().length;
    const run = await setup(env, { dryRun: true });
    expect(run.changes).toBe(0);
    expect(platform().writes().length).toBe(writesBefore);
    expect(run.out.text).toMatch(/Dry run: nothing to change\.\n$/);
  });

  test("a changed setting is all a later run changes", async () => {
    await setup(env);
    const settingsPath = env.writeSettings({
      ...env.settings,
      EnvironmentVariables: env.settings.EnvironmentVariables.map((v) => (v.SchemaName === "clvr_DeletionPriority" ? { ...v, Value: "2" } : v)),
    });
    const writesBefore = platform().writes().length;
    const run = await setup(env, { settingsPath });
    expect(run.changes).toBe(1);
    expect(run.out.text).toContain('set clvr_DeletionPriority to "2" (default "1")');
    expect(platform().writes().length).toBe(writesBefore + 1);
  });
});

test("--remove-from-forms takes the checklist off every main form again, and a second time finds nothing to do", async () => {
  await setup(env);
  const run = await setup(env, { removeFromForms: true });
  expect(run.error).toBeUndefined();
  expect(run.out.text).toContain("[3/3] take the checklist and the sync log off the forms");
  expect(run.out.text).toContain('take the checklist off contact form "Information"');
  expect(run.out.text).toContain('take the checklist and the sync log off campaign form "Information"');
  for (const table of CHECKLIST_TABLES) {
    const published = platform().publishedFormXml(env.forms[table] as string) ?? "";
    expect({
      table,
      control: published.includes("NewsletterChecklist"),
      log: published.includes("clvr_synclog"),
      makerTab: published.includes("maker_own_tab"),
    }).toEqual({
      table,
      control: false,
      log: false,
      makerTab: true,
    });
  }
  // The flows, variables and connections are left as they are.
  expect(flowsOn()).toBe(FLOW_COUNT);
  expect((await setup(env, { removeFromForms: true })).changes).toBe(0);
});

describe("setup fails clearly, naming the step, the component and what to do", () => {
  test("no permission to import: the platform's privilege message and which role to give", async () => {
    platform().deny("ImportSolutionAsync", "prvImportCustomization");
    const e = stopped(await setup(env));
    expect(e.step).toBe("import");
    expect(e.component).toMatch(/^solution CleverReachConnector 1\.0\.0\.0 \(managed, \d+ bytes\)$/);
    expect(e.problem).toMatch(/^the environment refused the import \(0x80040220\): Principal user .* is missing prvImportCustomization privilege/);
    expect(e.whatToDo).toMatch(/System Customizer or System Administrator security role/);
    expect(e.message).toMatch(/^setup stopped at step "import the solution", solution CleverReachConnector/);
    expect(platform().rows("solutions")).toEqual([]);
  });

  test("no permission to change forms: the step and the form are named", async () => {
    platform().deny("write systemforms", "prvWriteSystemForm");
    const e = stopped(await setup(env));
    expect(e.step).toBe("forms");
    expect(e.component).toBe('contact form "Information"');
    expect(e.problem).toMatch(/answered 403 \(0x80040220\): .*missing prvWriteSystemForm privilege/);
    expect(e.whatToDo).toMatch(/lacks a privilege/);
    expect(flowsOn()).toBe(0);
  });

  test("the import fails: the platform's own message and where its log is", async () => {
    platform().failImport(
      "The import of the solution failed. The following components are missing in your system and are not included in the solution: Entity campaignactivity.",
    );
    const e = stopped(await setup(env));
    expect(e.step).toBe("import");
    expect(e.problem).toBe(
      'the import failed: Solution "CleverReach Connector for Dataverse" failed to import: The import of the solution failed. The following components are missing in your system and are not included in the solution: Entity campaignactivity.',
    );
    expect(e.whatToDo).toMatch(/Solutions → History \(import job [0-9a-f-]{36}\)/);
    expect(
      platform()
        .writes()
        .map((c) => c.path),
    ).toEqual(["/api/data/v9.2/ImportSolutionAsync"]);
  });

  test("a connection that does not exist in the environment: the flow step says which and what to do", async () => {
    const settingsPath = env.writeSettings({
      ...env.settings,
      ConnectionReferences: env.settings.ConnectionReferences.map((r) =>
        r.LogicalName === "clvr_CleverReach" ? { ...r, ConnectionId: "shared-clvr-5fcleverr-0000000000" } : r,
      ),
    });
    const e = stopped(await setup(env, { settingsPath }));
    expect(e.step).toBe("flows");
    // The first flow turned on: Sync group's own child flow (a child before the flows that call it).
    expect(e.component).toMatch(/^flow "CleverReach - Ensure group" \(/);
    expect(e.problem).toMatch(
      new RegExp(
        `ConnectionAuthorizationFailed: .*Connection '/providers/Microsoft\\.PowerApps/apis/${CLEVERREACH_API}/connections/shared-clvr-5fcleverr-0000000000'`,
      ),
    );
    expect(e.whatToDo).toContain(`does not exist in this environment, or the signed-in account may not use it`);
    expect(e.whatToDo).toContain(settingsPath);
  });

  test("a connection reference left without a connection: nothing is turned on, and the way to the connection is named", async () => {
    const settingsPath = env.writeSettings({
      ...env.settings,
      ConnectionReferences: env.settings.ConnectionReferences.map((r) => (r.LogicalName === "clvr_CleverReach" ? { ...r, ConnectionId: "" } : r)),
    });
    const run = await setup(env, { settingsPath });
    const e = stopped(run);
    expect(e.step).toBe("flows");
    expect(e.component).toBe("connection reference clvr_CleverReach");
    expect(e.problem).toMatch(new RegExp(`^no connection is bound, and \\d+ of the ${FLOW_COUNT} flows use it`));
    expect(e.whatToDo).toMatch(/README steps 6–7/);
    expect(run.out.text).toContain(`clvr_CleverReach has no connection yet (ConnectionId is empty in ${settingsPath})`);
    expect(flowsOn()).toBe(0);
    // Everything before the flows is in place, so the next run with the connection only binds and turns on.
    const next = await setup(env);
    expect(next.error).toBeUndefined();
    expect(next.out.text).toContain(`bind clvr_CleverReach to connection ${CLEVERREACH_CONNECTION}`);
    expect(next.out.text).not.toMatch(/would|add a "Newsletter" tab/);
    expect(flowsOn()).toBe(FLOW_COUNT);
  });

  test("a flow that cannot be turned on: its name, the Flow service's words, and the children before it are on", async () => {
    const zip = await readSolutionZip(await zipBytes("managed"), "managed zip");
    const target = zip.flows.find((f) => f.name === "CleverReach - Contact changed");
    platform().refuseActivation(target?.id ?? "", {
      status: "BadRequest",
      code: "InvalidOpenApiFlow",
      message: "Flow save failed with code 'InvalidTemplate' and message 'The template validation failed'.",
    });
    const e = stopped(await setup(env));
    expect(e.step).toBe("flows");
    expect(e.component).toBe(`flow "CleverReach - Contact changed" (${target?.id})`);
    expect(e.problem).toBe(
      "it cannot be turned on: InvalidOpenApiFlow: Flow save failed with code 'InvalidTemplate' and message 'The template validation failed'.",
    );
    expect(e.whatToDo).toMatch(/open the flow in make\.powerapps\.com/);
    const on = new Set(
      platform()
        .rows("workflows")
        .filter((w) => w.statecode === 1)
        .map((w) => String(w.workflowid)),
    );
    for (const child of target?.children ?? []) expect(on.has(child)).toBe(true);
  });

  test("a managed zip where the unmanaged solution is installed: stopped before importing, with the way out", async () => {
    expect((await setup(env, { zipPath: (await builtZips()).unmanaged })).error).toBeUndefined();
    const e = stopped(await setup(env));
    expect(e.step).toBe("import");
    expect(e.problem).toBe("the environment has CleverReachConnector 1.0.0.0 as unmanaged; Dataverse cannot update it with a managed zip");
    expect(e.whatToDo).toMatch(/--package unmanaged/);
    expect(
      platform()
        .writes()
        .filter((c) => c.path.endsWith("/ImportSolutionAsync")),
    ).toHaveLength(1);
  });

  test("a maker saving a form while setup changes it: setup stops instead of overwriting that change", async () => {
    const p = platform();
    const racing = (url: string, tokens: Parameters<typeof dataverseWebApi>[1]): Dataverse => {
      const api = dataverseWebApi(url, tokens);
      return {
        ...api,
        update: async (set, id, data, ifMatch) => {
          if (set === "systemforms") {
            await p.handle({
              method: "PATCH",
              path: `/api/data/v9.2/systemforms(${id})`,
              query: {},
              headers: { Authorization: `Bearer ${p.token}` },
              body: { formxml: "<form><tabs /><!-- the maker's change --></form>" },
            });
          }
          return api.update(set, id, data, ifMatch);
        },
      };
    };
    const out = new CapturedOutput();
    const error = await runSetup(
      {
        environmentUrl: env.server.url,
        settingsPath: env.settingsPath,
        zipPath: (await builtZips()).managed,
        dryRun: false,
        reimport: false,
        skipForms: false,
        timing: { pollIntervalMs: 5, timeoutMs: 10_000 },
      },
      { tokens: fixedToken(p.token), out, webApi: racing },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupError);
    expect((error as SetupError).problem).toBe("someone saved the form while setup was changing it; setup did not overwrite that change");
    expect(p.row("systemforms", env.forms.contact as string)?.formxml).toBe("<form><tabs /><!-- the maker's change --></form>");
  });

  test("a token the environment refuses: the sign-in step names the URL", async () => {
    const e = stopped(await setup(env, {}, "not-the-token"));
    expect(e.step).toBe("signIn");
    expect(e.component).toBe(`environment ${env.server.url}`);
    expect(e.problem).toMatch(/^the environment refused the sign-in \(401\)/);
    expect(platform().writes()).toEqual([]);
  });

  test("a secret in the settings file: refused before anything is sent", async () => {
    const settingsPath = env.writeSettings({ ...env.settings, ...{ ClientSecret: "s3cr3t" } });
    const e = stopped(await setup(env, { settingsPath }));
    expect(e.step).toBe("settings");
    expect(e.problem).toBe("$.ClientSecret looks like a secret; a secret never belongs in the settings file");
    expect(e.whatToDo).toContain("DATAVERSE_CLIENT_SECRET");
    expect(platform().calls).toEqual([]);
  });

  test("a value the variable's type does not accept: refused before anything is sent", async () => {
    const settingsPath = env.writeSettings({
      ...env.settings,
      EnvironmentVariables: env.settings.EnvironmentVariables.map((v) => (v.SchemaName === "clvr_DeletionProtection" ? { ...v, Value: "maybe" } : v)),
    });
    const e = stopped(await setup(env, { settingsPath }));
    expect(e.step).toBe("settings");
    expect(e.component).toBe(`environment variable clvr_DeletionProtection in ${settingsPath}`);
    expect(e.problem).toBe('environment variable clvr_DeletionProtection: Boolean value must be "yes" or "no", not "maybe"');
    expect(platform().calls).toEqual([]);
  });

  test("a variable or connection reference the zip does not have: refused, with the names it does have", async () => {
    const settingsPath = env.writeSettings({
      ...env.settings,
      EnvironmentVariables: [...env.settings.EnvironmentVariables, { SchemaName: "clvr_Typo", Value: "1" }],
    });
    const e = stopped(await setup(env, { settingsPath }));
    expect(e.problem).toBe("the zip has no such variable");
    expect(e.whatToDo).toContain("clvr_GroupPrefix");
    expect(platform().calls).toEqual([]);
  });
});
