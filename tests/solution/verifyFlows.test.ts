import { defaultLintContext } from "../../flows/product/lintContext";
import type { FlowClientData, WdlAction } from "../../flows/toolkit/wdl";
import { childScopes } from "../../flows/toolkit/wdl";
import { lintFlowsInZip } from "../../solution/src/verify/lintFlows";
import { verifySolutionZip } from "../../solution/src/verify/verifyZip";
import { builtZip, rewriteZip } from "./helpers";

// Building the zip once and reading it per test takes a few seconds on a busy 2-core machine.
const TIMEOUT_MS = 60_000;

/** What `npm run verify` reports for a zip: the package checks and the flow lint of every packed flow. */
const verify = async (zip: Buffer): Promise<string[]> => [...(await verifySolutionZip(zip)), ...(await lintFlowsInZip(zip, defaultLintContext()))];

/** The built zip with one packed flow (file name starting with `file`) changed by `edit`. */
const withFlow = async (file: string, edit: (cd: FlowClientData) => void): Promise<Buffer> => {
  let found = false;
  const zip = await rewriteZip(await builtZip(), (path, content) => {
    if (!path.startsWith(`Workflows/${file}-`)) return content;
    found = true;
    const cd = JSON.parse(content) as FlowClientData;
    edit(cd);
    return JSON.stringify(cd, null, 2);
  });
  if (!found) throw new Error(`no packed flow ${file}`);
  return zip;
};

/** Finds an action anywhere in a definition by name. */
function findAction(list: Record<string, WdlAction>, name: string): WdlAction | undefined {
  for (const [n, a] of Object.entries(list)) {
    if (n === name) return a;
    for (const s of childScopes(a)) {
      const inner = findAction(s.actions, name);
      if (inner) return inner;
    }
  }
  return undefined;
}
function action(list: Record<string, WdlAction>, name: string): WdlAction {
  const found = findAction(list, name);
  if (!found) throw new Error(`no action ${name}`);
  return found;
}
const actions = (cd: FlowClientData) => cd.properties.definition.actions;
const onlyTrigger = (cd: FlowClientData) => Object.values(cd.properties.definition.triggers)[0]!;

/** One test per problem of issue 12: npm run verify rejects a packed flow that has it. */
describe("npm run verify rejects a flow with each problem of the flow review (issue 12)", () => {
  test("the built zip passes", async () => expect(await verify(await builtZip())).toEqual([]), TIMEOUT_MS);

  const cases: Array<[string, string, string, (cd: FlowClientData) => void]> = [
    [
      "1 When a row is selected without splitOn",
      "UpdateSynchronisationCleverReachMarketingList",
      "split-on-selected-rows",
      (cd) => delete onlyTrigger(cd).splitOn,
    ],
    [
      "2 Terminate inside Apply to each",
      "CleverReachContactchanged",
      "terminate-in-loop",
      (cd) =>
        (action(actions(cd), "Each_group").actions!.Give_up = {
          type: "Terminate",
          inputs: { runStatus: "Failed" },
          runAfter: {},
          metadata: { operationMetadataId: "00000000-0000-5000-8000-000000000001" },
        }),
    ],
    [
      "3 a row trigger on a membership (intersect) table",
      "CleverReachDynamiclistquerychanged",
      "row-trigger-relationship",
      (cd) => ((onlyTrigger(cd).inputs as { parameters: Record<string, unknown> }).parameters["subscriptionRequest/entityname"] = "listmember"),
    ],
    [
      "4 the safety net scheduled without concurrency control",
      "CleverReachNightlysync",
      "recurrence-concurrency",
      (cd) => delete onlyTrigger(cd).runtimeConfiguration,
    ],
    [
      "5 a loop that writes a variable without concurrency 1",
      "CleverReachToCrm",
      "loop-variable-concurrency",
      (cd) => delete action(actions(cd), "Each_group").runtimeConfiguration,
    ],
    [
      "6 the hourly CleverReachToCrm without trigger concurrency",
      "CleverReachToCrm",
      "recurrence-concurrency",
      (cd) => delete onlyTrigger(cd).runtimeConfiguration,
    ],
    [
      "7 a child-flow call without a retry policy",
      "CleverReachMarketingListaddedorchanged",
      "child-flow-retry",
      (cd) => delete (action(actions(cd), "Sync_group").inputs as { retryPolicy?: unknown }).retryPolicy,
    ],
    [
      "8 an Object parameter holding an array",
      "CleverReachNightlysync",
      "parameter-type",
      (cd) =>
        (cd.properties.definition.parameters["Tables (clvr_TransferTables)"] = {
          type: "Object",
          defaultValue: ["contact"],
          metadata: { schemaName: "clvr_TransferTables" },
        }),
    ],
    ["9a an action without operationMetadataId", "CleverReachSyncgroup", "operation-metadata-id", (cd) => delete action(actions(cd), "Get_record").metadata],
    [
      "9b child-flow inputs without title / x-ms-dynamically-added",
      "CleverReachSyncgroup",
      "child-trigger-inputs",
      (cd) => ((onlyTrigger(cd).inputs as { schema: { properties: Record<string, unknown> } }).schema.properties.id = { type: "string" }),
    ],
    ["9c a definition without outputs", "CleverReachSyncgroup", "definition-outputs", (cd) => delete cd.properties.definition.outputs],
    [
      "9d the custom connector's API name without the exported suffix",
      "CleverReachSyncgroup",
      "custom-connector-api-name",
      (cd) => {
        for (const ref of Object.values(cd.properties.connectionReferences))
          if (ref.api.logicalName) ref.api.name = ref.api.name.replace(/-5f[0-9a-f]{16}$/, "");
      },
    ],
    [
      "9e <fetch distinct> in a List rows query",
      "CleverReachAccountchanged",
      "list-rows-fetchxml",
      (cd) => {
        const params = (action(actions(cd), "Lists_with_account").inputs as { parameters: { fetchXml: string } }).parameters;
        params.fetchXml = params.fetchXml.replace("<fetch", '<fetch distinct="true"');
      },
    ],
  ];
  test.each(cases)(
    "%s",
    async (_title, file, rule, edit) => {
      const problems = await verify(await withFlow(file, edit));
      expect(problems).toContainEqual(expect.stringContaining(`[${rule}]`));
    },
    TIMEOUT_MS,
  );

  test(
    "9f a <Workflow> node with RunAs 0, or a state that is neither draft nor on",
    async () => {
      const zip = await rewriteZip(await builtZip(), (path, content) =>
        path === "customizations.xml"
          ? content.replace("<RunAs>1</RunAs>", "<RunAs>0</RunAs>").replace("<StatusCode>1</StatusCode>", "<StatusCode>2</StatusCode>")
          : content,
      );
      const problems = await verify(zip);
      expect(problems).toContainEqual(expect.stringMatching(/RunAs 0, real exports of cloud flows carry 1$/));
      expect(problems).toContainEqual(expect.stringMatching(/StateCode\/StatusCode 0\/2 is neither a draft \(0\/1\) nor on \(1\/2\)$/));
    },
    TIMEOUT_MS,
  );
});
