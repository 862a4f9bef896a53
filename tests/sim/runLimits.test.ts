import { resolve } from "node:path";
import { readConnectorDefinition } from "../../flows/toolkit/connectors/swagger";
import { loadDataverseConnector } from "../../flows/toolkit/facts";
import { DATAVERSE_API } from "../../flows/toolkit/builder/dataverse";
import type { HttpRequest, HttpResponse } from "../../flows/toolkit/sim/dispatch";
import { FlowSimulator, type RunResult } from "../../flows/toolkit/sim/engine";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import { CUSTOM_CONNECTOR_RATE, DATAVERSE_CONNECTOR_RATE, RUN_LIMITS } from "../../flows/toolkit/sim/limits";
import type { FlowClientData, Json, WdlAction } from "../../flows/toolkit/wdl";

/**
 * The run-time limits of flows/toolkit/sim/limits.ts bite: each test runs a flow just inside and
 * just past a limit (or past it only, where "inside" would take 100,000 iterations).
 * Flows are written as raw workflow definitions, so these tests depend on nothing but the engine.
 */

const REPO = resolve(__dirname, "..", "..");
const DATAVERSE = loadDataverseConnector();
const CUSTOM = readConnectorDefinition(resolve(REPO, "connector", "apiDefinition.swagger.json"));
const CUSTOM_API = "shared_custom-5fconnector";
const LIMIT = RUN_LIMITS.expressionResultCharacters;

/** A run of these actions in order (each after the previous), with a Dataverse and a custom connection. */
function definition(list: Array<[string, WdlAction]>): FlowClientData {
  const actions: Record<string, WdlAction> = {};
  let previous: string | undefined;
  for (const [name, action] of list) {
    actions[name] = { ...action, runAfter: previous ? { [previous]: ["Succeeded"] } : {} };
    previous = name;
  }
  return {
    properties: {
      connectionReferences: {
        [DATAVERSE_API]: { runtimeSource: "embedded", connection: { connectionReferenceLogicalName: "test_Dataverse" }, api: { name: DATAVERSE_API } },
        [CUSTOM_API]: {
          runtimeSource: "embedded",
          connection: { connectionReferenceLogicalName: "test_Custom" },
          api: { name: CUSTOM_API, logicalName: "test_5Fcustom-20connector" },
        },
      },
      definition: {
        $schema: "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
        contentVersion: "1.0.0.0",
        parameters: { $connections: { defaultValue: {}, type: "Object" }, $authentication: { defaultValue: {}, type: "SecureObject" } },
        triggers: { manual: { type: "Request", kind: "Button", inputs: {} } },
        actions,
      },
      templateName: "",
    },
    schemaVersion: "1.0.0.0",
  };
}

const compose = (inputs: Json): WdlAction => ({ type: "Compose", inputs });
const initArray = (name: string, value: string): WdlAction => ({ type: "InitializeVariable", inputs: { variables: [{ name, type: "array", value }] } });
const append = (name: string, value: Json): WdlAction => ({ type: "AppendToArrayVariable", inputs: { name, value } });
const connector = (connectionName: string, operationId: string, parameters: Record<string, Json>, retry?: Json): WdlAction => ({
  type: "OpenApiConnection",
  inputs: { host: { connectionName, operationId, apiId: "" }, parameters, ...(retry ? { retryPolicy: retry } : {}) },
});

const answering = (answer: (r: HttpRequest) => HttpResponse) => {
  const requests: HttpRequest[] = [];
  return { requests, transport: async (r: HttpRequest): Promise<HttpResponse> => (requests.push(r), answer(r)) };
};

function simulator(transports: { dataverse?: ReturnType<typeof answering>; custom?: ReturnType<typeof answering> } = {}): FlowSimulator {
  const connectors: ConstructorParameters<typeof FlowSimulator>[0]["connectors"] = {};
  if (transports.dataverse) connectors[DATAVERSE_API] = { definition: DATAVERSE, transport: transports.dataverse.transport };
  if (transports.custom) connectors[CUSTOM_API] = { definition: CUSTOM, transport: transports.custom.transport, includeBasePath: true };
  return new FlowSimulator({ connectors, functions: FUNCTIONS });
}

const failure = (r: RunResult): string => `${r.status}: ${r.error?.message ?? ""}`;

