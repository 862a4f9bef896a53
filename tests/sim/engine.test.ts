import { loadDataverseConnector } from "../../flows/toolkit/facts";
import { body, call, item, items, lit, outputs, result, triggerBody, variables } from "../../flows/toolkit/expr/build";
import {
  appendToArrayVariable,
  compose,
  delay,
  filterArray,
  incrementVariable,
  initializeVariable,
  NO_RETRY,
  parseJson,
  response,
  runChildFlow,
  select,
  setVariable,
  terminate,
} from "../../flows/toolkit/builder/actions";
import { listRows } from "../../flows/toolkit/builder/dataverse";
import { ProductFlow } from "../../flows/product/patterns/productFlow";
import { childFlowTrigger } from "../../flows/toolkit/builder/triggers";
import { label } from "../../solution/src/labels";
import { FlowSimulator } from "../../flows/toolkit/sim/engine";
import type { HttpRequest, HttpResponse } from "../../flows/toolkit/sim/dispatch";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";

const dataverse = loadDataverseConnector();

function flow(key: string, fill: (f: ProductFlow) => void): ProductFlow {
  const f = new ProductFlow({ key, displayName: label(key, key) });
  f.trigger("manual", childFlowTrigger());
  fill(f);
  return f;
}

/** A scripted Dataverse: answers each request with the next scripted response and records it. */
function scripted(responses: Array<(r: HttpRequest) => HttpResponse>) {
  const requests: HttpRequest[] = [];
  let i = 0;
  return {
    requests,
    binding: {
      definition: dataverse,
      transport: async (r: HttpRequest): Promise<HttpResponse> => {
        requests.push(r);
        const next = responses[Math.min(i++, responses.length - 1)];
        if (!next) throw new Error("no scripted response");
        return next(r);
      },
    },
  };
}

const sim = (extra: Partial<ConstructorParameters<typeof FlowSimulator>[0]> = {}) => new FlowSimulator({ connectors: {}, functions: FUNCTIONS, ...extra });

