import { loadDataverseConnector } from "../../flows/toolkit/facts";
import { call, items, outputs, triggerBody, variables } from "../../flows/toolkit/expr/build";
import { compose, initializeVariable, NO_RETRY, response, runChildFlow, setVariable, terminate } from "../../flows/toolkit/builder/actions";
import { getRow } from "../../flows/toolkit/builder/dataverse";
import { childFlowTrigger } from "../../flows/toolkit/builder/triggers";
import { ProductFlow } from "../../flows/product/patterns/productFlow";
import { label } from "../../solution/src/labels";
import { FlowSimulator } from "../../flows/toolkit/sim/engine";
import type { HttpRequest, HttpResponse } from "../../flows/toolkit/sim/dispatch";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import type { RetryPolicy, WdlTrigger } from "../../flows/toolkit/wdl";

const TIMEOUT_MS = 20_000;
const SPLIT_ROWS = "@triggerBody()['rows']";

/** A Dataverse fake that answers after a tick and records how many requests were open at once. */
function slowDataverse() {
  let open = 0;
  const seen = { most: 0, requests: [] as HttpRequest[] };
  const binding = {
    definition: loadDataverseConnector(),
    transport: async (r: HttpRequest): Promise<HttpResponse> => {
      seen.requests.push(r);
      open++;
      seen.most = Math.max(seen.most, open);
      await new Promise((resolve) => setTimeout(resolve, 5));
      open--;
      return { status: 200, headers: {}, body: { contactid: "1" } };
    },
  };
  return { seen, binding };
}

function flow(key: string, trigger: WdlTrigger, fill: (f: ProductFlow) => void, options: { concurrency?: number } = {}): ProductFlow {
  const f = new ProductFlow({ key, displayName: label(key, key) });
  f.useDataverse();
  f.trigger("manual", trigger, options);
  fill(f);
  return f;
}

const hybrid = (splitOn?: string): WdlTrigger => ({ type: "Request", kind: "ApiConnection", inputs: { schema: {} }, ...(splitOn ? { splitOn } : {}) });

