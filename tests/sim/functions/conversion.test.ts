import { call, expectFails } from "../../../flows/toolkit/sim/functions/helpers";

describe("conversion functions", () => {
  test("array — docs: array('hello')", () => {
    expect(call("array", "hello")).toEqual(["hello"]);
  });
  test("createArray — docs: createArray('h', 'e', 'l', 'l', 'o')", () => {
    expect(call("createArray", "h", "e", "l", "l", "o")).toEqual(["h", "e", "l", "l", "o"]);
    expect(call("createArray", 1, null)).toEqual([1, null]);
  });

  test("bool — docs table: 1, 0, -1, 'true', 'false'", () => {
    expect(call("bool", 1)).toBe(true);
    expect(call("bool", 0)).toBe(false);
    expect(call("bool", -1)).toBe(true);
    expect(call("bool", "true")).toBe(true);
    expect(call("bool", "false")).toBe(false);
  });
  test("bool — other strings and null fail", () => {
    expect(call("bool", "True")).toBe(true);
    expectFails("bool", "yes");
    expectFails("bool", null);
    expectFails("bool", {});
  });

  test("int — docs: int('10')", () => {
    expect(call("int", "10")).toBe(10);
    expect(call("int", " -42 ")).toBe(-42);
    expect(call("int", 7)).toBe(7);
  });
  test("int — invalid strings, fractions, null and overflow fail", () => {
    expectFails("int", "10.5");
    expectFails("int", "ten");
    expectFails("int", "");
    expectFails("int", 1.5);
    expectFails("int", null);
    expectFails("int", "99999999999999999999");
  });

  test("float — docs: float('10.333'); thousands separators; locale", () => {
    expect(call("float", "10.333")).toBe(10.333);
    expect(call("float", "10,000.333")).toBe(10000.333);
    expect(call("float", "10.000,5", "de-DE")).toBe(10000.5);
    expect(call("float", "-1.5e2")).toBe(-150);
    expectFails("float", "abc");
    expectFails("float", null);
  });

  test("decimal — docs: decimal('1.2345678912312131') as a double", () => {
    expect(call("decimal", "1.2345678912312131")).toBeCloseTo(1.234567891231213, 14);
    expectFails("decimal", "x");
  });

  test("string — docs: string(10) and an object as JSON", () => {
    expect(call("string", 10)).toBe("10");
    expect(call("string", { name: "Sophie Owen" })).toBe('{"name":"Sophie Owen"}');
  });
  test("string — null is empty (documented), booleans and floats", () => {
    expect(call("string", null)).toBe("");
    expect(call("string", true)).toBe("true");
    expect(call("string", 2.5)).toBe("2.5");
    expect(call("string", [1, "a"])).toBe('[1,"a"]');
  });

  test("json — docs: json('[1, 2, 3]') and json('{\"fullName\": \"Sophia Owen\"}')", () => {
    expect(call("json", "[1, 2, 3]")).toEqual([1, 2, 3]);
    expect(call("json", '{"fullName": "Sophia Owen"}')).toEqual({ fullName: "Sophia Owen" });
  });
  test("json — null gives an empty object (documented); invalid JSON and XML fail", () => {
    expect(call("json", null)).toEqual({});
    expect(call("json", { a: 1 })).toEqual({ a: 1 });
    expect(call("json", "true")).toBe(true);
    expectFails("json", "{not json");
    expectFails("json", "<root/>");
  });

  test("base64 — docs: base64('hello')", () => {
    expect(call("base64", "hello")).toBe("aGVsbG8=");
    expect(call("base64", "Grüße")).toBe("R3LDvMOfZQ==");
  });
  test("base64ToString — docs: base64ToString('aGVsbG8=')", () => {
    expect(call("base64ToString", "aGVsbG8=")).toBe("hello");
    expect(call("base64ToString", "R3LDvMOfZQ==")).toBe("Grüße");
    expectFails("base64ToString", "not base64!");
    expectFails("base64ToString", null);
  });
  test("decodeBase64 — deprecated alias of base64ToString", () => {
    expect(call("decodeBase64", "aGVsbG8=")).toBe("hello");
  });

  test("dataUri — docs: dataUri('hello')", () => {
    expect(call("dataUri", "hello")).toBe("data:text/plain;charset=utf-8;base64,aGVsbG8=");
  });
  test("dataUriToString — docs: the 'hello' data URI", () => {
    expect(call("dataUriToString", "data:text/plain;charset=utf-8;base64,aGVsbG8=")).toBe("hello");
    expect(call("dataUriToString", "data:,a%20b")).toBe("a b");
    expectFails("dataUriToString", "hello");
  });

  test("encodeUriComponent / uriComponent — docs: 'https://contoso.com'", () => {
    expect(call("encodeUriComponent", "https://contoso.com")).toBe("https%3A%2F%2Fcontoso.com");
    expect(call("uriComponent", "https://contoso.com")).toBe("https%3A%2F%2Fcontoso.com");
  });
  test("uriComponent — escapes like .NET EscapeDataString", () => {
    expect(call("uriComponent", "a b!'()*~")).toBe("a%20b%21%27%28%29%2A~");
    expect(call("uriComponent", "Grüße")).toBe("Gr%C3%BC%C3%9Fe");
  });
  test("decodeUriComponent / uriComponentToString — docs: 'https%3A%2F%2Fcontoso.com'", () => {
    expect(call("decodeUriComponent", "https%3A%2F%2Fcontoso.com")).toBe("https://contoso.com");
    expect(call("uriComponentToString", "https%3A%2F%2Fcontoso.com")).toBe("https://contoso.com");
    expectFails("decodeUriComponent", "%E0%A4%A");
    expectFails("decodeUriComponent", null);
  });
});
