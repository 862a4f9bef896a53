import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import * as helpers from "../../flows/toolkit/expr/functions";

/**
 * The product's flows are written with the toolkit's designer-like calls: named expression
 * helpers instead of call("not", call("equals", …)), the FetchXML builder instead of XML text, and
 * lines a reviewer can read. These patterns find code that slipped back.
 */
const PRODUCT_FLOWS = resolve(__dirname, "..", "..", "flows", "product");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** `file:line: text` of every code line (comments left out) of flows/product for which `bad` holds. */
function findings(bad: (line: string) => boolean): string[] {
  return sources(PRODUCT_FLOWS).flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, i) => (!/^\s*(\/\/|\/\*|\*)/.test(line) && bad(line) ? [`${relative(PRODUCT_FLOWS, file)}:${i + 1}: ${line.trim()}`] : [])),
  );
}

const HELPER_FUNCTIONS = Object.keys(helpers).map((name) => (name === "ifElse" ? "if" : name));

describe("flows/product reads like the designer", () => {
  test("the scan sees the product's flows", () => {
    expect(sources(PRODUCT_FLOWS).length).toBeGreaterThan(20);
  });

  test("no line is longer than 160 characters", () => {
    expect(findings((line) => line.length > 160)).toEqual([]);
  });

  test("workflow functions that have a named helper are called through it", () => {
    const viaCall = new RegExp(`\\bcall\\("(${HELPER_FUNCTIONS.join("|")})"(?!, \\.\\.\\.)`);
    expect(findings((line) => viaCall.test(line))).toEqual([]);
  });

  test("FetchXML is built with the toolkit's builder, not written as text", () => {
    expect(findings((line) => /<(fetch|entity|attribute|filter|condition|link-entity|value)\b/.test(line))).toEqual([]);
  });
});
