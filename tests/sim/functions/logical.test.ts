import { call, expectFails } from "../../../flows/toolkit/sim/functions/helpers";

describe("logical comparison functions", () => {
  test("and — docs examples", () => {
    expect(call("and", true, true)).toBe(true);
    expect(call("and", false, true)).toBe(false);
    expect(call("and", false, false)).toBe(false);
    expect(call("and", call("equals", 1, 1), call("equals", 2, 2))).toBe(true);
    expect(call("and", call("equals", 1, 1), call("equals", 1, 2))).toBe(false);
  });
  test("and / or — more than two arguments; non-booleans fail", () => {
    expect(call("and", true, true, false)).toBe(false);
    expect(call("or", false, false, true)).toBe(true);
    expectFails("and", true, "true");
    expectFails("or", null, true);
    expectFails("and", true);
  });

  test("or — docs examples", () => {
    expect(call("or", true, false)).toBe(true);
    expect(call("or", false, false)).toBe(false);
    expect(call("or", call("equals", 1, 1), call("equals", 1, 2))).toBe(true);
    expect(call("or", call("equals", 1, 2), call("equals", 1, 3))).toBe(false);
  });

  test("not — docs examples", () => {
    expect(call("not", false)).toBe(true);
    expect(call("not", true)).toBe(false);
    expect(call("not", call("equals", 1, 2))).toBe(true);
    expect(call("not", call("equals", 1, 1))).toBe(false);
    expectFails("not", null);
  });

  test("equals — docs: equals(true, 1) and equals('abc', 'abcd')", () => {
    expect(call("equals", true, 1)).toBe(true);
    expect(call("equals", "abc", "abcd")).toBe(false);
  });
  test("equals — case-sensitive, deep, null as empty string", () => {
    expect(call("equals", "a", "A")).toBe(false);
    expect(call("equals", "true", true)).toBe(false);
    expect(call("equals", [1, 2, 3], [1, 2, 3])).toBe(true);
    expect(call("equals", [1, 2, 3], [4, 5])).toBe(false);
    expect(call("equals", { a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(call("equals", { a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(call("equals", null, null)).toBe(true);
    expect(call("equals", null, "")).toBe(true);
    expect(call("equals", 12.2, 12.2)).toBe(true);
  });

  test("greater — docs: greater(10, 5) and greater('apple', 'banana')", () => {
    expect(call("greater", 10, 5)).toBe(true);
    expect(call("greater", "apple", "banana")).toBe(false);
  });
  test("greaterOrEquals — docs: (5, 5) and ('apple', 'banana')", () => {
    expect(call("greaterOrEquals", 5, 5)).toBe(true);
    expect(call("greaterOrEquals", "apple", "banana")).toBe(false);
  });
  test("less — docs: less(5, 10) and less('banana', 'apple')", () => {
    expect(call("less", 5, 10)).toBe(true);
    expect(call("less", "banana", "apple")).toBe(false);
  });
  test("lessOrEquals — docs: (10, 10) and ('apply', 'apple')", () => {
    expect(call("lessOrEquals", 10, 10)).toBe(true);
    expect(call("lessOrEquals", "apply", "apple")).toBe(false);
  });
  test("comparisons — mixed types fail, null compares as ''", () => {
    expectFails("greater", 1, "1");
    expectFails("less", true, false);
    expectFails("less", null, 1);
    expect(call("less", null, "a")).toBe(true);
    expect(call("greater", 2.5, 2)).toBe(true);
  });

  test("if — docs: if(equals(1, 1), 'yes', 'no')", () => {
    expect(call("if", call("equals", 1, 1), "yes", "no")).toBe("yes");
    expect(call("if", false, "yes", "no")).toBe("no");
    expectFails("if", "true", 1, 2);
  });

  test("isInt — docs: isInt('10')", () => {
    expect(call("isInt", "10")).toBe(true);
    expect(call("isInt", "-7")).toBe(true);
    expect(call("isInt", "10.5")).toBe(false);
    expect(call("isInt", "1,000")).toBe(false);
    expect(call("isInt", "abc")).toBe(false);
    expectFails("isInt", 10);
  });
  test("isFloat — docs: isFloat('10,000.00'); locale-aware", () => {
    expect(call("isFloat", "10,000.00")).toBe(true);
    expect(call("isFloat", "10.000,00", "de-DE")).toBe(true);
    expect(call("isFloat", "10,5", "de-DE")).toBe(true);
    expect(call("isFloat", "1e3")).toBe(true);
    expect(call("isFloat", "abc")).toBe(false);
    expect(call("isFloat", "")).toBe(false);
    expectFails("isFloat", null);
  });

  test("coalesce — docs examples", () => {
    expect(call("coalesce", null, true, false)).toBe(true);
    expect(call("coalesce", null, "hello", "world")).toBe("hello");
    expect(call("coalesce", null, null, null)).toBeNull();
    expect(call("coalesce", "", "x")).toBe("");
    expect(call("coalesce", [], "x")).toEqual([]);
  });
});
