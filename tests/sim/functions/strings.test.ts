import { call, expectFails } from "../../../flows/toolkit/sim/functions/helpers";

// "docs:" cases are Microsoft's reference examples with their documented results.
describe("string functions", () => {
  test("concat — docs: concat('Hello', 'World')", () => {
    expect(call("concat", "Hello", "World")).toBe("HelloWorld");
  });
  test("concat — null adds nothing, numbers and objects become text", () => {
    expect(call("concat", "a", null, 1, true)).toBe("a1true");
    expect(call("concat", "x", { a: 1 })).toBe('x{"a":1}');
  });

  test("substring — docs: substring('hello world', 6, 5)", () => {
    expect(call("substring", "hello world", 6, 5)).toBe("world");
  });
  test("substring — without length takes the rest", () => {
    expect(call("substring", "hello world", 6)).toBe("world");
  });
  test("substring — running past the end is an error (documented note)", () => {
    expectFails("substring", "hello world", 6, 6);
    expectFails("substring", "hello", 6);
    expectFails("substring", "hello", -1, 1);
    expectFails("substring", null, 0, 1);
    expectFails("substring", "hello", 1.5, 1);
  });

  test("slice — docs examples", () => {
    expect(call("slice", "Hello World", 2)).toBe("llo World");
    expect(call("slice", "Hello World", 2, 5)).toBe("llo");
    expect(call("slice", "Hello World", -2)).toBe("ld");
    expect(call("slice", "Hello World", 3, -1)).toBe("lo Worl");
  });
  test("slice — out-of-range indexes clamp", () => {
    expect(call("slice", "Hello", 10)).toBe("");
    expectFails("slice", 5, 1);
  });

  test("replace — docs: replace('the old string', 'old', 'new')", () => {
    expect(call("replace", "the old string", "old", "new")).toBe("the new string");
  });
  test("replace — every occurrence, case-sensitive, empty search fails", () => {
    expect(call("replace", "a.b.c", ".", "-")).toBe("a-b-c");
    expect(call("replace", "Old old", "old", "new")).toBe("Old new");
    expectFails("replace", "abc", "", "x");
    expectFails("replace", null, "a", "b");
  });

  test("guid — docs: default 'D' and 'P' shapes", () => {
    expect(call("guid")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(call("guid", "P")).toMatch(/^\([0-9a-f-]{36}\)$/);
    expect(call("guid", "N")).toMatch(/^[0-9a-f]{32}$/);
    expect(call("guid", "B")).toMatch(/^\{[0-9a-f-]{36}\}$/);
    expect(call("guid")).not.toBe(call("guid"));
    expectFails("guid", "Q");
  });

  test("toLower / toUpper — docs: 'Hello World'", () => {
    expect(call("toLower", "Hello World")).toBe("hello world");
    expect(call("toUpper", "Hello World")).toBe("HELLO WORLD");
    expectFails("toLower", null);
    expectFails("toUpper", 1);
  });

  test("indexOf — docs: indexOf('hello world', 'world'); case-insensitive", () => {
    expect(call("indexOf", "hello world", "world")).toBe(6);
    expect(call("indexOf", "hello world", "WORLD")).toBe(6);
    expect(call("indexOf", "hello world", "universe")).toBe(-1);
    expect(call("indexOf", "abc", "")).toBe(0);
    expectFails("indexOf", null, "a");
  });

  test("lastIndexOf — docs: 18 and the empty-substring rules", () => {
    expect(call("lastIndexOf", "hello world hello world", "world")).toBe(18);
    expect(call("lastIndexOf", "hello world hello world", "")).toBe(22);
    expect(call("lastIndexOf", "", "abc")).toBe(-1);
    expect(call("lastIndexOf", "", "")).toBe(0);
    expect(call("lastIndexOf", "Hello HELLO", "hello")).toBe(6);
  });

  test("nthIndexOf — docs examples", () => {
    expect(call("nthIndexOf", "123456789123465789", "1", 1)).toBe(0);
    expect(call("nthIndexOf", "123456789123465789", "1", 2)).toBe(9);
    expect(call("nthIndexOf", "123456789123465789", "6", 4)).toBe(-1);
  });
  test("nthIndexOf — case-insensitive; occurrence below 1 fails", () => {
    expect(call("nthIndexOf", "aAaA", "a", 3)).toBe(2);
    expectFails("nthIndexOf", "abc", "a", 0);
  });

  test("startsWith / endsWith — docs examples, not case-sensitive", () => {
    expect(call("startsWith", "hello world", "hello")).toBe(true);
    expect(call("startsWith", "hello world", "greetings")).toBe(false);
    expect(call("endsWith", "hello world", "world")).toBe(true);
    expect(call("endsWith", "hello world", "universe")).toBe(false);
    expect(call("startsWith", "Hello", "hELLO")).toBe(true);
    expect(call("endsWith", "Hello", "LO")).toBe(true);
    expectFails("startsWith", null, "a");
  });

  test("split — docs: split('a_b_c', '_') and no delimiter found", () => {
    expect(call("split", "a_b_c", "_")).toEqual(["a", "b", "c"]);
    expect(call("split", "a_b_c", " ")).toEqual(["a_b_c"]);
  });
  test("split — multi-character and empty delimiters", () => {
    expect(call("split", "a, b, c", ", ")).toEqual(["a", "b", "c"]);
    expect(call("split", "abc", "")).toEqual(["abc"]);
    expect(call("split", "", ",")).toEqual([""]);
    expectFails("split", null, ",");
  });

  test("trim — docs: trim(' Hello World  ')", () => {
    expect(call("trim", " Hello World  ")).toBe("Hello World");
    expect(call("trim", "\t\nx\r\n")).toBe("x");
    expectFails("trim", null);
  });

  test("length — docs: length('abcd') and length(createArray(0, 1, 2, 3))", () => {
    expect(call("length", "abcd")).toBe(4);
    expect(call("length", [0, 1, 2, 3])).toBe(4);
    expectFails("length", null);
    expectFails("length", { a: 1 });
  });
});

describe("formatNumber", () => {
  test("docs: formatNumber(1234567890, '0,0.00', 'en-us')", () => {
    expect(call("formatNumber", 1234567890, "0,0.00", "en-us")).toBe("1,234,567,890.00");
  });
  test("docs: formatNumber(1234567890, '0,0.00', 'is-is')", () => {
    expect(call("formatNumber", 1234567890, "0,0.00", "is-is")).toBe("1.234.567.890,00");
  });
  test("docs: formatNumber(17.35, 'C2')", () => {
    expect(call("formatNumber", 17.35, "C2")).toBe("$17.35");
  });
  test("docs: formatNumber(17.35, 'C2', 'is-is')", () => {
    expect(call("formatNumber", 17.35, "C2", "is-is")).toBe("17,35 kr");
  });
  test("standard formats in en-US and de-DE", () => {
    expect(call("formatNumber", 1234.5, "N0")).toBe("1,235");
    expect(call("formatNumber", 1234.5, "N0", "de-DE")).toBe("1.235");
    expect(call("formatNumber", 1234.567, "N2", "de-DE")).toBe("1.234,57");
    expect(call("formatNumber", 1234.5, "C2", "de-DE")).toBe("1.234,50 €");
    expect(call("formatNumber", -1234.5, "C2")).toBe("-$1,234.50");
    expect(call("formatNumber", 3.14159, "F3")).toBe("3.142");
    expect(call("formatNumber", 42, "D5")).toBe("00042");
    expect(call("formatNumber", 0.1234, "P1")).toBe("12.3%");
    expect(call("formatNumber", 255, "X")).toBe("FF");
  });
  test("custom formats", () => {
    expect(call("formatNumber", 3.14159, "0.00")).toBe("3.14");
    expect(call("formatNumber", 2.5, "0.00", "de-DE")).toBe("2,50");
    expect(call("formatNumber", 1234567.891, "#,##0.0")).toBe("1,234,567.9");
    expect(call("formatNumber", 7, "000")).toBe("007");
    expect(call("formatNumber", 0.5, "#.##")).toBe(".5");
    expect(call("formatNumber", -3.5, "0.0")).toBe("-3.5");
    expect(call("formatNumber", 0.256, "0%")).toBe("26%");
    expect(call("formatNumber", 12, "'#'0")).toBe("#12");
    expect(call("formatNumber", -5, "0;(0)")).toBe("(5)");
    expect(call("formatNumber", 2.5, "0")).toBe("3");
  });
  test("errors: not a number, bad format, unknown locale", () => {
    expectFails("formatNumber", "12", "0.00");
    expectFails("formatNumber", 1.5, "D2");
    expectFails("formatNumber", 1, "Q");
    expectFails("formatNumber", 1, "0.00", "xx-yy");
  });
});
