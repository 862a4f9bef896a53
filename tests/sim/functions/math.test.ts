import { call, expectFails } from "../../../flows/toolkit/sim/functions/helpers";

describe("math functions", () => {
  test("add — docs: add(1, 1.5)", () => {
    expect(call("add", 1, 1.5)).toBe(2.5);
    expect(call("add", 0.1, 0.2)).toBe(0.3);
    expectFails("add", "1", 2);
    expectFails("add", null, 2);
  });

  test("sub — docs: sub(10.3, .3)", () => {
    expect(call("sub", 10.3, 0.3)).toBe(10);
    expect(call("sub", 1, 5)).toBe(-4);
  });

  test("mul — docs: mul(1, 2) and mul(1.5, 2)", () => {
    expect(call("mul", 1, 2)).toBe(2);
    expect(call("mul", 1.5, 2)).toBe(3);
  });

  test("div — docs: div(10, 5) and div(11, 5) give the integer 2", () => {
    expect(call("div", 10, 5)).toBe(2);
    expect(call("div", 11, 5)).toBe(2);
  });
  test("div — a float operand gives a float (docs: 2.2 for 11 / 5.0; 5.0 is an integer in JS)", () => {
    expect(call("div", 11, 5.5)).toBe(2);
    expect(call("div", 11.5, 5)).toBe(2.3);
    expect(call("div", -11, 5)).toBe(-2);
    expectFails("div", 1, 0);
  });

  test("mod — docs: mod(3, 2)", () => {
    expect(call("mod", 3, 2)).toBe(1);
    expect(call("mod", -7, 3)).toBe(-1);
    expectFails("mod", 3, 0);
  });

  test("max — docs: max(1, 2, 3) and max(createArray(1, 2, 3))", () => {
    expect(call("max", 1, 2, 3)).toBe(3);
    expect(call("max", [1, 2, 3])).toBe(3);
  });
  test("min — docs: min(1, 2, 3) and min(createArray(1, 2, 3))", () => {
    expect(call("min", 1, 2, 3)).toBe(1);
    expect(call("min", [1, 2, 3])).toBe(1);
  });
  test("min / max — empty arrays and non-numbers fail", () => {
    expectFails("min", []);
    expectFails("max", 1, "2");
    expectFails("max", [1, null]);
  });

  test("range — docs: range(1, 4)", () => {
    expect(call("range", 1, 4)).toEqual([1, 2, 3, 4]);
    expect(call("range", 0, 0)).toEqual([]);
    expectFails("range", 0, -1);
    expectFails("range", 0, 100001);
    expectFails("range", 1.5, 2);
  });

  test("rand — docs: rand(1, 5) returns 1, 2, 3 or 4", () => {
    const seen = new Set<unknown>();
    for (let i = 0; i < 400; i++) seen.add(call("rand", 1, 5));
    expect([...seen].sort()).toEqual([1, 2, 3, 4]);
    expectFails("rand", 5, 1);
  });
});
