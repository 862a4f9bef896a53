import { arityProblem, findFunctionIgnoringCase, FUNCTION_CATALOG } from "../../../flows/toolkit/expr/catalog";
import { FUNCTIONS, NOT_IMPLEMENTED } from "../../../flows/toolkit/sim/functions";
import { expectFails } from "../../../flows/toolkit/sim/functions/helpers";

describe("function catalog", () => {
  test("every implemented function is a catalog entry with the same name and needs no run context", () => {
    for (const name of Object.keys(FUNCTIONS)) {
      const sig = FUNCTION_CATALOG.get(name);
      expect(sig?.name).toBe(name);
      expect(sig?.contextual).toBe(false);
    }
  });

  test("every non-contextual catalog entry is implemented or listed as not implemented with a reason", () => {
    for (const sig of FUNCTION_CATALOG.values()) {
      if (sig.contextual) continue;
      const implemented = Object.prototype.hasOwnProperty.call(FUNCTIONS, sig.name);
      const reason = NOT_IMPLEMENTED.get(sig.name);
      expect({ name: sig.name, covered: implemented !== (reason !== undefined) }).toEqual({ name: sig.name, covered: true });
      if (reason !== undefined) expect(reason.length).toBeGreaterThan(10);
    }
    for (const name of NOT_IMPLEMENTED.keys()) expect(FUNCTION_CATALOG.has(name)).toBe(true);
  });

  test("covers every category of the reference with plausible arities", () => {
    const categories = new Set([...FUNCTION_CATALOG.values()].map((s) => s.category));
    expect([...categories].sort()).toEqual(
      ["collection", "conversion", "dateTime", "logical", "manipulation", "math", "string", "uriParsing", "workflow"].sort(),
    );
    expect(FUNCTION_CATALOG.size).toBeGreaterThanOrEqual(125);
    for (const s of FUNCTION_CATALOG.values()) {
      expect(s.minArgs).toBeGreaterThanOrEqual(0);
      expect(s.maxArgs).toBeGreaterThanOrEqual(s.minArgs);
    }
  });

  test("run-context functions are marked contextual", () => {
    for (const name of ["body", "outputs", "items", "item", "variables", "parameters", "triggerBody", "result", "workflow", "iterationIndexes"]) {
      expect(FUNCTION_CATALOG.get(name)?.contextual).toBe(true);
    }
    expect(FUNCTION_CATALOG.get("concat")?.contextual).toBe(false);
  });

  test("lookup is by documented casing; a case-insensitive helper finds the right spelling", () => {
    expect(FUNCTION_CATALOG.get("tolower")).toBeUndefined();
    expect(findFunctionIgnoringCase("TOLOWER")?.name).toBe("toLower");
  });

  test("variadic functions have maxArgs Infinity", () => {
    expect(FUNCTION_CATALOG.get("concat")?.maxArgs).toBe(Infinity);
    expect(FUNCTION_CATALOG.get("createArray")?.maxArgs).toBe(Infinity);
    expect(FUNCTION_CATALOG.get("substring")).toMatchObject({ minArgs: 2, maxArgs: 3 });
  });

  test("arity problems are reported, unknown names rejected", () => {
    const sub = FUNCTION_CATALOG.get("substring")!;
    expect(arityProblem(sub, 2)).toBeNull();
    expect(arityProblem(sub, 4)).toMatch(/2 to 3/);
    expectFails("substring", "abc");
    expectFails("noSuchFunction");
    expectFails("binary", "abc");
  });
});
