import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ChecklistError, parseChecklist, serializeChecklist } from "../../src/checklist";
import { SEED } from "./seed";

function errorOf(run: () => unknown): ChecklistError {
  try {
    run();
  } catch (e) {
    if (e instanceof ChecklistError) return e;
    throw e;
  }
  throw new Error("expected a ChecklistError");
}

describe("stored checklist JSON", () => {
  test("the seed example round-trips byte for byte", () => {
    expect(serializeChecklist(parseChecklist(SEED))).toBe(SEED);
  });

  test("the seed here is the one the solution ships as the newsletter types default", () => {
    const product = readFileSync(resolve(__dirname, "../../../solution/src/model/environmentVariables.ts"), "utf8");
    const literal = /SEED_NEWSLETTER_TYPES =\s*'([^']*)' \+\s*'([^']*)'/.exec(product);
    expect(literal ? `${literal[1]}${literal[2]}` : undefined).toBe(SEED);
  });

  test("rows read in the original's key order and types", () => {
    expect(parseChecklist(SEED)[1]).toEqual({ id: 1, state: 0, description: "Werbung und Spiele", modifiedby: "", modifiedon: "", position: 0 });
  });

  test("pretty-printed input is written back compact in the original key order", () => {
    const pretty = '[ {"position": 2, "modifiedon": "2024-01-02T03:04:05.000Z", "modifiedby": "Ann", "description": "News", "state": 1, "id": 7} ]';
    expect(serializeChecklist(parseChecklist(pretty))).toBe(
      '[{"id":7,"state":1,"description":"News","modifiedby":"Ann","modifiedon":"2024-01-02T03:04:05.000Z","position":2}]',
    );
  });

  test("keys the format does not know are kept after the known ones", () => {
    const raw = '[{"id":3,"state":2,"description":"x","modifiedby":"","modifiedon":"","position":0,"note":{"a":1}}]';
    expect(serializeChecklist(parseChecklist(raw))).toBe(raw);
  });

  test.each([null, undefined, "", "   "])("empty value %p means no rows (all 0)", (raw) => {
    expect(parseChecklist(raw)).toEqual([]);
  });

  test.each([
    ["{ not json", /not valid JSON/],
    ['{"id":0}', /expected a JSON array/],
    ["[1]", /row 0 is not an object/],
    ['[{"state":0}]', /row 0: id must be an integer/],
    ['[{"id":1.5,"state":0}]', /id must be an integer/],
    ['[{"id":"1","state":0}]', /id must be an integer/],
    ['[{"id":1,"state":3}]', /state must be 0, 1 or 2/],
    ['[{"id":1,"state":"1"}]', /state must be 0, 1 or 2/],
    ['[{"id":1,"state":0},{"id":1,"state":1}]', /id 1 appears twice/],
    ['[{"id":1,"state":0,"description":5}]', /description must be a string/],
    ['[{"id":1,"state":0,"modifiedon":null}]', /modifiedon must be a string/],
    ['[{"id":1,"state":0,"position":"a"}]', /position must be an integer/],
  ])("malformed %s is a typed error that keeps the raw value", (raw, message) => {
    const error = errorOf(() => parseChecklist(raw));
    expect(error.kind).toBe("checklist");
    expect(error.source).toBe("clvr_newsletterchecklist");
    expect(error.raw).toBe(raw);
    expect(error.detail).toMatch(message);
  });

  test.each([
    ['[{"id":0,"state":0},{"id":1,"state":0,"position":1},{"id":1,"state":0}]', { reason: "idTwice", entry: 2, id: 1 }],
    ['[{"id":4,"state":0,"modifiedby":7}]', { reason: "notText", entry: 0, id: 4, key: "modifiedby" }],
    ['[{"id":4,"state":0},\n {"id":5 "state":0}]', { reason: "json", at: { line: 2, column: 10, found: '"' } }],
    ['[{"id":4', { reason: "json", at: { line: 1, column: 9, found: undefined } }],
  ])("what is wrong with %s is data the control can word in any language", (raw, problem) => {
    expect(errorOf(() => parseChecklist(raw)).problem).toEqual(problem);
  });

  test("missing optional fields read as empty and are written in full", () => {
    expect(serializeChecklist(parseChecklist('[{"id":4,"state":1}]'))).toBe(
      '[{"id":4,"state":1,"description":"","modifiedby":"","modifiedon":"","position":0}]',
    );
  });
});