describe("run-time limits: the expression evaluation limit of 131,072 characters", () => {
  test.each([
    ["concat", `@concat(parameters('$connections')?['none'], outputs('Text'), outputs('Text'))`],
    ["string", `@string(createArray(outputs('Text'), outputs('Text')))`],
    ["base64", `@base64(concat(outputs('Text'), outputs('Text')))`],
    ["join", `@join(createArray(outputs('Text'), outputs('Text')), '')`],
  ])("%s fails the action past the limit and passes at it", async (fn, expression) => {
    // Half the limit each, minus what the function adds, so that the boundary case is exact.
    const half = (extra: number) => "x".repeat(Math.floor((fn === "base64" ? (LIMIT / 4) * 3 : LIMIT) / 2) - extra);
    const overhead = fn === "string" ? 4 : 0; // ["…","…"]: brackets, quotes and a comma
    const at = await simulator().run(
      definition([
        ["Text", compose(half(overhead))],
        ["Big", compose(expression)],
      ]),
    );
    expect(failure(at)).toBe("Succeeded: ");
    expect(String(at.actions.get("Big")?.outputs).length).toBeLessThanOrEqual(LIMIT);
    const past = await simulator().run(
      definition([
        ["Text", compose(half(overhead) + "xx")],
        ["Big", compose(expression)],
      ]),
    );
    expect(past.status).toBe("Failed");
    expect(past.actions.get("Big")?.error).toEqual({
      code: "InvalidTemplate",
      message: expect.stringMatching(
        new RegExp(
          `^The template language function '${fn}' failed: its result has \\d+ characters; the expression evaluation limit is 131072 characters \\("The @concat\\(\\), @base64\\(\\), and @string\\(\\) expressions can't be longer than this limit"\\)\\.$`,
        ),
      ),
    });
  });

  test("@{…} interpolation is held to the same limit", async () => {
    const text = "y".repeat(LIMIT / 2);
    const ok = await simulator().run(
      definition([
        ["Text", compose(text)],
        ["Both", compose("@{outputs('Text')}@{outputs('Text')}")],
      ]),
    );
    expect(ok.status).toBe("Succeeded");
    const over = await simulator().run(
      definition([
        ["Text", compose(text)],
        ["Both", compose("@{outputs('Text')}@{outputs('Text')}!")],
      ]),
    );
    expect(over.actions.get("Both")?.error?.message).toMatch(/^The interpolated string has 131073 characters; the expression evaluation limit is 131072/);
  });

  test("string() of a whole array is held to the limit too, so serialising a large array and parsing it back fails", async () => {
    const r = await simulator().run(
      definition([
        ["Ids", compose("@range(0, 40000)")],
        ["Back", compose("@json(string(outputs('Ids')))")],
      ]),
    );
    // string() of 40,000 numbers is over the limit (json() itself has no documented limit).
    expect(r.actions.get("Back")?.error?.message).toMatch(/function 'string' failed/);
  });
});

describe("run-time limits: variables", () => {
  test("an array variable holds 100,000 items and refuses the next, in the platform's words", async () => {
    const full = await simulator().run(definition([["Init", initArray("ids", "@range(0, 100000)")]]));
    expect(full.status).toBe("Succeeded");
    expect(full.measures.largestVariable).toMatchObject({ items: 100000, where: "ids" });
    const r = await simulator().run(
      definition([
        ["Init", initArray("ids", "@range(0, 100000)")],
        ["One_more", append("ids", 1)],
      ]),
    );
    expect(r.actions.get("One_more")?.error).toEqual({
      code: "BadRequest",
      message: "The number of array items in variable 'ids' reached the limit: maximum '100000' and actual '100000'.",
    });
    const set = await simulator().run(definition([["Init", initArray("ids", "@union(range(0, 100000), createArray(-1))")]]));
    expect(set.actions.get("Init")?.error?.message).toBe(
      "The number of array items in variable 'ids' reached the limit: maximum '100000' and actual '100001'.",
    );
  }, 20_000);

  test("a variable holds 104,857,600 bytes and no more", async () => {
    // 802 strings of 130,900 characters: each within the evaluation limit, 104.98 MB together.
    const chunk = "z".repeat(130_900);
    const big = Array.from({ length: 802 }, () => chunk);
    const r = await simulator().run(definition([["Init", initArray("texts", "@triggerBody()")]]), { body: big });
    expect(r.actions.get("Init")?.error).toEqual({
      code: "BadRequest",
      message: `The variable 'texts' has size of more than '${JSON.stringify(big).length}' bytes. This exceeded the maximum size '104857600' allowed.`,
    });
    const fits = await simulator().run(definition([["Init", initArray("texts", "@triggerBody()")]]), { body: big.slice(0, 800) });
    expect(fits.status).toBe("Succeeded");
    expect(fits.measures.largestVariable.bytes).toBe(JSON.stringify(big.slice(0, 800)).length);
  }, 30_000);

  test("appends are measured as they grow, without re-reading the array", async () => {
    const loop: WdlAction = { type: "Foreach", foreach: "@range(0, 3)", actions: { Add: { ...append("rows", { n: "@items('Each')" }), runAfter: {} } } };
    const r = await simulator().run(
      definition([
        ["Init", initArray("rows", "@createArray()")],
        ["Each", loop],
      ]),
    );
    expect(r.measures.largestVariable).toEqual({ bytes: JSON.stringify([{ n: 0 }, { n: 1 }, { n: 2 }]).length, items: 3, where: "rows" });
  });
});

