import { stableId, uuidV5 } from "../../solution/src/ids";
import { connectorApiName, connectorSchemaName, prefixProblem, schemaNameProblem, workflowFileName } from "../../solution/src/naming";
import { defaultValueProblems, modelProblems } from "../../solution/src/validateModel";
import { product } from "../../solution/src/model/product";
import type { SolutionModel } from "../../solution/src/model/types";

describe("connector names follow the encoding seen in real exports", () => {
  test.each([
    ["cttech", "CT Contract Search", "cttech_5Fct-20contract-20search"],
    ["cre80", "Kursy walut NBP", "cre80_5Fkursy-20walut-20nbp"],
    ["cr863", "mcp-server-for-enterprise", "cr863_5Fmcp-2Dserver-2Dfor-2Denterprise"],
  ])("%s + %s → %s", (prefix, display, expected) => {
    expect(connectorSchemaName(prefix, display)).toBe(expected);
  });

  test("the runtime API name uses -5f and lower-case hex (shared_cre80-5fkursy-20walut-20nbp-5f<suffix> in exports)", () => {
    const id = "d5781852-d15c-476b-852c-48c738e17be4";
    expect(connectorApiName("cre80", "Kursy walut NBP", id)).toMatch(/^shared_cre80-5fkursy-20walut-20nbp-5f[0-9a-f]{16}$/);
    expect(connectorApiName("cr863", "mcp-server", id)).toMatch(/^shared_cr863-5fmcp-2dserver-5f[0-9a-f]{16}$/);
    // The suffix stands for the connector: the same id gives the same name, another id another one.
    expect(connectorApiName("cr863", "mcp-server", id)).toBe(connectorApiName("cr863", "mcp-server", id.toUpperCase()));
    expect(connectorApiName("cr863", "mcp-server", id)).not.toBe(connectorApiName("cr863", "mcp-server", "11111111-1111-4111-8111-111111111111"));
  });
});

describe("schema names", () => {
  test("prefix rules", () => {
    expect(prefixProblem("clvr")).toBeUndefined();
    expect(prefixProblem("c")).toMatch(/2-8/);
    expect(prefixProblem("toolongprefix")).toMatch(/2-8/);
    expect(prefixProblem("1abc")).toMatch(/starting with a letter/);
    expect(prefixProblem("mscrmx")).toMatch(/reserved/);
  });

  test("component names", () => {
    expect(schemaNameProblem("clvr_ReceiverState", "clvr", 50)).toBeUndefined();
    expect(schemaNameProblem("ReceiverState", "clvr", 50)).toMatch(/publisher prefix/);
    expect(schemaNameProblem("clvr_Receiver State", "clvr", 50)).toMatch(/letters, digits and underscores/);
    expect(schemaNameProblem("clvr_", "clvr", 50)).toMatch(/nothing after the prefix/);
    expect(schemaNameProblem(`clvr_${"x".repeat(50)}`, "clvr", 50)).toMatch(/at most 50/);
  });

  test("workflow file name: display name without spaces/punctuation, GUID upper-case", () => {
    expect(workflowFileName("Sync contacts", "8fde32d5-cf10-ed11-b83d-000d3ada9e5f")).toBe("Workflows/Synccontacts-8FDE32D5-CF10-ED11-B83D-000D3ADA9E5F.json");
  });
});

describe("stable ids", () => {
  test("uuidV5 matches the RFC 4122 reference value (DNS namespace, www.example.com)", () => {
    expect(uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  test("the same role always gives the same id, different roles different ids", () => {
    expect(stableId("form:a")).toBe(stableId("form:a"));
    expect(stableId("form:a")).not.toBe(stableId("form:b"));
    expect(stableId("x")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("model validation", () => {
  test("the product's model is valid", () => {
    expect(modelProblems(product)).toEqual([]);
  });

  test("broken models are rejected with the component named", () => {
    const broken: SolutionModel = structuredClone(product);
    broken.publisher.prefix = "datom-x";
    broken.publisher.optionValuePrefix = 123;
    broken.solution.version = "1.0";
    const contact = broken.extensions[0];
    if (!contact?.columns[0]) throw new Error("model shape changed");
    contact.columns.push({ ...contact.columns[0] });
    const problems = modelProblems(broken);
    expect(problems).toContainEqual(expect.stringMatching(/publisher prefix "datom-x"/));
    expect(problems).toContainEqual(expect.stringMatching(/option value prefix 123/));
    expect(problems).toContainEqual(expect.stringMatching(/version "1.0" must have four numeric parts/));
    expect(problems).toContainEqual(expect.stringMatching(/defined twice on contact/));
  });

  test("env var defaults are checked against their type", () => {
    expect(defaultValueProblems("v", "boolean", "no")).toEqual([]);
    expect(defaultValueProblems("v", "boolean", "false")[0]).toMatch(/"yes" or "no"/);
    expect(defaultValueProblems("v", "number", "2")).toEqual([]);
    expect(defaultValueProblems("v", "number", "two")[0]).toMatch(/not a number/);
    expect(defaultValueProblems("v", "json", "[1,")[0]).toMatch(/not valid JSON/);
    expect(defaultValueProblems("v", "string", "x".repeat(2001))[0]).toMatch(/longer than 2000/);
  });
});
