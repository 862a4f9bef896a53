import { items, lit, variables } from "../../flows/toolkit/expr/build";
import { appendToArrayVariable, compose, initializeVariable } from "../../flows/toolkit/builder/actions";
import { DATAVERSE_API } from "../../flows/toolkit/builder/dataverse";
import { eachFetchPage, fetchPageVariables } from "../../flows/toolkit/builder/fetchPages";
import { attribute, entity, fetch, fetchXml, order } from "../../flows/toolkit/builder/fetchXml";
import { FlowBuilder } from "../../flows/toolkit/builder/flow";
import { childFlowTrigger } from "../../flows/toolkit/builder/triggers";
import type { HttpRequest } from "../../flows/toolkit/sim/dispatch";
import { FlowSimulator } from "../../flows/toolkit/sim/engine";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import { FakeDataverse } from "../fakes/dataverse";
import { dataverseBinding } from "../sim/harness";

/** eachFetchPage reads a FetchXML query page by page as page-results.md documents it, and says when it stopped short. */
describe("eachFetchPage", () => {
  const vars = fetchPageVariables("people");

  function pagesFlow(limitCount?: number) {
    const f = new FlowBuilder({ id: "00000000-0000-0000-0000-0000000000fe", displayName: { en: "Pages" } });
    f.useConnection({ apiName: DATAVERSE_API, connectionReferenceLogicalName: "test_Dataverse" });
    f.trigger("manual", childFlowTrigger());
    const a = f.actions;
    a.add("Init_page", initializeVariable(vars.page, "integer", 0));
    a.add("Init_cookie", initializeVariable(vars.cookie, "string", ""));
    a.add("Init_more", initializeVariable(vars.more, "boolean", true));
    a.add("Init_names", initializeVariable("names", "array", []));
    const query = fetchXml(fetch(entity("contact", attribute("lastname"), order("contactid"))));
    const { complete } = eachFetchPage(
      a,
      "Read",
      { entitySet: "contacts", fetch: lit(query), variables: vars, pageSize: 3, ...(limitCount ? { limit: { count: limitCount, timeout: "PT1H" } } : {}) },
      (p, rows) => p.forEach("Each_row", rows, (r) => r.add("Keep_name", appendToArrayVariable("names", items("Each_row").get("lastname")))),
    );
    a.add("Complete", compose(complete));
    a.add("Names", compose(variables("names")));
    return f.build();
  }

  function run(flow: ReturnType<typeof pagesFlow>, dv: FakeDataverse, seen: HttpRequest[]) {
    const binding = dataverseBinding(dv);
    return new FlowSimulator({
      connectors: { [DATAVERSE_API]: { ...binding, transport: (r) => (seen.push(r), binding.transport(r)) } },
      functions: FUNCTIONS,
    }).run(flow);
  }

  const seeded = (): FakeDataverse => {
    const dv = new FakeDataverse();
    dv.seed(
      "contact",
      Array.from({ length: 7 }, (_, i) => ({ lastname: `L${i}` })),
    );
    return dv;
  };

  test("every row, a page of three at a time, the cookie from the second page on; complete at the end", async () => {
    const seen: HttpRequest[] = [];
    const r = await run(pagesFlow(), seeded(), seen);
    expect(r.error).toBeUndefined();
    expect([...(r.actions.get("Names")?.outputs as string[])].sort()).toEqual(["L0", "L1", "L2", "L3", "L4", "L5", "L6"]);
    expect(r.actions.get("Complete")?.outputs).toBe(true);
    const fetches = seen.map((q) => q.query.fetchXml ?? "");
    expect(fetches).toHaveLength(3);
    expect(fetches[0]).toMatch(/^<fetch count="3" page="1"><entity/);
    expect(fetches[1]).toMatch(/^<fetch count="3" page="2" paging-cookie="&lt;cookie page=&quot;1&quot;&gt;&lt;contactid last=&quot;\{[0-9A-F-]{36}\}&quot;/);
    expect(fetches[2]).toMatch(/page="3" paging-cookie=/);
    expect(seen.every((q) => q.query.$skiptoken === undefined)).toBe(true);
  });

  test("stopped by its own limit it says so: complete is false", async () => {
    const r = await run(pagesFlow(2), seeded(), []);
    // Two pages of three (ordered by id), and the seventh row left unread.
    expect(r.actions.get("Names")?.outputs).toHaveLength(6);
    expect(r.actions.get("Complete")?.outputs).toBe(false);
  });
});
