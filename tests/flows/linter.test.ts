import { lintFlow } from "../../flows/toolkit/lint";
import { defaultLintContext } from "../../flows/product/lintContext";
import type { FlowClientData, WdlAction } from "../../flows/toolkit/wdl";
import { sampleFlow } from "./sampleFlow";

const ctx = defaultLintContext();
const lint = (cd: FlowClientData) => lintFlow(cd, ctx, "flow");
const fresh = (): FlowClientData => sampleFlow().clientData();
const rules = (cd: FlowClientData): string[] => lint(cd).map((p) => p.rule);
const top = (cd: FlowClientData) => cd.properties.definition.actions;
const tryScope = (cd: FlowClientData) => top(cd).Try!.actions!;

describe("flow linter", () => {
  test("the sample flow built with the builders is clean", () => {
    expect(lint(fresh())).toEqual([]);
  });

  test("trigger-count: no trigger, two triggers", () => {
    const none = fresh();
    none.properties.definition.triggers = {};
    expect(rules(none)).toContain("trigger-count");
    const two = fresh();
    two.properties.definition.triggers.Second = { type: "Recurrence", recurrence: { frequency: "Hour", interval: 1 } };
    expect(rules(two)).toContain("trigger-count");
  });

  test("run-after-unknown, run-after-status, run-after-cycle", () => {
    const cd = fresh();
    top(cd).Report!.runAfter = { Nowhere: ["Succeeded"] };
    expect(lint(cd)).toContainEqual(expect.objectContaining({ rule: "run-after-unknown", message: 'runs after "Nowhere", which does not exist' }));
    const cross = fresh();
    top(cross).Report!.runAfter = { List_contacts: ["Succeeded"] };
    expect(lint(cross)).toContainEqual(expect.objectContaining({ rule: "run-after-unknown", message: expect.stringMatching(/in another scope/) }));
    const status = fresh();
    top(status).Report!.runAfter = { Try: ["Done" as "Succeeded"] };
    expect(rules(status)).toContain("run-after-status");
    const cycle = fresh();
    top(cycle).Init_addresses!.runAfter = { Report: ["Succeeded"] };
    expect(rules(cycle)).toContain("run-after-cycle");
  });

  test("expression-syntax, expression-length", () => {
    const cd = fresh();
    tryScope(cd).List_contacts!.inputs = { ...(tryScope(cd).List_contacts!.inputs as object), parameters: { entityName: "contacts", $filter: "@concat('a'" } };
    expect(lint(cd)).toContainEqual(expect.objectContaining({ rule: "expression-syntax", where: "flow/Try/List_contacts" }));
    const long = fresh();
    top(long).Report!.expression = `@equals('${"x".repeat(9000)}', 'y')`;
    expect(rules(long)).toContain("expression-length");
  });

  test("function-unknown, function-arity", () => {
    const cd = fresh();
    top(cd).Report!.expression = "@equalz(1, 1)";
    expect(lint(cd)).toContainEqual(expect.objectContaining({ rule: "function-unknown", message: '"equalz" is not a workflow function' }));
    const arity = fresh();
    top(arity).Report!.expression = "@equals(1)";
    expect(lint(arity)).toContainEqual(expect.objectContaining({ rule: "function-arity", message: "'equals' takes exactly 2 argument(s) but was given 1" }));
    const casing = fresh();
    top(casing).Report!.expression = "@Equals(1, 1)";
    expect(lint(casing)).toContainEqual(
      expect.objectContaining({ rule: "function-unknown", message: '"Equals" is not a workflow function (did you mean "equals"?)' }),
    );
  });

  test("reference-unknown, reference-unreachable, items-outside-loop", () => {
    const cd = fresh();
    top(cd).Report!.expression = "@greater(length(body('Nope')), 0)";
    expect(rules(cd)).toContain("reference-unknown");
    const later = fresh();
    tryScope(later).List_contacts!.inputs = {
      ...(tryScope(later).List_contacts!.inputs as object),
      parameters: { entityName: "contacts", $filter: "@{body('Stamp_list')}" },
    };
    expect(lint(later)).toContainEqual(expect.objectContaining({ rule: "reference-unreachable", where: "flow/Try/List_contacts" }));
    const outside = fresh();
    top(outside).Report!.expression = "@equals(items('Each_contact'), 1)";
    expect(rules(outside)).toContain("items-outside-loop");
    const notScope = fresh();
    (top(notScope).Catch!.actions!.Failed_step as WdlAction).inputs = "@result('Init_addresses')";
    expect(rules(notScope)).toContain("reference-unknown");
  });

  test("variable-undeclared, variable-init-nested, parameter-undeclared", () => {
    const cd = fresh();
    top(cd).Report!.expression = "@equals(variables('missing'), 1)";
    expect(rules(cd)).toContain("variable-undeclared");
    const nested = fresh();
    tryScope(nested).Init_late = { type: "InitializeVariable", inputs: { variables: [{ name: "late", type: "string" }] }, runAfter: {} };
    expect(rules(nested)).toContain("variable-init-nested");
    const param = fresh();
    top(param).Report!.expression = "@equals(parameters('Nope (clvr_Nope)'), 1)";
    expect(rules(param)).toContain("parameter-undeclared");
  });

  test("connection-unknown, dataverse-operation, dataverse-parameter, dataverse-entity-set, dataverse-trigger-entity", () => {
    const set = (cd: FlowClientData, patch: (inputs: Record<string, unknown>) => void): FlowClientData => {
      patch(tryScope(cd).List_contacts!.inputs as Record<string, unknown>);
      return cd;
    };
    expect(rules(set(fresh(), (i) => ((i.host as Record<string, unknown>).connectionName = "shared_other")))).toContain("connection-unknown");
    expect(rules(set(fresh(), (i) => ((i.host as Record<string, unknown>).operationId = "ListRows")))).toContain("dataverse-operation");
    expect(rules(set(fresh(), (i) => ((i.parameters as Record<string, unknown>).$filtr = "x")))).toContain("dataverse-parameter");
    expect(rules(set(fresh(), (i) => delete (i.parameters as Record<string, unknown>).entityName))).toContain("dataverse-parameter");
    expect(lint(set(fresh(), (i) => ((i.parameters as Record<string, unknown>).entityName = "contact")))).toContainEqual(
      expect.objectContaining({ rule: "dataverse-entity-set", message: expect.stringMatching(/"contact" is not an entity set name/) }),
    );
    const trig = fresh();
    const t = trig.properties.definition.triggers.When_a_list_changes!;
    (t.inputs as { parameters: Record<string, unknown> }).parameters["subscriptionRequest/entityname"] = "lists";
    expect(rules(trig)).toContain("dataverse-trigger-entity");
    const badField = fresh();
    (badField.properties.definition.triggers.When_a_list_changes!.inputs as { parameters: Record<string, unknown> }).parameters[
      "subscriptionRequest/filteringattribute"
    ] = "x";
    expect(rules(badField)).toContain("dataverse-parameter");
  });

  test("limits: action-name, action-count, nesting-depth, foreach-concurrency, pagination-limit, top-limit", () => {
    const name = fresh();
    top(name)[`A${"x".repeat(80)}`] = { type: "Compose", inputs: 1, runAfter: {} };
    expect(rules(name)).toContain("action-name");
    const many = fresh();
    for (let i = 0; i < 501; i++) top(many)[`C${i}`] = { type: "Compose", inputs: i, runAfter: {} };
    expect(rules(many)).toContain("action-count");
    const deep = fresh();
    let list = top(deep);
    for (let i = 0; i < 9; i++) {
      const inner: Record<string, WdlAction> = {};
      list[`Level${i}`] = { type: "Scope", actions: inner, runAfter: {} };
      list = inner;
    }
    expect(rules(deep)).toContain("nesting-depth");
    const conc = fresh();
    tryScope(conc).Each_contact!.runtimeConfiguration = { concurrency: { repetitions: 51 } };
    expect(rules(conc)).toContain("foreach-concurrency");
    const pages = fresh();
    tryScope(pages).List_contacts!.runtimeConfiguration = { paginationPolicy: { minimumItemCount: 200000 } };
    expect(rules(pages)).toContain("pagination-limit");
    const topLimit = fresh();
    ((tryScope(topLimit).List_contacts!.inputs as Record<string, unknown>).parameters as Record<string, unknown>).$top = 6000;
    expect(rules(topLimit)).toContain("top-limit");
  });

  test("fetchxml-pagination: a FetchXML List rows may not rely on the pagination policy (issue 11)", () => {
    const paged = fresh();
    const list = tryScope(paged).List_contacts!;
    (list.inputs as { parameters: Record<string, unknown> }).parameters.fetchXml =
      '<fetch><entity name="contact"><attribute name="contactid"/></entity></fetch>';
    expect(list.runtimeConfiguration?.paginationPolicy).toBeDefined();
    const clean = JSON.parse(JSON.stringify(paged)) as FlowClientData;
    delete tryScope(clean).List_contacts!.runtimeConfiguration;
    expect(lint(paged)).toContainEqual(expect.objectContaining({ rule: "fetchxml-pagination", where: "flow/Try/List_contacts" }));
    expect(rules(clean)).not.toContain("fetchxml-pagination");
    // An OData query pages with @odata.nextLink, which the policy follows (list-rows.md): allowed.
    const odata = fresh();
    tryScope(odata).List_contacts!.runtimeConfiguration = { paginationPolicy: { minimumItemCount: 100000 } };
    expect(rules(odata)).not.toContain("fetchxml-pagination");
  });

  test("action-name-unique across scopes", () => {
    const cd = fresh();
    tryScope(cd).Report = { type: "Compose", inputs: 1, runAfter: {} };
    expect(rules(cd)).toContain("action-name-unique");
  });
});
