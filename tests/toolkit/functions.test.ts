import { body, item, lit, variables, type Ex } from "../../flows/toolkit/expr/build";
import { arityProblem, FUNCTION_CATALOG } from "../../flows/toolkit/expr/catalog";
import * as F from "../../flows/toolkit/expr/functions";
import {
  add,
  addDays,
  addProperty,
  addSeconds,
  and,
  bool,
  chunk,
  coalesce,
  concat,
  contains,
  createArray,
  div,
  empty,
  endsWith,
  equals,
  first,
  float,
  formatDateTime,
  greater,
  greaterOrEquals,
  ifElse,
  indexOf,
  int,
  intersection,
  join,
  json,
  last,
  length,
  less,
  lessOrEquals,
  max,
  min,
  mod,
  mul,
  not,
  or,
  removeProperty,
  replace,
  setProperty,
  skip,
  sort,
  split,
  startsWith,
  string,
  sub,
  substring,
  take,
  ticks,
  toLower,
  toUpper,
  trim,
  union,
  utcNow,
} from "../../flows/toolkit/expr/functions";

const x = variables("x");
const y = body("Y");

describe("named expression helpers print the designer's expression text", () => {
  test.each<[string, Ex, string]>([
    ["and", and(x, y), "and(variables('x'), body('Y'))"],
    ["and, more than two", and(x, y, true), "and(variables('x'), body('Y'), true)"],
    ["or", or(x, false), "or(variables('x'), false)"],
    ["not", not(x), "not(variables('x'))"],
    ["equals", equals(item().get("state"), 1), "equals(item()?['state'], 1)"],
    ["greater", greater(x, 0), "greater(variables('x'), 0)"],
    ["greaterOrEquals", greaterOrEquals(x, 0), "greaterOrEquals(variables('x'), 0)"],
    ["less", less(x, 5000), "less(variables('x'), 5000)"],
    ["lessOrEquals", lessOrEquals(x, 1.5), "lessOrEquals(variables('x'), 1.5)"],
    ["ifElse is if", ifElse(x, "a", null), "if(variables('x'), 'a', null)"],
    ["contains", contains(x, "lead"), "contains(variables('x'), 'lead')"],
    ["length", length(y), "length(body('Y'))"],
    ["empty", empty(y), "empty(body('Y'))"],
    ["first", first(y), "first(body('Y'))"],
    ["last", last(y), "last(body('Y'))"],
    ["join", join(y, ","), "join(body('Y'), ',')"],
    ["union", union(x, y), "union(variables('x'), body('Y'))"],
    ["intersection", intersection(x, y, x), "intersection(variables('x'), body('Y'), variables('x'))"],
    ["chunk", chunk(y, 1000), "chunk(body('Y'), 1000)"],
    ["sort", sort(y), "sort(body('Y'))"],
    ["sort by key", sort(y, "id"), "sort(body('Y'), 'id')"],
    ["skip", skip(y, 1), "skip(body('Y'), 1)"],
    ["take", take(y, 2), "take(body('Y'), 2)"],
    ["concat", concat("a", x, "it's"), "concat('a', variables('x'), 'it''s')"],
    ["replace", replace(x, "<", "&lt;"), "replace(variables('x'), '<', '&lt;')"],
    ["split", split(x, "@"), "split(variables('x'), '@')"],
    ["trim", trim(x), "trim(variables('x'))"],
    ["toLower", toLower(x), "toLower(variables('x'))"],
    ["toUpper", toUpper(x), "toUpper(variables('x'))"],
    ["startsWith", startsWith(x, "Sync_"), "startsWith(variables('x'), 'Sync_')"],
    ["endsWith", endsWith(x, "."), "endsWith(variables('x'), '.')"],
    ["indexOf", indexOf(x, "@"), "indexOf(variables('x'), '@')"],
    ["substring", substring(x, 1), "substring(variables('x'), 1)"],
    ["substring with a count", substring(x, 1, 2), "substring(variables('x'), 1, 2)"],
    ["json", json("[]"), "json('[]')"],
    ["string", string(item()), "string(item())"],
    ["int", int(x), "int(variables('x'))"],
    ["float", float(x), "float(variables('x'))"],
    ["bool", bool(x), "bool(variables('x'))"],
    ["createArray", createArray("contact", "lead"), "createArray('contact', 'lead')"],
    ["add", add(x, 1), "add(variables('x'), 1)"],
    ["sub", sub(x, 1), "sub(variables('x'), 1)"],
    ["mul", mul(x, 2), "mul(variables('x'), 2)"],
    ["div", div(x, 10000000), "div(variables('x'), 10000000)"],
    ["mod", mod(x, 2), "mod(variables('x'), 2)"],
    ["min", min(x), "min(variables('x'))"],
    ["max", max(x, 3), "max(variables('x'), 3)"],
    ["coalesce", coalesce(x, lit(null), ""), "coalesce(variables('x'), null, '')"],
    ["addProperty", addProperty(item(), "registered", 1), "addProperty(item(), 'registered', 1)"],
    ["setProperty", setProperty(item(), "state", 2), "setProperty(item(), 'state', 2)"],
    ["removeProperty", removeProperty(item(), "state"), "removeProperty(item(), 'state')"],
    ["utcNow", utcNow(), "utcNow()"],
    ["utcNow with a format", utcNow("yyyy"), "utcNow('yyyy')"],
    ["ticks", ticks("1970-01-01T00:00:00Z"), "ticks('1970-01-01T00:00:00Z')"],
    ["formatDateTime", formatDateTime(x, "o"), "formatDateTime(variables('x'), 'o')"],
    ["addSeconds", addSeconds("1970-01-01T00:00:00Z", x), "addSeconds('1970-01-01T00:00:00Z', variables('x'))"],
    ["addDays", addDays(x, -14), "addDays(variables('x'), -14)"],
  ])("%s", (_name, e, text) => {
    expect(e.toString()).toBe(text);
  });

  test("nested helpers read as the designer's text", () => {
    const transfer = variables("transfer");
    const e = not(equals(length(intersection(transfer, createArray("contact", "account", "lead"))), length(transfer)));
    expect(e.value).toBe("@not(equals(length(intersection(variables('transfer'), createArray('contact', 'account', 'lead'))), length(variables('transfer'))))");
  });

  test("every helper calls a catalog function of its own name, with an argument count the catalog accepts", () => {
    const problems: string[] = [];
    const helpers = Object.entries(F) as Array<[string, (...args: unknown[]) => Ex]>;
    for (const [name, helper] of helpers) {
      // The declared parameters, optional ones included; rest parameters are not counted.
      const e = helper(...Array.from({ length: helper.length }, () => 1));
      if (e.expr.kind !== "call") {
        problems.push(`${name}: not a call`);
        continue;
      }
      const expected = name === "ifElse" ? "if" : name;
      if (e.expr.name !== expected) problems.push(`${name}: calls ${e.expr.name}`);
      const sig = FUNCTION_CATALOG.get(e.expr.name);
      if (!sig) problems.push(`${name}: ${e.expr.name} is not in the catalog`);
      else if (arityProblem(sig, e.expr.args.length)) problems.push(`${name}: ${arityProblem(sig, e.expr.args.length)}`);
    }
    expect(helpers.length).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });
});
