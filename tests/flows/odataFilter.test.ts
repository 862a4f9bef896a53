import { buildFlows } from "../../flows";
import { defaultLintContext } from "../../flows/product/lintContext";
import * as odata from "../../flows/toolkit/builder/odataFilter";
import { call, triggerBody, type Ex } from "../../flows/toolkit/expr/build";
import { lintFlow } from "../../flows/toolkit/lint";
import { evaluateString } from "../../flows/toolkit/sim/evaluate";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import type { WdlAction } from "../../flows/toolkit/wdl";
import { parseFilter } from "../fakes/dataverse/odataFilter";
import { parseCheckedFilter } from "../fakes/dataverse/queryOptions";
import { tableByLogicalName } from "../fakes/dataverse/metadata";

/** The field value as the platform evaluates it, with `triggerBody()` answering `body`. */
const evaluated = (fieldValue: string, body: unknown = {}): string =>
  String(evaluateString(fieldValue, { context: { triggerBody: () => body }, functions: FUNCTIONS }));
const filterOf = (c: odata.ODataCondition, body?: unknown): string => evaluated(odata.filter(c), body);
const value = triggerBody().get("v");
/** The one literal a parsed `x eq <literal>` compares with. */
const literalOf = (text: string): unknown => {
  const e = parseFilter(text);
  if (e.kind !== "compare" || e.right.kind !== "literal") throw new Error(`not a comparison with a literal: ${text}`);
  return e.right.value;
};

describe("OData filter builder (issue 15: every value through one escaping builder)", () => {
  test("a string known when the flow is built: each ' doubled (OData ABNF SQUOTE-in-string)", () => {
    expect(odata.filter(odata.eq("emailaddress1", odata.str("o'brien@example.com")))).toBe("emailaddress1 eq 'o''brien@example.com'");
    expect(literalOf(odata.filter(odata.eq("name", odata.str("'';x' or 1 eq 1"))))).toBe("'';x' or 1 eq 1");
  });

  test.each(["o'brien@example.com", "x' or statecode eq 0 or name eq 'y", "''", "'", "a@{b}", "plain"])(
    "a string known at run time stays one literal: %j",
    (v) => {
      const text = filterOf(odata.eq("name", odata.str(value)), { v });
      expect(literalOf(text)).toBe(v);
    },
  );

  test("a GUID known at run time: a GUID in any case is used (lower-cased); anything else becomes a GUID no row has", () => {
    const id = "3F2504E0-4F89-11D3-9A0C-0305E82C3301";
    expect(filterOf(odata.eq("contactid", odata.guid(value)), { v: id })).toBe(`contactid eq ${id.toLowerCase()}`);
    for (const bad of [
      "",
      null,
      "3f2504e0-4f89-11d3-9a0c-0305e82c3301 or statecode eq 0",
      "3f2504e0-4f89-11d3-9a0c-0305e82c330g",
      "3f2504e04f89-11d3-9a0c-0305e82c3301-",
      "{3f2504e0-4f89-11d3-9a0c-0305e82c33}",
      "x' or 1 eq 1 or name eq 'y",
    ]) {
      expect(filterOf(odata.eq("contactid", odata.guid(value)), { v: bad })).toBe(`contactid eq ${odata.NOT_A_GUID}`);
    }
    expect(() => odata.guid("not-a-guid")).toThrow(/not a GUID/);
  });

  test("a whole number known at run time: anything else fails the action before the call", () => {
    expect(filterOf(odata.eq("statecode", odata.int(value)), { v: "1" })).toBe("statecode eq 1");
    expect(() => filterOf(odata.eq("statecode", odata.int(value)), { v: "1 or statecode eq 0" })).toThrow();
    expect(() => odata.int(1.5)).toThrow(/whole number/);
  });

  test("a date known at run time is written in the round-trip form; not a date fails the action", () => {
    const text = filterOf(odata.lt("createdon", odata.dateTime(value)), { v: "2026-01-02T03:04:05Z" });
    expect(text).toMatch(/^createdon lt 2026-01-02T03:04:05(\.0+)?Z$/);
    expect(parseFilter(text).kind).toBe("compare");
    expect(() => filterOf(odata.lt("createdon", odata.dateTime(value)), { v: "2026 or 1 eq 1" })).toThrow();
  });

  test("and/or nest with parentheses; property names are checked", () => {
    const c = odata.and(odata.eq("statecode", odata.int(0)), odata.or(odata.eq("a", odata.int(1)), odata.eq("a", odata.int(2))), odata.ne("b", odata.NULL));
    expect(odata.filter(c)).toBe("statecode eq 0 and (a eq 1 or a eq 2) and b ne null");
    expect(() => odata.eq("name eq 'x' or name", odata.str("y"))).toThrow(/not a property name/);
  });
});

