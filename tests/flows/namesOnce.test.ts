import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { PREFIX } from "../../solution/src/model/product";

/**
 * Every name and number the product's flows share with the solution model, the checklist format or
 * Dataverse is written once and imported (COLUMNS, TABLES, ENV, CHECKLIST_STATE, LIST_MEMBER_CODE),
 * so that a fork's PREFIX reaches every flow and a renamed column fails to compile. These patterns
 * find the spellings that would bypass that.
 */
const PRODUCT_FLOWS = resolve(__dirname, "..", "..", "flows", "product");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** `file:line: text` of every line of flows/product that matches `pattern`. */
function findings(pattern: RegExp): string[] {
  return sources(PRODUCT_FLOWS).flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, i) => (pattern.test(line) ? [`${relative(PRODUCT_FLOWS, file)}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe("flows/product spells no shared name or number itself", () => {
  test("the scan sees the product's flows", () => {
    expect(sources(PRODUCT_FLOWS).length).toBeGreaterThan(10);
  });

  test("no schema or logical name with the publisher prefix: they come from the model's handles", () => {
    expect(findings(new RegExp(`\\b_?${PREFIX}_`, "i"))).toEqual([]);
  });

  test("no checklist state as a bare number: CHECKLIST_STATE names them", () => {
    expect(findings(/get\("state"\), *\d|"state", *\d|state: *\d/)).toEqual([]);
  });

  test("no marketing list member code as a bare number: LIST_MEMBER_CODE names them", () => {
    expect(findings(/createdfromcode"\), *\d|createdfromcode eq \d/)).toEqual([]);
  });

  test("no Unix epoch spelt out: patterns/unixTime has the conversions", () => {
    expect(findings(/1970-01-01/).filter((f) => !f.startsWith("patterns/unixTime.ts"))).toEqual([]);
  });
});
