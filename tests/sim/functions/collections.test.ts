import { FUNCTIONS } from "../../../flows/toolkit/sim/functions";
import { call, expectFails } from "../../../flows/toolkit/sim/functions/helpers";

describe("collection functions", () => {
  test("contains — docs: 'hello world' has 'world', not 'universe'", () => {
    expect(call("contains", "hello world", "world")).toBe(true);
    expect(call("contains", "hello world", "universe")).toBe(false);
  });
  test("contains — case-sensitive strings, array values, object keys", () => {
    expect(call("contains", "hello world", "World")).toBe(false);
    expect(call("contains", [1, "a", { x: 1 }], { x: 1 })).toBe(true);
    expect(call("contains", [1, 2], 3)).toBe(false);
    expect(call("contains", { name: "x" }, "name")).toBe(true);
    expect(call("contains", { name: "x" }, "x")).toBe(false);
    expectFails("contains", null, "a");
    expectFails("contains", 5, 5);
  });

  test("empty — docs: empty('') and empty('abc')", () => {
    expect(call("empty", "")).toBe(true);
    expect(call("empty", "abc")).toBe(false);
  });
  test("empty — arrays, objects, null", () => {
    expect(call("empty", [])).toBe(true);
    expect(call("empty", [0])).toBe(false);
    expect(call("empty", {})).toBe(true);
    expect(call("empty", { a: null })).toBe(false);
    expect(call("empty", null)).toBe(true);
    expectFails("empty", 0);
  });

  test("first — docs: first('hello') and first(createArray(0, 1, 2))", () => {
    expect(call("first", "hello")).toBe("h");
    expect(call("first", [0, 1, 2])).toBe(0);
    expect(call("first", [])).toBeNull();
    expectFails("first", null);
  });
  test("last — docs: last('abcd') and last(createArray(0, 1, 2, 3))", () => {
    expect(call("last", "abcd")).toBe("d");
    expect(call("last", [0, 1, 2, 3])).toBe(3);
    expect(call("last", [])).toBeNull();
    expect(call("last", "")).toBe("");
  });

  test("join — docs: join(createArray('a', 'b', 'c'), '.')", () => {
    expect(call("join", ["a", "b", "c"], ".")).toBe("a.b.c");
    expect(call("join", [1, null, true], ",")).toBe("1,,true");
    expectFails("join", "abc", ",");
  });

  test("skip — docs: skip(createArray(0, 1, 2, 3), 1)", () => {
    expect(call("skip", [0, 1, 2, 3], 1)).toEqual([1, 2, 3]);
    expect(call("skip", [0, 1], 5)).toEqual([]);
    expectFails("skip", [0, 1], -1);
  });
  test("take — docs: take('abcde', 3) and take(createArray(0, 1, 2, 3, 4), 3)", () => {
    expect(call("take", "abcde", 3)).toBe("abc");
    expect(call("take", [0, 1, 2, 3, 4], 3)).toEqual([0, 1, 2]);
    expect(call("take", [0], 3)).toEqual([0]);
    expectFails("take", null, 1);
  });

  test("union — docs: union(createArray(1, 2, 3), createArray(1, 2, 10, 101))", () => {
    expect(call("union", [1, 2, 3], [1, 2, 10, 101])).toEqual([1, 2, 3, 10, 101]);
  });
  test("union — objects merge with the last value winning; mixing fails", () => {
    expect(call("union", { a: 1, b: 2 }, { b: 3, c: 4 })).toEqual({ a: 1, b: 3, c: 4 });
    expectFails("union", [1], { a: 1 });
    expectFails("union", [1], null);
  });

  test("intersection — docs: three arrays give [1, 2]", () => {
    expect(call("intersection", [1, 2, 3], [101, 2, 1, 10], [6, 8, 1, 2])).toEqual([1, 2]);
  });
  test("intersection — objects meet on names, last value wins", () => {
    expect(call("intersection", { a: 1, b: 2 }, { a: 5, c: 3 })).toEqual({ a: 5 });
    expectFails("intersection", [1], "1");
  });

  test("chunk — docs: chunk('abcdefghijklmnopqrstuvwxyz', 10)", () => {
    expect(call("chunk", "abcdefghijklmnopqrstuvwxyz", 10)).toEqual(["abcdefghij", "klmnopqrst", "uvwxyz"]);
  });
  test("chunk — arrays; length below 1 fails", () => {
    expect(call("chunk", [1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expectFails("chunk", [1], 0);
  });

  test("reverse — docs: reverse(createArray(0, 1, 2, 3))", () => {
    const input = [0, 1, 2, 3];
    expect(call("reverse", input)).toEqual([3, 2, 1, 0]);
    expect(input).toEqual([0, 1, 2, 3]);
    expectFails("reverse", "abc");
  });

  test("sort — docs: sort(createArray(2, 1, 0, 3))", () => {
    expect(call("sort", [2, 1, 0, 3])).toEqual([0, 1, 2, 3]);
  });
  test("sort — by key, strings ordinal, mixed types fail", () => {
    const rows = [
      { n: "b", k: 2 },
      { n: "a", k: 1 },
      { n: "c", k: 1 },
    ];
    expect(call("sort", rows, "k")).toEqual([
      { n: "a", k: 1 },
      { n: "c", k: 1 },
      { n: "b", k: 2 },
    ]);
    expect(call("sort", ["b", "B", "a"])).toEqual(["B", "a", "b"]);
    expectFails("sort", [1, "a"]);
    expectFails("sort", [1, 2], "k");
    expectFails("sort", [{ k: {} }], "k");
  });
});

describe("union/intersection keep deepEqual semantics at scale", () => {
  test("objects in any key order, booleans as 0/1, arrays are not objects; 100,000 items", () => {
    expect(FUNCTIONS.union!([[{ a: 1, b: 2 }], [{ b: 2, a: 1 }, [["a", 1]], true, 1]])).toEqual([{ a: 1, b: 2 }, [["a", 1]], true]);
    const big = Array.from({ length: 100000 }, (_, i) => ({ email: `p${i}@x.de`, n: i }));
    expect((FUNCTIONS.union!([big, big]) as unknown[]).length).toBe(100000);
  });
});