describe("the fake Dataverse reads OData literals strictly", () => {
  const contact = tableByLogicalName("contact")!;
  test("a lone quote is a 400 in Dataverse's words (filter-rows.md, Manage single quotes)", () => {
    expect(() => parseFilter("emailaddress1 eq 'o'brien@example.com'")).toThrow(
      /unterminated literal at position \d+ in 'emailaddress1 eq 'o'brien@example.com''/,
    );
    expect(() => parseFilter("lastname eq 'O'Bryan'")).toThrow(/There is an unterminated literal at position 20/);
    expect(() => parseFilter("name eq 'abc")).toThrow(/There is an unterminated string literal at position 12 in 'name eq 'abc'/);
    expect(literalOf("lastname eq 'O''Bryan'")).toBe("O'Bryan");
  });

  test("a GUID column against a quoted string, or a text column against a GUID, is refused", () => {
    expect(() => parseCheckedFilter(contact, "contactid eq '3f2504e0-4f89-11d3-9a0c-0305e82c3301'")).toThrow(
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'.",
    );
    expect(() => parseCheckedFilter(contact, "emailaddress1 ne 3f2504e0-4f89-11d3-9a0c-0305e82c3301")).toThrow(
      /'Edm.String' and 'Edm.Guid' for operator kind 'NotEqual'/,
    );
    expect(parseCheckedFilter(contact, "contactid eq 3f2504e0-4f89-11d3-9a0c-0305e82c3301")).toBeDefined();
  });
});

describe("lint rule odata-filter: every generated flow's filters are built by the builder, and the check bites", () => {
  const ctx = defaultLintContext();
  const flows = buildFlows();
  const deleteGroup = flows.find((f) => f.displayName.en === "CleverReach - Delete group")!;
  type Actions = Record<string, WdlAction>;
  /** Every List rows action with a $filter, wherever it sits. */
  function filtered(actions: Actions, out: WdlAction[] = []): WdlAction[] {
    for (const a of Object.values(actions)) {
      if ((a.inputs as { parameters?: Record<string, unknown> } | undefined)?.parameters?.["$filter"] !== undefined) out.push(a);
      for (const inner of [a.actions, a.else?.actions, ...Object.values(a.cases ?? {}).map((c) => c.actions)]) if (inner) filtered(inner, out);
    }
    return out;
  }
  const withFilter = (f: string | Ex) => {
    const cd = JSON.parse(JSON.stringify(deleteGroup.clientData)) as typeof deleteGroup.clientData;
    const [first] = filtered(cd.properties.definition.actions as Actions);
    (first!.inputs as { parameters: Record<string, unknown> }).parameters["$filter"] = typeof f === "string" ? f : f.value;
    return lintFlow(cd, ctx, "Delete group")
      .filter((p) => p.rule === "odata-filter")
      .map((p) => p.message);
  };

  test("every flow passes, and every List rows filter in them was checked", () => {
    const problems = flows.flatMap((f) => lintFlow(f.clientData, ctx, f.displayName.en)).filter((p) => p.rule === "odata-filter");
    expect(problems).toEqual([]);
    expect(flows.flatMap((f) => filtered(f.clientData.properties.definition.actions as Actions)).length).toBeGreaterThan(20);
  });

  test("the filters as main wrote them before the builder are refused", () => {
    expect(withFilter("clvr_grouplinkid eq @{triggerBody()?['id']}")).toEqual([
      expect.stringMatching(/@\{triggerBody\(\)\?\['id'\]\} is spliced into \$filter as it is/),
    ]);
    expect(withFilter(call("concat", "createdon lt ", triggerBody().get("since")))).toEqual([expect.stringMatching(/one whole expression/)]);
    expect(withFilter(call("join", call("body", "Read_states_conditions"), " or "))).toEqual([expect.stringMatching(/one whole expression/)]);
  });

  test("a quoted value spliced without doubling its quotes, a maker's value in the wrong place, or a join of something else is refused", () => {
    expect(withFilter("emailaddress1 eq '@{triggerBody()?['email']}'")).toEqual([expect.stringMatching(/spliced into \$filter as it is/)]);
    expect(
      withFilter(
        `name eq ${odata
          .filter(odata.eq("x", odata.str(value)))
          .slice("x eq ".length)
          .replace(/^'|'$/g, "")}`,
      ),
    ).toEqual([expect.stringMatching(/a string value\) stands outside a quoted literal/)]);
    expect(withFilter(`contactid eq '@{${odata.guidAtRunTime(value).toString()}}'`)).toEqual([
      expect.stringMatching(/a guid value\) stands inside a quoted literal/),
    ]);
    expect(withFilter(`name eq 'x`)).toEqual([expect.stringMatching(/unterminated string literal/)]);
    expect(withFilter(`(@{join(body('Nowhere'), ' or ')})`)).toEqual([expect.stringMatching(/not a Select action of this flow/)]);
    // Close to a maker's output is not enough: replace() of the wrong quote.
    expect(withFilter(`name eq '@{${call("replace", call("string", value), "'", "'").toString()}}'`)).toEqual([
      expect.stringMatching(/spliced into \$filter as it is/),
    ]);
  });
});
