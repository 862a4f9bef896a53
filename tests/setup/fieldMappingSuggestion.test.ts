import { fixedToken } from "../../scripts/setup/auth";
import { runSetup, type SetupOptions } from "../../scripts/setup/run";
import { cleverReachAttributesFromEnvironment } from "../../scripts/setup/steps/fieldMapping";
import { SetupError } from "../../scripts/setup/errors";
import { fieldMappingFrom } from "../../flows/product/rules/fieldMapping";
import { ENV } from "../../solution/src/model/handles";
import { startFakeCleverReach, type FakeCleverReach } from "../fakes/cleverreach";
import { builtZips, CapturedOutput, setup, startEnvironment, type SetupEnvironment } from "./fixture";

/**
 * Where a maker sees the suggested field mapping (README.md, "Field mapping"): `npm run setup --
 * --suggest-field-mapping` reads the contact and lead columns (table definitions) and the
 * CleverReach account's global attributes (with CLEVERREACH_TOKEN), prints the mapping of the
 * columns named like an attribute, and sets clvr_FieldMapping unless it holds a mapping already.
 */
const V = ENV.fieldMapping.schemaName;

let env: SetupEnvironment;
let cleverReach: FakeCleverReach;
beforeEach(async () => {
  env = await startEnvironment();
  cleverReach = await startFakeCleverReach();
});
afterEach(async () => {
  await env.server.stop();
  await cleverReach.stop();
});

const variableValue = (): string | undefined => {
  const rows = env.server.platform.rows("environmentvariablevalues");
  const definition = env.server.platform.rows("environmentvariabledefinitions").find((d) => d.schemaname === V);
  return rows.find((r) => r._environmentvariabledefinitionid_value === definition?.environmentvariabledefinitionid)?.value as string | undefined;
};

async function suggest(overrides: Partial<SetupOptions> = {}, token = cleverReach.token) {
  const out = new CapturedOutput();
  const attributes = cleverReachAttributesFromEnvironment({ CLEVERREACH_TOKEN: token, CLEVERREACH_ORIGIN: cleverReach.server.origin });
  try {
    const r = await runSetup(
      {
        environmentUrl: env.server.url,
        settingsPath: env.settingsPath,
        zipPath: (await builtZips()).managed,
        dryRun: false,
        reimport: false,
        skipForms: false,
        suggestFieldMapping: true,
        timing: { pollIntervalMs: 5, timeoutMs: 10_000 },
        ...overrides,
      },
      { tokens: fixedToken(env.server.platform.token, "a test token"), out, cleverReachAttributes: attributes },
    );
    return { out, changes: r.changes, error: undefined as unknown };
  } catch (error) {
    return { out, changes: -1, error };
  }
}

test("columns named like a CleverReach attribute are suggested; a dry run prints, a run sets the variable once", async () => {
  expect((await setup(env)).error).toBeUndefined();
  // An account as a shop integration leaves it: its global attributes, some named like CRM columns;
  // firstname is the connector's own and never suggested, parentcustomerid is a lookup, new_contract
  // a file and entityimage an image; a choice and a Choices column (new_interests) are suggested.
  for (const name of [
    "firstname",
    "jobtitle",
    "telephone1",
    "parentcustomerid",
    "birthday",
    "companyname",
    "preferredcontactmethodcode",
    "new_interests",
    "new_contract",
    "entityimage",
  ])
    cleverReach.server.store.createAttribute(0, { name, type: "text" });
  const expected =
    '{"contact":{"jobtitle":"jobtitle","new_interests":"new_interests","preferredcontactmethodcode":"preferredcontactmethodcode","telephone1":"telephone1"},' +
    '"lead":{"companyname":"companyname","jobtitle":"jobtitle","new_interests":"new_interests","preferredcontactmethodcode":"preferredcontactmethodcode","telephone1":"telephone1"}}';

  const dry = await suggest({ dryRun: true });
  expect(dry.error).toBeUndefined();
  expect(dry.out.text).toContain("[3/3] suggest the field mapping");
  expect(dry.out.text).toContain(`suggested ${V}: ${expected}`);
  expect(variableValue()).toBeUndefined();

  const run = await suggest();
  expect(run.error).toBeUndefined();
  expect(variableValue()).toBe(expected);
  expect(fieldMappingFrom(expected).error).toBeUndefined();
  expect((await suggest()).changes).toBe(0);
}, 120_000);

test("a mapping a maker wrote is never overwritten: the suggestion is printed with what to do", async () => {
  const own = '{"contact":{"jobtitle":"position"}}';
  const settings = { ...env.settings, EnvironmentVariables: env.settings.EnvironmentVariables.map((v) => (v.SchemaName === V ? { ...v, Value: own } : v)) };
  env.settingsPath = env.writeSettings(settings);
  expect((await setup(env)).error).toBeUndefined();
  cleverReach.server.store.createAttribute(0, { name: "telephone1", type: "text" });
  const run = await suggest();
  expect(run.error).toBeUndefined();
  expect(run.out.text).toContain("keeps its value");
  expect(run.out.text).toContain("put it into the settings file");
  expect(variableValue()).toBe(own);
}, 120_000);

test("no CleverReach token: the step says what to set", async () => {
  expect((await setup(env)).error).toBeUndefined();
  const run = await suggest({}, "");
  expect(run.error).toBeInstanceOf(SetupError);
  expect((run.error as SetupError).problem).toBe("CLEVERREACH_TOKEN is not set");
}, 120_000);
