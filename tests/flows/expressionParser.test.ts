import { parseExpression, parseTemplate } from "../../flows/toolkit/expr/parser";
import { printExpression } from "../../flows/toolkit/expr/print";
import { ExpressionSyntaxError } from "../../flows/toolkit/expr/ast";
import { body, call, items, lit, outputs, parameters, tpl, triggerOutputs, variables } from "../../flows/toolkit/expr/build";

describe("expression parser", () => {
  test("function calls, literals, null-safe and strict access", () => {
    expect(parseExpression("outputs('List_rows')?['body/value']")).toEqual({
      kind: "index",
      safe: true,
      key: { kind: "string", value: "body/value" },
      target: { kind: "call", name: "outputs", args: [{ kind: "string", value: "List_rows" }] },
    });
    expect(parseExpression("concat('a', 1, -2.5, true, null)")).toEqual({
      kind: "call",
      name: "concat",
      args: [{ kind: "string", value: "a" }, { kind: "number", value: 1 }, { kind: "number", value: -2.5 }, { kind: "bool", value: true }, { kind: "null" }],
    });
    expect(parseExpression("body('X').value[0]")).toMatchObject({ kind: "index", safe: false, key: { kind: "number", value: 0 } });
    expect(parseExpression("triggerBody()?.rows")).toMatchObject({ kind: "index", safe: true, key: { kind: "string", value: "rows" } });
  });

  test("'' inside a string literal is one quote", () => {
    expect(parseExpression("'it''s'")).toEqual({ kind: "string", value: "it's" });
    expect(printExpression(parseExpression("replace('a''b', '''', '')"))).toBe("replace('a''b', '''', '')");
  });

  test.each([
    ["concat('a'", /expected "\)"/],
    ["concat('a)", /unterminated string literal/],
    ["body('x')?[", /ended where a value was expected/],
    ["foo", /not a function call/],
    ["concat('a') extra", /unexpected "e"/],
    ["", /ended where a value was expected/],
  ])("%s is a syntax error", (src, message) => {
    expect(() => parseExpression(src)).toThrow(ExpressionSyntaxError);
    expect(() => parseExpression(src)).toThrow(message);
  });

  test("templates: whole expression, @@ escape, interpolation", () => {
    expect(parseTemplate("@variables('x')")).toMatchObject({ kind: "expression", expr: { kind: "call", name: "variables" } });
    expect(parseTemplate("@@mention")).toEqual({ kind: "literal", text: "@mention" });
    expect(parseTemplate("mail@example.com")).toEqual({ kind: "literal", text: "mail@example.com" });
    expect(parseTemplate("Group @{variables('n')} of @{length(body('L'))}")).toMatchObject({
      kind: "interpolation",
      parts: ["Group ", { kind: "call", name: "variables" }, " of ", { kind: "call", name: "length" }],
    });
    expect(parseTemplate("x @{concat('}', 'a')} y")).toMatchObject({ kind: "interpolation", parts: ["x ", { kind: "call", name: "concat" }, " y"] });
    expect(() => parseTemplate("x @{concat('a')")).toThrow(/unterminated @\{/);
  });
});

describe("typed expression helpers", () => {
  test("render to the text the designer would write", () => {
    expect(outputs("List_rows").get("body/value").value).toBe("@outputs('List_rows')?['body/value']");
    expect(call("concat", parameters("Prefix (clvr_GroupPrefix)"), triggerOutputs().get("body/name")).value).toBe(
      "@concat(parameters('Prefix (clvr_GroupPrefix)'), triggerOutputs()?['body/name'])",
    );
    expect(items("Each_batch").strict("email").value).toBe("@items('Each_batch')['email']");
    expect(lit("it's").value).toBe("@'it''s'");
  });

  test("tpl interpolates and escapes literal @", () => {
    expect(tpl`Sync of ${body("Get_list").get("listname")} by me@x, not @{x}`).toBe("Sync of @{body('Get_list')?['listname']} by me@x, not @@{x}");
    expect(parseTemplate(tpl`a ${variables("n")} b @{c}`)).toEqual({
      kind: "interpolation",
      parts: ["a ", { kind: "call", name: "variables", args: [{ kind: "string", value: "n" }] }, " b @{c}"],
    });
    expect(parseTemplate(tpl`n=${variables("n")}`)).toMatchObject({ kind: "interpolation" });
  });

  test("helpers round-trip through the parser", () => {
    const e = call("if", call("equals", variables("a"), 1), lit("x"), lit(null));
    expect(printExpression(parseExpression(e.toString()))).toBe(e.toString());
  });
});
