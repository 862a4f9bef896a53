import { call, expectFails } from "../../../flows/toolkit/sim/functions/helpers";

const URI = "https://www.contoso.com/catalog/shownew.htm?date=today";

describe("URI parsing functions", () => {
  test("uriHost — docs: uriHost('https://www.localhost.com:8080')", () => {
    expect(call("uriHost", "https://www.localhost.com:8080")).toBe("www.localhost.com");
  });
  test("uriPath — docs example; no path gives '/'", () => {
    expect(call("uriPath", URI)).toBe("/catalog/shownew.htm");
    expect(call("uriPath", "https://contoso.com")).toBe("/");
  });
  test("uriPathAndQuery — docs example", () => {
    expect(call("uriPathAndQuery", URI)).toBe("/catalog/shownew.htm?date=today");
  });
  test("uriPort — docs: 8080; default port when absent", () => {
    expect(call("uriPort", "https://www.localhost:8080")).toBe(8080);
    expect(call("uriPort", "https://contoso.com")).toBe(443);
    expect(call("uriPort", "http://contoso.com")).toBe(80);
  });
  test("uriQuery — docs example", () => {
    expect(call("uriQuery", URI)).toBe("?date=today");
    expect(call("uriQuery", "https://contoso.com/a")).toBe("");
  });
  test('uriScheme — docs example (the page prints "http" for an https URI, a typo)', () => {
    expect(call("uriScheme", URI)).toBe("https");
  });
  test("relative or missing URIs fail", () => {
    expectFails("uriHost", "/relative/path");
    expectFails("uriPath", null);
  });
});

describe("JSON manipulation functions", () => {
  test("addProperty — docs example 1: middleName", () => {
    const person = call("json", '{ "firstName": "Sophia", "surName": "Owen" }');
    expect(call("addProperty", person, "middleName", "Anne")).toEqual({ firstName: "Sophia", surName: "Owen", middleName: "Anne" });
    expect(person).toEqual({ firstName: "Sophia", surName: "Owen" });
  });
  test("addProperty — docs example 2: child property via setProperty", () => {
    const o = call("json", '{ "customerName": { "firstName": "Sophia", "surName": "Owen" } }') as Record<string, unknown>;
    const result = call("setProperty", o, "customerName", call("addProperty", o["customerName"], "middleName", "Anne"));
    expect(result).toEqual({ customerName: { firstName: "Sophia", middleName: "Anne", surName: "Owen" } });
  });
  test("addProperty — an existing property fails (documented)", () => {
    expectFails("addProperty", { a: 1 }, "a", 2);
    expectFails("addProperty", null, "a", 2);
    expectFails("addProperty", [1], "a", 2);
  });

  test("setProperty — docs example 1: surName", () => {
    const o = call("json", '{ "firstName": "Sophia", "surName": "Owen" }');
    expect(call("setProperty", o, "surName", "Hartnett")).toEqual({ firstName: "Sophia", surName: "Hartnett" });
  });
  test("setProperty — docs example 2: nested setProperty", () => {
    const o = call("json", '{ "customerName": { "firstName": "Sophia", "surName": "Owen" } }') as Record<string, unknown>;
    const result = call("setProperty", o, "customerName", call("setProperty", o["customerName"], "surName", "Hartnett"));
    expect(result).toEqual({ customerName: { firstName: "Sophia", surName: "Hartnett" } });
  });
  test("setProperty — adds a missing property; keeps key order", () => {
    expect(Object.keys(call("setProperty", { a: 1, b: 2 }, "a", 3) as object)).toEqual(["a", "b"]);
    expect(call("setProperty", {}, "x", null)).toEqual({ x: null });
    expectFails("setProperty", "x", "a", 1);
  });

  test("removeProperty — docs examples 1 and 2", () => {
    const o = call("json", '{ "firstName": "Sophia", "middleName": "Anne", "surName": "Owen" }');
    expect(call("removeProperty", o, "middleName")).toEqual({ firstName: "Sophia", surName: "Owen" });
    const nested = call("json", '{ "customerName": { "firstName": "Sophia", "middleName": "Anne", "surName": "Owen" } }') as Record<string, unknown>;
    expect(call("removeProperty", nested["customerName"], "middleName")).toEqual({ firstName: "Sophia", surName: "Owen" });
  });
  test("removeProperty — a missing property returns the object unchanged (documented)", () => {
    expect(call("removeProperty", { a: 1 }, "b")).toEqual({ a: 1 });
    expectFails("removeProperty", null, "a");
  });
});