describe("simulator: runtime configuration as the platform applies it", () => {
  test(
    "split on: one run per item with the item as trigger body; run() refuses such a trigger; a body that is no array fails the trigger",
    async () => {
      const dv = slowDataverse();
      const f = flow("split", hybrid(SPLIT_ROWS), (f) => f.actions.add("Read", getRow("contacts", triggerBody().get("entity").get("contactid")))).build();
      const sim = new FlowSimulator({ connectors: { shared_commondataserviceforapps: dv.binding }, functions: FUNCTIONS });
      const runs = await sim.fire(f, { body: { rows: [{ entity: { contactid: "a" } }, { entity: { contactid: "b" } }] } });
      expect(runs.map((r) => r.status)).toEqual(["Succeeded", "Succeeded"]);
      expect(dv.seen.requests.map((r) => /contacts\((\w+)\)$/.exec(r.path)?.[1]).sort()).toEqual(["a", "b"]);
      await expect(sim.run(f, { body: { rows: [] } })).rejects.toThrow(/splits its body on @triggerBody\(\)\['rows'\]; start this flow with fire\(\)/);
      await expect(sim.fire(f, { body: { rows: "x" } })).rejects.toThrow(/must evaluate to an array, it is string/);
    },
    TIMEOUT_MS,
  );

  test(
    "split on with trigger concurrency: beyond 100 items the split is off and one run gets the whole body",
    async () => {
      const f = flow("split-many", hybrid(SPLIT_ROWS), (f) => f.actions.add("Count", compose(call("length", triggerBody().get("rows")))), {
        concurrency: 1,
      }).build();
      const sim = new FlowSimulator({ connectors: {}, functions: FUNCTIONS });
      const rows = Array.from({ length: 101 }, (_, i) => ({ entity: { n: i } }));
      const runs = await sim.fire(f, { body: { rows } });
      expect(runs).toHaveLength(1);
      expect(runs[0]?.actions.get("Count")?.outputs).toBe(101);
      expect(await sim.fire(f, { body: { rows: rows.slice(0, 100) } })).toHaveLength(100);
    },
    TIMEOUT_MS,
  );

  test(
    "trigger concurrency: with runs 1 the runs of a flow wait for each other; without it they overlap",
    async () => {
      for (const [concurrency, most] of [
        [1, 1],
        [undefined, 3],
      ] as const) {
        const dv = slowDataverse();
        const f = flow(`runs-${String(concurrency)}`, childFlowTrigger(), (f) => f.actions.add("Read", getRow("contacts", "x")), { concurrency }).build();
        const sim = new FlowSimulator({ connectors: { shared_commondataserviceforapps: dv.binding }, functions: FUNCTIONS });
        await Promise.all([sim.run(f), sim.run(f), sim.run(f)]);
        expect(dv.seen.most).toBe(most);
      }
    },
    TIMEOUT_MS,
  );

  test(
    "Apply to each runs as many iterations at once as its concurrency says; parallel writes of a variable lose updates",
    async () => {
      const run = async (repetitions: number) => {
        const dv = slowDataverse();
        const f = flow(`loop-${repetitions}`, childFlowTrigger(), (f) => {
          const a = f.actions;
          a.add("Init", initializeVariable("n", "integer", 0));
          a.forEach(
            "Each",
            call("range", 0, 10),
            (l) => {
              l.add("Before", compose(variables("n")));
              l.add("Read", getRow("contacts", call("string", items("Each"))));
              // Read, wait, write: what a counter kept with Set variable does.
              l.add("Count", setVariable("n", call("add", outputs("Before"), 1)));
            },
            { concurrency: repetitions },
          );
        }).build();
        const sim = new FlowSimulator({ connectors: { shared_commondataserviceforapps: dv.binding }, functions: FUNCTIONS });
        const r = await sim.run(f);
        return { most: dv.seen.most, n: r.actions.get("Count")?.outputs as { body: { value: number } } };
      };
      const sequential = await run(1);
      expect(sequential.most).toBe(1);
      expect(sequential.n.body.value).toBe(10);
      const parallel = await run(5);
      expect(parallel.most).toBe(5);
      expect(parallel.n.body.value).toBeLessThan(10);
    },
    TIMEOUT_MS,
  );

  test(
    "a failed child flow is started again under the default retry policy, once with retry none, count + 1 times with a count",
    async () => {
      const child = flow("child", childFlowTrigger(), (f) => f.actions.add("Fail", terminate("Failed", { code: "Nope", message: "child failed" })));
      const ok = flow("ok-child", childFlowTrigger(), (f) => f.actions.add("Reply", response(200, { done: true })));
      const attempts = async (retry: RetryPolicy | "platform default", target = child) => {
        const call = runChildFlow(target.id, {}, NO_RETRY);
        if (retry === "platform default") delete (call.inputs as { retryPolicy?: unknown }).retryPolicy;
        else (call.inputs as { retryPolicy?: unknown }).retryPolicy = retry;
        const parent = flow("parent", childFlowTrigger(), (f) => f.actions.add("Call", call)).build();
        const sim = new FlowSimulator({ connectors: {}, functions: FUNCTIONS, flows: [child.build(), ok.build()] });
        const r = await sim.run(parent);
        return { status: r.status, calls: r.counts.operations[`Workflow:${target.id}`], waited: r.counts.retryWaitMs };
      };
      expect(await attempts("platform default")).toMatchObject({ status: "Failed", calls: 9 });
      expect(await attempts(NO_RETRY)).toEqual({ status: "Failed", calls: 1, waited: 0 });
      expect(await attempts({ type: "fixed", count: 2, interval: "PT10S" })).toEqual({ status: "Failed", calls: 3, waited: 20_000 });
      expect(await attempts("platform default", ok)).toMatchObject({ status: "Succeeded", calls: 1 });
    },
    TIMEOUT_MS,
  );
  test(
    "parameters are type-checked before anything runs: an Object parameter given an array fails the run",
    async () => {
      const f = new ProductFlow({ key: "typed", displayName: label("typed", "typed") });
      f.trigger("manual", childFlowTrigger());
      const p = f.parameter({ name: "Setting (clvr_Setting)", type: "Object", defaultValue: { tables: [] }, schemaName: "clvr_Setting", description: "x" });
      f.actions.add("Read", compose(p));
      const sim = (value: unknown) => new FlowSimulator({ connectors: {}, functions: FUNCTIONS, environment: { clvr_Setting: value } });
      expect((await sim({ tables: ["contact"] }).run(f.build())).actions.get("Read")?.outputs).toEqual({ tables: ["contact"] });
      const r = await sim(["contact"]).run(f.build());
      expect(r).toMatchObject({ status: "Failed", error: { code: "WorkflowParametersValueTypeMismatch" } });
      expect(r.actions.size).toBe(0);
    },
    TIMEOUT_MS,
  );
});