describe("run-time limits: Apply to each and List rows pagination", () => {
  test("Apply to each refuses more than 100,000 items before running any", async () => {
    const loop: WdlAction = {
      type: "Foreach",
      foreach: "@union(range(0, 100000), createArray(-1))",
      actions: { Nothing: { ...compose("@items('Each')"), runAfter: {} } },
    };
    const r = await simulator().run(definition([["Each", loop]]));
    expect(r.actions.get("Each")?.error?.message).toBe(
      `The 'foreach' of 'Each' has 100001 items; an Apply to each processes at most 100000 array items ("Apply to each array item: 5,000 for Low, 100,000 for all others").`,
    );
    expect(r.counts.actions).toBe(1);
  });

  test("pagination stops at its threshold in whole pages, drops @odata.nextLink and never passes 100,000", async () => {
    let served = 0;
    // An endless table, 5000 rows a page.
    const dv = answering(() => {
      const rows = Array.from({ length: 5000 }, () => ({ n: served++ }));
      return { status: 200, headers: {}, body: { value: rows, "@odata.nextLink": `https://org/api/data/v9.1/contacts?$skiptoken=${served}` } };
    });
    const list = (threshold: number): WdlAction => ({
      ...connector(DATAVERSE_API, "ListRecords", { entityName: "contacts" }),
      runtimeConfiguration: { paginationPolicy: { minimumItemCount: threshold } },
    });
    const r = await simulator({ dataverse: dv }).run(
      definition([
        ["List", list(7000)],
        ["Count", compose("@length(body('List')?['value'])")],
        ["Next", compose("@body('List')?['@odata.nextLink']")],
      ]),
    );
    // "if that page size is 5,000, and you enter 7,000, the number of rows returned is 10,000"
    expect(r.actions.get("Count")?.outputs).toBe(10000);
    expect(r.actions.get("Next")?.outputs).toBeNull();
    expect(r.measures.truncatedLists).toEqual(["List"]);
    const max = await simulator({ dataverse: dv }).run(
      definition([
        ["List", list(100000)],
        ["Count", compose("@length(body('List')?['value'])")],
      ]),
    );
    expect(max.actions.get("Count")?.outputs).toBe(100000);
    expect(max.counts.calls[DATAVERSE_API]).toBe(20);
    expect(max.measures.largestValue).toMatchObject({ items: 100000, where: "List" });
    const over = await simulator({ dataverse: dv }).run(definition([["List", list(100001)]]));
    expect(over.actions.get("List")?.error?.message).toBe("The pagination threshold 100001 is above the maximum configurable threshold of 100000.");
  }, 20_000);
});

describe("run-time limits: the request URL", () => {
  test("a List rows whose FetchXML makes the URL longer than 16,384 characters fails before it is sent", async () => {
    const dv = answering(() => ({ status: 200, headers: {}, body: { value: [] } }));
    const fetchOf = (ids: number) =>
      `<fetch><entity name="contact"><filter><condition attribute="contactid" operator="in">${"<value>3f2504e0-4f89-11d3-9a0c-0305e82c3301</value>".repeat(ids)}</condition></filter></entity></fetch>`;
    const ok = await simulator({ dataverse: dv }).run(
      definition([["List", connector(DATAVERSE_API, "ListRecords", { entityName: "contacts", fetchXml: fetchOf(150) })]]),
    );
    expect(ok.status).toBe("Succeeded");
    const long = await simulator({ dataverse: dv }).run(
      definition([["List", connector(DATAVERSE_API, "ListRecords", { entityName: "contacts", fetchXml: fetchOf(300) })]]),
    );
    expect(long.actions.get("List")?.error?.message).toMatch(/^The request URL has \d+ characters; the request URL character limit is 16384 characters\.$/);
    expect(dv.requests).toHaveLength(1);
  });
});

