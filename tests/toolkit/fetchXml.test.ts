import { XMLParser } from "fast-xml-parser";
import { body, item, items, outputs, variables, type Ex } from "../../flows/toolkit/expr/build";
import { join } from "../../flows/toolkit/expr/functions";
import {
  attribute,
  attributes,
  condition,
  embed,
  entity,
  escapedAtRunTime,
  fetch,
  fetchXml,
  fetchXmlExpression,
  filter,
  linkEntity,
  order,
  prependToEntity,
  startTag,
  text,
  underNewRoot,
  value,
} from "../../flows/toolkit/builder/fetchXml";

describe("FetchXML builder", () => {
  test("a query with attributes, filters, an order and a link-entity", () => {
    const xml = fetchXml(
      fetch(
        { distinct: true },
        entity(
          "list",
          attribute("listid"),
          filter(condition("statecode", "eq", 0), condition("emailaddress1", "not-null")),
          order("createdon", true),
          linkEntity({ name: "listmember", from: "listid", to: "listid", type: "inner", alias: "m" }, filter({ type: "or" }, condition("entityid", "eq", "a"))),
        ),
      ),
    );
    expect(xml).toBe(
      '<fetch distinct="true"><entity name="list"><attribute name="listid"/>' +
        '<filter><condition attribute="statecode" operator="eq" value="0"/><condition attribute="emailaddress1" operator="not-null"/></filter>' +
        '<order attribute="createdon" descending="true"/>' +
        '<link-entity name="listmember" from="listid" to="listid" link-type="inner" alias="m">' +
        '<filter type="or"><condition attribute="entityid" operator="eq" value="a"/></filter></link-entity></entity></fetch>',
    );
  });

  const esc = (x: Ex) => escapedAtRunTime(x).toString();

  test("an expression as a value goes in as @{…}, escaped at run time; text() mixes literal text and expressions", () => {
    expect(fetchXml(condition("listid", "eq", items("Each_list")))).toBe(`<condition attribute="listid" operator="eq" value="@{${esc(items("Each_list"))}}"/>`);
    expect(fetchXml(condition("clvr_acceptedtypes", "like", text("%,", item().get("id"), ",%")))).toBe(
      `<condition attribute="clvr_acceptedtypes" operator="like" value="%,@{${esc(item().get("id"))}},%"/>`,
    );
  });

  test("embed(): FetchXML computed at run time, inserted as it is", () => {
    const xml = fetchXml(filter({ type: "and" }, condition("statecode", "eq", 0), filter({ type: "or" }, embed(join(body("Accepted_conditions"), "")))));
    expect(xml).toBe(
      `<filter type="and"><condition attribute="statecode" operator="eq" value="0"/><filter type="or">@{join(body('Accepted_conditions'), '')}</filter></filter>`,
    );
  });

  test("an in condition: <value> elements, written or computed at run time", () => {
    expect(fetchXml(condition("listid", "in", value("a&b"), value(item())))).toBe(
      `<condition attribute="listid" operator="in"><value>a&amp;b</value><value>@{${esc(item())}}</value></condition>`,
    );
    expect(fetchXml(condition("listid", "in", embed(body("Values"))))).toBe(`<condition attribute="listid" operator="in">@{body('Values')}</condition>`);
  });

  test("literal values are escaped, and the XML reads back to the same value", () => {
    const value = `Müller & "Söhne" <GmbH> 'x' @{not an expression}`;
    const xml = fetchXml(fetch(entity("account", filter(condition("name", "eq", value)))));
    expect(xml).toBe(
      '<fetch><entity name="account"><filter><condition attribute="name" operator="eq" ' +
        `value="Müller &amp; &quot;Söhne&quot; &lt;GmbH&gt; 'x' @@{not an expression}"/></filter></entity></fetch>`,
    );
    // The field value unescapes @@{ to @{ at run time; the XML parser then sees the original text.
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml.replace(/@@\{/g, "@{")) as {
      fetch: { entity: { filter: { condition: { value: string } } } };
    };
    expect(parsed.fetch.entity.filter.condition.value).toBe(value);
  });

  test("as an expression: a literal, or concat() of literal text and expressions", () => {
    expect(fetchXmlExpression(attribute("name")).value).toBe(`@'<attribute name="name"/>'`);
    expect(fetchXmlExpression(entity("lead", ...attributes(["leadid"]), embed(outputs("Eligibility")))).value).toBe(
      `@concat('<entity name="lead"><attribute name="leadid"/>', outputs('Eligibility'), '</entity>')`,
    );
    expect(escapedAtRunTime(variables("name")).value).toBe(
      `@replace(replace(replace(replace(replace(string(variables('name')), '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&apos;')`,
    );
  });

  test("a run-time query: children put at the start of its entity, or its entity put under a new root", () => {
    const query = variables("query");
    expect(startTag(entity("lead", attribute("leadid")))).toBe('<entity name="lead">');
    expect(prependToEntity(query, "lead", filter(condition("leadid", "eq", variables("id")))).value).toBe(
      `@replace(variables('query'), '<entity name="lead">', concat('<entity name="lead"><filter><condition attribute="leadid" operator="eq" value="', ` +
        `${esc(variables("id"))}, '"/></filter>'))`,
    );
    const rerooted = underNewRoot(
      query,
      "account",
      entity("contact", attribute("contactid"), embed(outputs("Eligibility"))),
      linkEntity({ name: "account", from: "primarycontactid", to: "contactid", type: "inner", alias: "company" }, attribute("name")),
    );
    expect(rerooted.value).toBe(
      `@replace(replace(variables('query'), '<entity name="account">', concat('<entity name="contact"><attribute name="contactid"/>', outputs('Eligibility'), ` +
        `'<link-entity name="account" from="primarycontactid" to="contactid" link-type="inner" alias="company"><attribute name="name"/>')), ` +
        `'</entity></fetch>', '</link-entity></entity></fetch>')`,
    );
  });
});