describe("flow simulator", () => {
  test("variables, Compose, Select, Filter array, ParseJson and string interpolation", async () => {
    const f = flow("data", (f) => {
      const a = f.actions;
      a.add("Init", initializeVariable("n", "integer", 1));
      a.add("Inc", incrementVariable("n", 2));
      a.add(
        "People",
        compose([
          { name: "Ann", mail: "A@X.DE" },
          { name: "Bob", mail: null },
        ]),
      );
      a.add("With_mail", filterArray(outputs("People"), call("not", call("equals", item().get("mail"), lit(null)))));
      a.add("Mails", select(body("With_mail"), call("toLower", item().get("mail"))));
      a.add("Parse", parseJson('{"x": [1, 2]}', { type: "object" }));
      a.add("Text", compose(`n=@{variables('n')} mails=@{body('Mails')} x=@{body('Parse')?['x']} @@{literal}`));
    });
    const r = await sim().run(f.build());
    expect(r.status).toBe("Succeeded");
    expect(r.actions.get("Text")?.outputs).toBe('n=3 mails=["a@x.de"] x=[1,2] @{literal}');
    expect(r.counts.actions).toBe(7);
  });

  test("a failed action skips its successors; a catch scope runs on failure and sees result()", async () => {
    const f = flow("trycatch", (f) => {
      const a = f.actions;
      a.scope("Try", (s) => {
        s.add("Boom", compose(call("int", "not a number")));
        s.add("After_boom", compose("never"));
      });
      a.scope(
        "Catch",
        (s) => {
          s.add("Why", compose(call("length", result("Try"))), "start");
        },
        { after: { Try: ["Failed", "TimedOut"] } },
      );
      a.add("Log", compose(result("Try")), { Try: ["Failed"] });
      a.add("Finally", compose("done"), { Try: ["Succeeded", "Failed", "Skipped", "TimedOut"] });
    });
    const r = await sim().run(f.clientData());
    expect(r.actions.get("Boom")?.status).toBe("Failed");
    expect(r.actions.get("After_boom")?.status).toBe("Skipped");
    expect(r.actions.get("Try")?.status).toBe("Failed");
    expect(r.actions.get("Why")?.outputs).toBe(2);
    expect((r.actions.get("Log")?.outputs as Array<{ name: string; status: string }>).map((x) => [x.name, x.status])).toEqual([
      ["Boom", "Failed"],
      ["After_boom", "Skipped"],
    ]);
    expect(r.actions.get("Finally")?.status).toBe("Succeeded");
    // The failure was handled by Catch, so the run succeeds.
    expect(r.status).toBe("Succeeded");
  });

  test("an unhandled failure fails the run with the action's error", async () => {
    const f = flow("unhandled", (f) => {
      f.actions.add("Bad", compose(call("div", 1, 0)));
    });
    const r = await sim().run(f.build());
    expect(r.status).toBe("Failed");
    expect(r.error?.message).toMatch(/^Bad: /);
  });

  test("If, Switch, Foreach with items(), Until with a limit", async () => {
    const f = flow("control", (f) => {
      const a = f.actions;
      a.add("Init_list", initializeVariable("seen", "array", []));
      a.add("Init_i", initializeVariable("i", "integer", 0));
      a.forEach(
        "Loop",
        call("createArray", 1, 2, 3),
        (l) => {
          l.condition(
            "Odd",
            call("equals", call("mod", items("Loop"), 2), 1),
            (t) => {
              t.add("Add_odd", appendToArrayVariable("seen", call("concat", "odd", call("string", items("Loop")))));
            },
            (e) => {
              e.add("Add_even", appendToArrayVariable("seen", call("concat", "even", call("string", items("Loop")))));
            },
          );
        },
        { concurrency: 1 },
      );
      a.until(
        "Count",
        call("greaterOrEquals", variables("i"), 4),
        (u) => {
          u.add("Step", incrementVariable("i", 1));
        },
        { limit: { count: 10, timeout: "PT1H" } },
      );
      a.switch(
        "Pick",
        variables("i"),
        {
          four: { value: 4, body: (s) => s.add("Was_four", setVariable("i", 40)) },
          five: { value: 5, body: (s) => s.add("Was_five", setVariable("i", 50)) },
        },
        { otherwise: (d) => d.add("Other", setVariable("i", -1)) },
      );
      a.add("Seen", compose(variables("seen")));
      a.add("Final_i", compose(variables("i")));
    });
    const r = await sim().run(f.build());
    expect(r.status).toBe("Succeeded");
    expect(r.actions.get("Count")?.outputs).toMatchObject({ iterations: 4 });
    expect(r.actions.get("Was_four")?.status).toBe("Succeeded");
    expect(r.actions.get("Other")?.status).toBe("Skipped");
    expect(r.actions.get("Seen")?.outputs).toEqual(["odd1", "even2", "odd3"]);
    expect(r.actions.get("Final_i")?.outputs).toBe(40);
    // Foreach(3) + If per item(3) + append per item(3) + init(2) + Until(1) + 4 steps + Switch(1) + case(1)
    expect(r.counts.actions).toBe(1 + 3 + 3 + 2 + 1 + 4 + 1 + 1 + 2);
  });

  test("Terminate ends the run with its status and error", async () => {
    const f = flow("stop", (f) => {
      f.actions.add("Stop", terminate("Failed", { code: "BadConfig", message: "clvr_NewsletterTypes is not valid JSON" }));
      f.actions.add("Never", compose(1));
    });
    const r = await sim().run(f.build());
    expect(r.status).toBe("Failed");
    expect(r.error).toEqual({ code: "BadConfig", message: "clvr_NewsletterTypes is not valid JSON" });
    expect(r.actions.has("Never")).toBe(false);
  });

  test("Delay moves the virtual clock, and ends only while no call of any run is with a service", async () => {
    let answer!: () => void;
    const slow: HttpResponse = { status: 200, headers: {}, body: { value: [] } };
    const dv = {
      definition: dataverse,
      transport: () => new Promise<HttpResponse>((resolve) => (answer = () => resolve(slow))),
    };
    const caller = flow("slowcall", (f) => {
      f.useDataverse();
      f.actions.add("List", listRows({ entitySet: "contacts" }));
    });
    const waiter = flow("waiter", (f) => {
      f.actions.add("Wait", delay(90, "Second"));
      f.actions.add("After", compose(1));
    });
    const s = sim({ connectors: { shared_commondataserviceforapps: dv } });
    const busy = s.run(caller.build());
    let waited = false;
    const waiting = s.run(waiter.build()).then((r) => {
      waited = true;
      return r;
    });
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    // The other run's call is still with its service: no time passes for the Delay.
    expect(waited).toBe(false);
    answer();
    await busy;
    const r = await waiting;
    expect(r.status).toBe("Succeeded");
    expect(r.measures.virtualMs).toBe(90_000);
    const bad = flow("baddelay", (f) => f.actions.add("Wait", delay(1, "Fortnight" as "Day")));
    expect((await sim().run(bad.build())).error?.message).toMatch(/a Delay needs a whole count and a unit of Second, Minute/);
  });

  test("child flows: the parent gets the child's response and counts its actions", async () => {
    const child = flow("child", (f) => {
      f.actions.add("Double", compose(call("mul", triggerBody().get("n"), 2)));
      f.actions.add("Reply", response(200, { doubled: outputs("Double") }));
    });
    const parent = flow("parent", (f) => {
      f.actions.add("Call_child", runChildFlow(child.id, { n: 21 }, NO_RETRY));
      f.actions.add("Answer", compose(body("Call_child").get("doubled")));
    });
    const r = await sim({ flows: [child.build()] }).run(parent.build());
    expect(r.actions.get("Answer")?.outputs).toBe(42);
    expect(r.counts.actions).toBe(4);
  });

  test("connector calls go through the definition; 429 and 500 are retried with the policy; 400 fails at once", async () => {
    const dv = scripted([
      () => ({ status: 429, headers: { "Retry-After": "3" }, body: { error: { message: "slow down" } } }),
      () => ({ status: 500, headers: {}, body: { error: { message: "oops" } } }),
      (r) => ({ status: 200, headers: {}, body: { value: [{ contactid: "1", q: r.query }] } }),
    ]);
    const f = flow("calls", (f) => {
      f.useDataverse();
      f.actions.add("List", listRows({ entitySet: "contacts", select: ["contactid"], filter: "statecode eq 0", top: 10 }));
    });
    const r = await sim({ connectors: { shared_commondataserviceforapps: dv.binding } }).run(f.build());
    expect(r.status).toBe("Succeeded");
    expect(dv.requests[0]).toMatchObject({
      method: "GET",
      path: "/api/data/v9.1/contacts",
      query: { $select: "contactid", $filter: "statecode eq 0", $top: "10" },
    });
    expect(r.counts.calls).toEqual({ shared_commondataserviceforapps: 3 });
    expect(r.counts.retryWaitMs).toBeGreaterThanOrEqual(3000);

    const bad = scripted([() => ({ status: 400, headers: {}, body: { error: { message: "Invalid property 'x'" } } })]);
    const r2 = await sim({ connectors: { shared_commondataserviceforapps: bad.binding } }).run(f.build());
    expect(r2.status).toBe("Failed");
    expect(r2.error?.message).toMatch(/ListRecords returned 400: Invalid property 'x'/);
    expect(bad.requests).toHaveLength(1);
  });

  test("pagination policy follows @odata.nextLink until the threshold", async () => {
    const page = (from: number, next: boolean) => (): HttpResponse => ({
      status: 200,
      headers: {},
      body: {
        value: Array.from({ length: 3 }, (_, i) => ({ n: from + i })),
        ...(next ? { "@odata.nextLink": `https://org/api/data/v9.1/contacts?$skiptoken=p${from + 3}` } : {}),
      },
    });
    const dv = scripted([page(0, true), page(3, true), page(6, false)]);
    const f = flow("pages", (f) => {
      f.useDataverse();
      f.actions.add("List", listRows({ entitySet: "contacts", paginateTo: 100000 }));
      f.actions.add("Count", compose(call("length", body("List").get("value"))));
    });
    const r = await sim({ connectors: { shared_commondataserviceforapps: dv.binding } }).run(f.build());
    expect(r.actions.get("Count")?.outputs).toBe(9);
    expect(dv.requests.map((q) => q.query.$skiptoken)).toEqual([undefined, "p3", "p6"]);
    const unpaged = scripted([page(0, true)]);
    const g = flow("onepage", (f) => {
      f.useDataverse();
      f.actions.add("List", listRows({ entitySet: "contacts" }));
      f.actions.add("Count", compose(call("length", body("List").get("value"))));
    });
    const r2 = await sim({ connectors: { shared_commondataserviceforapps: unpaged.binding } }).run(g.build());
    expect(r2.actions.get("Count")?.outputs).toBe(3);
  });

  test("environment variable parameters: definition default, overridden by the environment", async () => {
    const f = flow("env", (f) => {
      const prefix = f.environmentVariable({
        schemaName: "clvr_GroupPrefix",
        type: "string",
        defaultValue: "CRM - ",
        original: "",
        displayName: label("Prefix", "Präfix"),
        description: label("", ""),
      });
      f.actions.add("Name", compose(call("concat", prefix, "List")));
    });
    expect((await sim().run(f.build())).actions.get("Name")?.outputs).toBe("CRM - List");
    expect((await sim({ environment: { clvr_GroupPrefix: "NL " } }).run(f.build())).actions.get("Name")?.outputs).toBe("NL List");
  });
});