describe("run-time limits: connection rates in virtual time", () => {
  const loopOf = (n: number, call: WdlAction, repetitions = 1): WdlAction => ({
    type: "Foreach",
    foreach: `@range(0, ${n})`,
    actions: { Call: { ...call, runAfter: {} } },
    runtimeConfiguration: { concurrency: { repetitions } },
  });

  test("a custom connector connection makes 500 calls a minute; the gateway's 429 is waited out", async () => {
    const cr = answering(() => ({ status: 200, headers: {}, body: [] }));
    const call = connector(CUSTOM_API, "ListGroups", {}, { type: "exponential", count: 4, interval: "PT10S" });
    const r = await simulator({ custom: cr }).run(definition([["Each", loopOf(1200, call)]]));
    expect(failure(r)).toBe("Succeeded: ");
    expect(cr.requests).toHaveLength(1200);
    expect(r.counts.calls[CUSTOM_API]).toBe(1200);
    // 500 at 0:00, 500 at 1:00, 200 at 2:00.
    expect(r.measures.virtualMs).toBe(2 * CUSTOM_CONNECTOR_RATE.windowMs);
    expect(r.measures.throttled[CUSTOM_API]).toBe(2);
    // Twenty at once wait together: the same two minutes, not twenty times the wait.
    const parallel = await simulator({ custom: cr }).run(definition([["Each", loopOf(1200, call, 20)]]));
    expect(failure(parallel)).toBe("Succeeded: ");
    expect(parallel.counts.calls[CUSTOM_API]).toBe(1200);
    expect(parallel.measures.virtualMs).toBe(2 * CUSTOM_CONNECTOR_RATE.windowMs);

    const strict = await simulator({ custom: cr }).run(definition([["Each", loopOf(501, connector(CUSTOM_API, "ListGroups", {}, { type: "none" }))]]));
    expect(strict.status).toBe("Failed");
    expect(strict.error?.message).toBe("Call: ListGroups returned 429: Rate limit is exceeded. Try again in 60 seconds.");
  }, 30_000);

  test("retries of iterations running at once wait together on the clock", async () => {
    const failedOnce = new Set<string>();
    // Each call fails once with a 500, answering on a later turn of the event loop, as the HTTP fakes do.
    const flaky = answering((r) => {
      const key = String(r.query.$filter);
      if (failedOnce.has(key)) return { status: 200, headers: {}, body: { value: [] } };
      failedOnce.add(key);
      return { status: 500, headers: {}, body: { error: { message: "busy" } } };
    });
    const slow = { ...flaky, transport: async (r: HttpRequest) => (await new Promise((go) => setTimeout(go, 1)), flaky.transport(r)) };
    const call = connector(
      DATAVERSE_API,
      "ListRecords",
      { entityName: "contacts", $filter: "@concat('n eq ', string(items('Each')))" },
      { type: "fixed", count: 1, interval: "PT10S" },
    );
    const r = await simulator({ dataverse: slow }).run(definition([["Each", loopOf(20, call, 20)]]));
    expect(failure(r)).toBe("Succeeded: ");
    expect(r.counts.retryWaitMs).toBe(20 * 10_000);
    expect(r.measures.virtualMs).toBe(10_000);
  });

  test("a Dataverse connection makes 6,000 calls in 300 seconds", async () => {
    const dv = answering(() => ({ status: 200, headers: {}, body: { value: [] } }));
    const r = await simulator({ dataverse: dv }).run(definition([["Each", loopOf(6001, connector(DATAVERSE_API, "ListRecords", { entityName: "contacts" }))]]));
    expect(failure(r)).toBe("Succeeded: ");
    expect(r.measures.virtualMs).toBe(DATAVERSE_CONNECTOR_RATE.windowMs);
    expect(r.measures.throttled[DATAVERSE_API]).toBe(1);
  }, 30_000);

  test("an Until stops at its timeout on the virtual clock", async () => {
    const slow = answering(() => ({ status: 429, headers: { "retry-after": "20" }, body: { message: "busy" } }));
    const until: WdlAction = {
      type: "Until",
      expression: "@equals(1, 2)",
      limit: { count: 1000, timeout: "PT1M" },
      actions: {
        Call: { ...connector(DATAVERSE_API, "ListRecords", { entityName: "contacts" }, { type: "fixed", count: 1, interval: "PT20S" }), runAfter: {} },
      },
      runAfter: {},
    };
    const r = await simulator({ dataverse: slow }).run(definition([["Loop", until]]), {});
    // Each iteration fails one call after a 20 s wait; the loop ends on the failure, not the clock…
    expect(r.actions.get("Loop")?.outputs).toMatchObject({ iterations: 1 });
    const handled: WdlAction = { ...until, actions: { ...until.actions, Carry_on: { ...compose("ok"), runAfter: { Call: ["Failed"] } } } };
    const timed = await simulator({ dataverse: slow }).run(definition([["Loop", handled]]), {});
    // …and with the failure handled, after 60 s of virtual time: three iterations.
    expect(timed.actions.get("Loop")?.outputs).toMatchObject({ iterations: 3 });
    expect(timed.measures.virtualMs).toBe(60_000);
  });
});
