import { ChecklistError, parseNewsletterTypes } from "../../src/checklist";
import { SEED } from "./seed";

describe("newsletter types configuration", () => {
  test("the shipped default (a full checklist) reads as two types", () => {
    expect(parseNewsletterTypes(SEED)).toEqual([
      { id: 0, description: "Information", position: 1 },
      { id: 1, description: "Werbung und Spiele", position: 0 },
    ]);
  });

  test("an empty array is valid: nothing configured", () => {
    expect(parseNewsletterTypes("[]")).toEqual([]);
  });

  test.each([
    ["", /has no value/],
    ["[{", /is not valid JSON/],
    ['{"types":[]}', /must be a JSON array/],
    ["[null]", /entry 0 is not an object/],
    ['[{"description":"a","position":0}]', /id must be an integer/],
    ['[{"id":1,"description":"a","position":0},{"id":1,"description":"b","position":1}]', /id 1 appears twice/],
    ['[{"id":1,"description":"","position":0}]', /description must be a non-empty text/],
    ['[{"id":1,"description":"a"}]', /position must be a whole number/],
    ['[{"id":1,"description":"a","position":-1}]', /position must be a whole number/],
  ])("invalid %p names the environment variable", (raw, detail) => {
    let error: unknown;
    try {
      parseNewsletterTypes(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChecklistError);
    const e = error as ChecklistError;
    expect(e.kind).toBe("configuration");
    expect(e.message).toMatch(/^clvr_NewsletterTypes: /);
    expect(e.detail).toMatch(detail);
    expect(e.raw).toBe(raw);
  });

  test.each([
    ["  ", { reason: "empty" }],
    ['[{"id":1,"description":7,"position":0}]', { reason: "notText", entry: 0, id: 1, key: "description" }],
    ['[{"id":1,"description":"a","position":0.5}]', { reason: "positionNotInteger", entry: 0, id: 1 }],
    ['[{"id":1,"description":"a","position":-1}]', { reason: "positionNegative", entry: 0, id: 1 }],
    ["[{]", { reason: "json", at: { line: 1, column: 3, found: "]" } }],
  ])("what is wrong with %p is data the control can word in any language", (raw, problem) => {
    expect(() => parseNewsletterTypes(raw)).toThrow(expect.objectContaining({ problem }) as unknown as Error);
  });

  test("an override from the form is named as such", () => {
    expect(() => parseNewsletterTypes("x", "newsletterTypes input")).toThrow(/^newsletterTypes input: is not valid JSON/);
  });
});
