import { findJsonSyntaxError } from "../../src/checklist";

const BROKEN = [
  "[{]",
  "{broken",
  "[1,]",
  "[1 2]",
  "",
  "  ",
  '["a',
  "tru",
  "nul",
  "[01]",
  "[1.]",
  "[1e]",
  "-",
  '"\\x"',
  '["\\u12G4"]',
  '{"a" 1}',
  "[] x",
  '"a\nb"',
  '[{"id":1,}]',
  "\uFEFF[]",
  "[1]]",
  "{'id':1}",
];

describe("where a text stops being JSON", () => {
  test.each(BROKEN)("%p is found broken where JSON.parse breaks", (text) => {
    const found = findJsonSyntaxError(text);
    expect(found).toBeDefined();
    let engine = "";
    try {
      JSON.parse(text);
    } catch (e) {
      engine = (e as Error).message;
    }
    // V8 names the offset for most errors; where it does, it must be the same place.
    const position = /at position (\d+)/.exec(engine);
    if (position && !text.includes("\n")) expect((found?.column ?? 0) - 1).toBe(Number(position[1]));
  });

  test.each([
    "[]",
    " {} ",
    '[{"id":0,"state":1,"description":"Ä \\u00e4 \\" \\\\ \\/ \\n","position":-1.5e+3,"x":[true,false,null,{}]}]',
    "0",
    '"\\uD83D\\uDE00"',
    "\n[\r\n1\t]\n",
  ])("valid JSON %p has nothing wrong", (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(findJsonSyntaxError(text)).toBeUndefined();
  });

  test("gives line, column and the unexpected character, or the end", () => {
    expect(findJsonSyntaxError('[\n  {"id": 1},\n  {"id": 2]\n]')).toEqual({ line: 3, column: 11, found: "]" });
    expect(findJsonSyntaxError('[{"id":1}')).toEqual({ line: 1, column: 10, found: undefined });
    expect(findJsonSyntaxError("[😀]")).toEqual({ line: 1, column: 2, found: "😀" });
  });

  test("nesting deeper than the stack is no crash: the place is unknown, or the end", () => {
    const found = findJsonSyntaxError("[".repeat(1_000_000));
    expect(found === undefined || found.found === undefined).toBe(true);
  });
});
