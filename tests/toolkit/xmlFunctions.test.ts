import { callFunction } from "../../flows/toolkit/sim/functions";
import { isXmlValue, xmlText } from "../../flows/toolkit/sim/functions/values";

/**
 * xml() and xpath() with the examples of the function reference (MicrosoftDocs/azure-docs,
 * articles/logic-apps/workflow-definition-language-functions-reference.md), and the JSON → XML
 * facts the product's eligibility reading relies on (Json.NET's XmlNodeConverter).
 */
const xml = (v: unknown) => callFunction("xml", [v]);
const xpath = (x: unknown, path: string) => callFunction("xpath", [x, path]);
const textOf = (v: unknown): string => {
  if (!isXmlValue(v)) throw new Error(`not XML: ${JSON.stringify(v)}`);
  return xmlText(v);
};
const json = (text: string) => callFunction("json", [text]);

const ITEMS =
  '<?xml version="1.0"?><produce><item><name>Gala</name><type>apple</type><count>20</count></item>' +
  "<item><name>Honeycrisp</name><type>apple</type><count>10</count></item></produce>";

describe("xml()", () => {
  test("Example 1: a string of XML", () => {
    expect(textOf(xml("<name>Sophia Owen</name>"))).toBe("<name>Sophia Owen</name>");
  });

  test("Examples 2 and 3: a JSON object with one root property", () => {
    expect(textOf(xml(json('{ "name": "Sophia Owen" }')))).toBe("<name>Sophia Owen</name>");
    expect(textOf(xml(json('{"person": {"name": "Sophia Owen", "city": "Seattle"}}')))).toBe("<person><name>Sophia Owen</name><city>Seattle</city></person>");
  });

  test("the root must be one property, not an array; text that is not XML is refused", () => {
    expect(() => xml(json('{"a": 1, "b": 2}'))).toThrow(/multiple properties/);
    expect(() => xml(json('{"a": [1, 2]}'))).toThrow(/can't be an array/);
    expect(() => xml("<a><b></a>")).toThrow(/not valid XML/);
  });

  test("arrays become repeated elements: one item and a single value read alike, an empty array gives nothing", () => {
    expect(textOf(xml(json('{"r":{"t":[{"id":1,"state":1}]}}')))).toBe("<r><t><id>1</id><state>1</state></t></r>");
    expect(textOf(xml(json('{"r":{"t":{"id":1,"state":1}}}')))).toBe("<r><t><id>1</id><state>1</state></t></r>");
    expect(textOf(xml(json('{"r":{"t":[{"id":1},{"id":2}]}}')))).toBe("<r><t><id>1</id></t><t><id>2</id></t></r>");
    expect(textOf(xml(json('{"r":{"t":[]}}')))).toBe("<r />");
  });

  test("numbers, strings, booleans and null: a number and the string of its digits give the same XML", () => {
    expect(textOf(xml(json('{"r":{"a":1,"b":"1","c":1.5,"d":true,"e":null}}')))).toBe("<r><a>1</a><b>1</b><c>1.5</c><d>true</d><e /></r>");
  });

  test("names that are not XML names are encoded; @ makes an attribute; markup in values stays text", () => {
    expect(textOf(xml(json('{"r":{"a b":1,"@k":"v<"}}')))).toBe('<r k="v&lt;"><a_x0020_b>1</a_x0020_b></r>');
    expect(textOf(xml(json('{"r":{"t":"</t><x>"}}')))).toBe("<r><t>&lt;/t&gt;&lt;x&gt;</t></r>");
  });
});

describe("xpath()", () => {
  test("Example 1: the name nodes, as XML values", () => {
    const names = xpath(xml(ITEMS), "/produce/item/name") as unknown[];
    expect(names.map(textOf)).toEqual(["<name>Gala</name>", "<name>Honeycrisp</name>"]);
  });

  test("Example 3: the last name element", () => {
    expect((xpath(xml(ITEMS), "/produce/item[last()]/name") as unknown[]).map(textOf)).toEqual(["<name>Honeycrisp</name>"]);
  });

  test("Examples 4 and 5: elements with an attribute, and with an attribute value", () => {
    const withAttributes = ITEMS.replace("<name>Gala", "<name expired='true'>Gala").replace("<name>Honeycrisp", "<name expired='false'>Honeycrisp");
    expect((xpath(xml(withAttributes), "//name[@expired]") as unknown[]).length).toBe(2);
    expect((xpath(xml(withAttributes), "//name[@expired = 'true']") as unknown[]).map(textOf)).toEqual(['<name expired="true">Gala</name>']);
  });

  test("Example 7: sum() gives a number", () => {
    expect(xpath(xml(ITEMS), "sum(/produce/item/count)")).toBe(30);
  });

  test("Examples 8 and 9: a default namespace, matched by name() and local-name(); string() gives the value", () => {
    const file = xml('<?xml version="1.0"?><file xmlns="https://contoso.com"><location>Paris</location></file>');
    expect((xpath(file, '/*[name()="file"]/*[name()="location"]') as unknown[]).map(textOf)).toEqual([
      '<location xmlns="https://contoso.com">Paris</location>',
    ]);
    expect((xpath(file, '/*[local-name()="file" and namespace-uri()="https://contoso.com"]/*[local-name()="location"]') as unknown[]).map(textOf)).toEqual([
      '<location xmlns="https://contoso.com">Paris</location>',
    ]);
    expect(xpath(file, 'string(/*[name()="file"]/*[name()="location"])')).toBe("Paris");
  });

  test("text() and attributes come back as their text; count() as a number", () => {
    const checklist = xml(json('{"r":{"t":[{"id":0,"state":1},{"id":3,"state":2},{"id":7,"state":1}]}}'));
    expect(xpath(checklist, "/r/t[state=1]/id/text()")).toEqual(["0", "7"]);
    expect(xpath(checklist, "count(/r/t[state=1])")).toBe(2);
    expect(xpath(xml('<a k="v"/>'), "/a/@k")).toEqual(["v"]);
  });

  test("an expression that is not XPath, and a first argument that is not XML, are refused", () => {
    expect(() => xpath(xml("<a/>"), "/a[")).toThrow(/not valid/);
    expect(() => xpath(42, "/a")).toThrow(/must be XML/);
  });
});
