import { lintFlow } from "../../flows/toolkit/lint";
import { defaultLintContext } from "../../flows/product/lintContext";
import { rowSelectedTrigger, rowTrigger } from "../../flows/toolkit/builder/dataverse";
import { childFlowTrigger, designerInputs } from "../../flows/toolkit/builder/triggers";
import type { FlowClientData, WdlAction } from "../../flows/toolkit/wdl";
import { sampleFlow } from "./sampleFlow";
import { sampleSyncFlow } from "./sampleSync";

const ctx = { ...defaultLintContext(), relationshipTables: new Set(["listmember"]) };
const lint = (cd: FlowClientData) => lintFlow(cd, ctx, "flow");
const fresh = (): FlowClientData => sampleFlow().clientData();
const def = (cd: FlowClientData) => cd.properties.definition;
const top = (cd: FlowClientData) => def(cd).actions;
const tryScope = (cd: FlowClientData) => top(cd).Try!.actions!;
const loop = (cd: FlowClientData) => tryScope(cd).Each_contact!;
const trigger = (cd: FlowClientData) => def(cd).triggers.When_a_list_changes!;
const problems = (cd: FlowClientData, rule: string) => lint(cd).filter((p) => p.rule === rule);

/** Each rule: the sample flow passes it, one change makes it fail with the platform's words. */
describe("flow linter: whole-flow rules (issue 12)", () => {
  test("the sample flow passes every rule", () => {
    expect(lint(fresh())).toEqual([]);
  });

  test("operation-metadata-id: missing on an inner action, or the same id twice", () => {
    const missing = fresh();
    delete loop(missing).actions!.Collect!.metadata;
    expect(problems(missing, "operation-metadata-id")).toEqual([expect.objectContaining({ where: "flow/Try/Each_contact/Collect" })]);
    const twice = fresh();
    top(twice).Report!.metadata = { ...tryScope(twice).List_contacts!.metadata };
    expect(problems(twice, "operation-metadata-id")[0]?.message).toMatch(/has the operationMetadataId of Try\/List_contacts/);
  });

  test("definition-outputs: a definition without outputs", () => {
    const cd = fresh();
    delete def(cd).outputs;
    expect(problems(cd, "definition-outputs")).toHaveLength(1);
  });

  test("trigger-concurrency: outside 1..100, or together with SingleInstance", () => {
    const high = fresh();
    trigger(high).runtimeConfiguration = { concurrency: { runs: 101 } };
    expect(problems(high, "trigger-concurrency")[0]?.message).toBe("trigger concurrency 101 is outside 1..100");
    const both = fresh();
    trigger(both).runtimeConfiguration = { concurrency: { runs: 1 } };
    trigger(both).operationOptions = "SingleInstance";
    expect(problems(both, "trigger-concurrency")[0]?.message).toMatch(/set either property, but not both/);
  });

  test("split-on-selected-rows: When a row is selected without splitOn", () => {
    const cd = fresh();
    def(cd).triggers = { When_a_row_is_selected: { ...rowSelectedTrigger("lists"), metadata: trigger(cd).metadata } };
    delete def(cd).triggers.When_a_row_is_selected!.splitOn;
    expect(problems(cd, "split-on-selected-rows")[0]?.message).toMatch(/can only be used with Split on enabled/);
    def(cd).triggers.When_a_row_is_selected!.splitOn = "@triggerBody()['rows']";
    expect(problems(cd, "split-on-selected-rows")).toEqual([]);
  });

  test("row-trigger-relationship: a row trigger on a table that carries an N:N relationship", () => {
    const cd = fresh();
    def(cd).triggers = { When_a_member_changes: { ...rowTrigger({ message: "addedOrDeleted", table: "listmember" }), metadata: trigger(cd).metadata } };
    expect(problems(cd, "row-trigger-relationship")[0]?.message).toMatch(/doesn't support triggering flows on relationships of type 1:N or N:N/);
  });

  test("terminate-in-loop, response-in-loop: inside Apply to each, also inside a condition there", () => {
    const cd = fresh();
    const metadata = { operationMetadataId: "00000000-0000-5000-8000-000000000001" };
    loop(cd).actions!.Stop_here = {
      type: "If",
      expression: { and: [] },
      actions: { Give_up: { type: "Terminate", inputs: { runStatus: "Failed" }, runAfter: {}, metadata } },
      runAfter: {},
      metadata: { operationMetadataId: "00000000-0000-5000-8000-000000000002" },
    };
    expect(problems(cd, "terminate-in-loop")).toEqual([
      expect.objectContaining({
        where: "flow/Try/Each_contact/Stop_here/Give_up",
        message: 'Terminate can\'t appear inside a loop; it is inside the Apply to each "Each_contact"',
      }),
    ]);
    const reply = fresh();
    loop(reply).actions!.Reply = { type: "Response", kind: "Http", inputs: { statusCode: 200 }, runAfter: {}, metadata };
    expect(problems(reply, "response-in-loop")).toHaveLength(1);
  });

  test("loop-variable-concurrency: a loop that writes a variable without repetitions 1, also through an inner loop", () => {
    const cd = fresh();
    delete loop(cd).runtimeConfiguration;
    expect(problems(cd, "loop-variable-concurrency")[0]).toMatchObject({
      where: "flow/Try/Each_contact",
      message: expect.stringMatching(/writes the variable "addresses" \(Collect\)/),
    });
    const parallel = fresh();
    loop(parallel).runtimeConfiguration = { concurrency: { repetitions: 20 } };
    expect(problems(parallel, "loop-variable-concurrency")).toHaveLength(1);
    const outer = fresh();
    const inner = loop(outer);
    tryScope(outer).Each_contact = {
      type: "Foreach",
      foreach: "@createArray(1)",
      actions: { Inner: inner },
      runAfter: {},
      metadata: { operationMetadataId: "00000000-0000-5000-8000-000000000003" },
    } as WdlAction;
    expect(problems(outer, "loop-variable-concurrency").map((p) => p.where)).toEqual(["flow/Try/Each_contact"]);
  });

  test("parameter-type: an Object parameter holding an array", () => {
    const cd = fresh();
    def(cd).parameters["Transfer (clvr_TransferTables)"] = { type: "Object", defaultValue: ["contact"], metadata: { schemaName: "clvr_TransferTables" } };
    expect(problems(cd, "parameter-type")[0]?.message).toBe(
      "a Object parameter holds an object, its default value is an array (WorkflowParametersValueTypeMismatch)",
    );
  });

  test("child-flow-retry: a child flow call without a retry policy", () => {
    const cd = fresh();
    top(cd).Call = {
      type: "Workflow",
      inputs: { host: { workflowReferenceName: "x" }, body: {} },
      runAfter: {},
      metadata: { operationMetadataId: "00000000-0000-5000-8000-000000000004" },
    };
    expect(problems(cd, "child-flow-retry")).toHaveLength(1);
    top(cd).Call!.inputs = { host: { workflowReferenceName: "x" }, body: {}, retryPolicy: { type: "none" } };
    expect(problems(cd, "child-flow-retry")).toEqual([]);
  });

  test("child-trigger-inputs: a child flow input without title and x-ms-dynamically-added", () => {
    const cd = fresh();
    const metadata = trigger(cd).metadata;
    def(cd).triggers = { manual: { ...childFlowTrigger({ type: "object", properties: { id: { type: "string" } }, required: ["id"] }), metadata } };
    expect(problems(cd, "child-trigger-inputs")[0]?.message).toMatch(/input "id" needs a title and x-ms-dynamically-added: true/);
    def(cd).triggers = { manual: { ...childFlowTrigger(designerInputs({ id: { title: "Row id", type: "string", description: "The row" } })), metadata } };
    expect(problems(cd, "child-trigger-inputs")).toEqual([]);
  });

  test("list-rows-fetchxml: <fetch distinct> and aggregation in a List rows FetchXML query", () => {
    const cd = fresh();
    const params = (tryScope(cd).List_contacts!.inputs as { parameters: Record<string, unknown> }).parameters;
    params.fetchXml = '<fetch distinct="true"><entity name="contact"/></fetch>';
    expect(problems(cd, "list-rows-fetchxml")[0]?.message).toMatch(/<fetch distinct="true"> isn't supported/);
    params.fetchXml = "<fetch aggregate='true'><entity name=\"contact\"/></fetch>";
    expect(problems(cd, "list-rows-fetchxml")[0]?.message).toMatch(/aggregation queries aren't supported/);
    params.fetchXml = '<fetch><entity name="contact"><link-entity name="x" distinct="true"/></entity></fetch>';
    expect(problems(cd, "list-rows-fetchxml")).toEqual([]);
  });

  test("recurrence-concurrency: a scheduled trigger without concurrency control", () => {
    const cd = fresh();
    def(cd).triggers = { Every_hour: { type: "Recurrence", recurrence: { frequency: "Hour", interval: 1 }, metadata: trigger(cd).metadata } };
    expect(problems(cd, "recurrence-concurrency")[0]?.message).toMatch(/starts a new run while the last one still runs/);
    def(cd).triggers.Every_hour!.runtimeConfiguration = { concurrency: { runs: 1 } };
    expect(problems(cd, "recurrence-concurrency")).toEqual([]);
  });

  test("custom-connector-api-name: a custom connector API name without the exported suffix", () => {
    const cd = sampleSyncFlow().clientData();
    const [key, ref] = Object.entries(cd.properties.connectionReferences).find(([, r]) => r.api.logicalName)!;
    expect(problems(cd, "custom-connector-api-name")).toEqual([]);
    ref.api.name = ref.api.name.replace(/-5f[0-9a-f]{16}$/, "");
    expect(problems(cd, "custom-connector-api-name")).toEqual([expect.objectContaining({ where: `flow/connectionReferences/${key}` })]);
  });
});
