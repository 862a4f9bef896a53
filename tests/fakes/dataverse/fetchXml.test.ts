import { FakeDataverse } from "./fakeDataverse";
import { CONNECTOR_READ_HEADERS, body, del, errorMessage, get, values } from "./testRequests";

/** The Prefer header page-results.md sends for the paging annotations. */
const PAGING_HEADERS = { Prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.fetchxmlpagingcookie,Microsoft.Dynamics.CRM.morerecords"' };

const BERLIN_CO = "11111111-0000-0000-0000-000000000001";
const MUNICH_CO = "11111111-0000-0000-0000-000000000002";
const LIST = "aaaaaaaa-0000-0000-0000-000000000001";

function seeded(): FakeDataverse {
  const dv = new FakeDataverse();
  dv.seed("account", [
    { accountid: BERLIN_CO, name: "Contoso Berlin", address1_city: "Berlin" },
    { accountid: MUNICH_CO, name: "Fabrikam", address1_city: "München" },
  ]);
  dv.seed("contact", [
    {
      firstname: "Ada",
      lastname: "A",
      emailaddress1: "ada@contoso.com",
      "parentcustomerid_account@odata.bind": `/accounts(${BERLIN_CO})`,
      createdon: "2026-03-01T10:00:00Z",
    },
    {
      firstname: "Bob",
      lastname: "B",
      emailaddress1: "bob@fabrikam.com",
      "parentcustomerid_account@odata.bind": `/accounts(${MUNICH_CO})`,
      createdon: "2026-02-01T10:00:00Z",
    },
    {
      firstname: "Cleo",
      lastname: "C",
      emailaddress1: null,
      "parentcustomerid_account@odata.bind": `/accounts(${BERLIN_CO})`,
      createdon: "2026-03-05T10:00:00Z",
    },
    { firstname: "Dan", lastname: "D", emailaddress1: "dan@contoso.com", statecode: 1, createdon: "2026-03-02T10:00:00Z" },
    { firstname: "Eve", lastname: "E", emailaddress1: "eve@example.com", createdon: "2026-01-01T10:00:00Z" },
  ]);
  return dv;
}

const fetchContacts = async (dv: FakeDataverse, xml: string, headers: Record<string, string> = {}): Promise<Array<Record<string, unknown>>> => {
  const res = await get(dv, "contacts", { fetchXml: xml }, headers);
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  return values(res);
};

const firstNames = (rows: Array<Record<string, unknown>>): unknown[] => rows.map((r) => r.firstname);

describe("fake Dataverse: FetchXML", () => {
  it("runs a dynamic marketing list query with an inner link-entity and its own filter", async () => {
    const dv = seeded();
    const query = `
      <fetch version="1.0" output-format="xml-platform" mapping="logical" distinct="true">
        <entity name="contact">
          <attribute name="fullname" />
          <attribute name="firstname" />
          <attribute name="emailaddress1" />
          <attribute name="parentcustomerid" />
          <order attribute="firstname" descending="false" />
          <filter type="and">
            <condition attribute="statecode" operator="eq" value="0" />
            <condition attribute="emailaddress1" operator="not-null" />
          </filter>
          <link-entity name="account" from="accountid" to="parentcustomerid" link-type="inner" alias="acc">
            <attribute name="name" />
            <filter type="and">
              <condition attribute="address1_city" operator="eq" value="Berlin" />
            </filter>
          </link-entity>
        </entity>
      </fetch>`;
    const [listId = ""] = dv.seed("list", [{ listid: LIST, listname: "Berlin", type: true, createdfromcode: 2, query }]);
    const stored = String(dv.row("list", listId)?.query);
    const rows = await fetchContacts(dv, stored, CONNECTOR_READ_HEADERS);
    expect(rows).toEqual([
      expect.objectContaining({
        firstname: "Ada",
        fullname: "Ada A",
        _parentcustomerid_value: BERLIN_CO,
        "_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "account",
        "acc.name": "Contoso Berlin",
        contactid: expect.any(String),
        "@odata.etag": expect.any(String),
      }),
    ]);
  });

  it("outer joins keep unmatched rows; conditions may read an outer-joined alias", async () => {
    const dv = seeded();
    const rows = await fetchContacts(
      dv,
      `
      <fetch><entity name="contact"><attribute name="firstname" /><order attribute="firstname" />
        <link-entity name="account" from="accountid" to="parentcustomerid" link-type="outer" alias="a"><attribute name="name" /></link-entity>
        <filter type="or">
          <condition entityname="a" attribute="name" operator="null" />
          <condition entityname="a" attribute="name" operator="like" value="%fab%" />
        </filter>
      </entity></fetch>`,
    );
    expect(rows.map((r) => [r.firstname, r["a.name"]])).toEqual([
      ["Bob", "Fabrikam"],
      ["Dan", null],
      ["Eve", null],
    ]);
  });

  it("link-type not any finds rows without a match (contacts in no static list)", async () => {
    const dv = seeded();
    dv.seed("list", [{ listid: LIST, listname: "Static", type: false, createdfromcode: 2 }]);
    const [ada] = values(await get(dv, "contacts", { $filter: "firstname eq 'Ada'", $select: "contactid" }));
    dv.relate("listcontact_association", LIST, String(ada?.contactid));
    const members = await fetchContacts(
      dv,
      `
      <fetch><entity name="contact"><attribute name="firstname" />
        <link-entity name="listmember" from="entityid" to="contactid" link-type="inner">
          <filter><condition attribute="listid" operator="eq" value="${LIST}" /></filter>
        </link-entity>
      </entity></fetch>`,
    );
    expect(firstNames(members)).toEqual(["Ada"]);
    const others = await fetchContacts(
      dv,
      `
      <fetch><entity name="contact"><attribute name="firstname" /><order attribute="firstname" />
        <link-entity name="listmember" from="entityid" to="contactid" link-type="not any" />
      </entity></fetch>`,
    );
    expect(firstNames(others)).toEqual(["Bob", "Cleo", "Dan", "Eve"]);
  });

  it.each([
    [`<condition attribute="firstname" operator="ne" value="Ada" />`, ["Bob", "Cleo", "Dan", "Eve"]],
    [`<condition attribute="emailaddress1" operator="like" value="%@contoso.com" />`, ["Ada", "Dan"]],
    [`<condition attribute="emailaddress1" operator="not-like" value="%@contoso.com" />`, ["Bob", "Eve"]],
    [`<condition attribute="emailaddress1" operator="null" />`, ["Cleo"]],
    [`<condition attribute="firstname" operator="in"><value>Bob</value><value>eve</value></condition>`, ["Bob", "Eve"]],
    [`<condition attribute="firstname" operator="not-in"><value>Bob</value></condition>`, ["Ada", "Cleo", "Dan", "Eve"]],
    [`<condition attribute="statecode" operator="gt" value="0" />`, ["Dan"]],
    [`<condition attribute="statecode" operator="lt" value="1" />`, ["Ada", "Bob", "Cleo", "Eve"]],
    [`<condition attribute="createdon" operator="on-or-after" value="2026-03-02" />`, ["Cleo", "Dan"]],
    [`<condition attribute="createdon" operator="on-or-before" value="2026-02-01" />`, ["Bob", "Eve"]],
    [`<condition attribute="lastname" operator="begins-with" value="c" />`, ["Cleo"]],
    [`<condition attribute="emailaddress1" operator="ends-with" value=".com" />`, ["Ada", "Bob", "Dan", "Eve"]],
    [
      `<filter type="or"><condition attribute="firstname" operator="eq" value="Ada" /><filter type="and"><condition attribute="statecode" operator="eq" value="1" /><condition attribute="lastname" operator="eq" value="D" /></filter></filter>`,
      ["Ada", "Dan"],
    ],
  ])("condition %s", async (condition, expected) => {
    const rows = await fetchContacts(
      seeded(),
      `<fetch><entity name="contact"><attribute name="firstname" /><order attribute="firstname" /><filter>${condition}</filter></entity></fetch>`,
    );
    expect(firstNames(rows)).toEqual(expected);
  });

  it("honours top, and count/page as simple paging; top with paging is refused", async () => {
    const dv = seeded();
    expect(await fetchContacts(dv, `<fetch top="2"><entity name="contact"><attribute name="firstname" /></entity></fetch>`)).toHaveLength(2);
    const page2Xml = `<fetch count="2" page="2"><entity name="contact"><attribute name="firstname" /><order attribute="firstname" /></entity></fetch>`;
    const page2 = await get(dv, "contacts", { fetchXml: page2Xml }, PAGING_HEADERS);
    expect(firstNames(values(page2))).toEqual(["Cleo", "Dan"]);
    expect(body(page2)["@Microsoft.Dynamics.CRM.morerecords"]).toBe(true);
    expect(body(page2)["@Microsoft.Dynamics.CRM.fetchxmlpagingcookie"]).toMatch(
      /^<cookie pagenumber="3" pagingcookie="%253ccookie%2520page%253d%25222%2522%253e/,
    );
    expect(body(page2)["@odata.nextLink"]).toBeUndefined();
    // Without the Prefer annotations the page says nothing about what follows.
    const bare = await get(dv, "contacts", { fetchXml: page2Xml });
    expect(Object.keys(body(bare)).filter((k) => k.startsWith("@Microsoft"))).toEqual([]);
    const last = await get(dv, "contacts", { fetchXml: page2Xml.replace('page="2"', 'page="3"') }, PAGING_HEADERS);
    expect(firstNames(values(last))).toEqual(["Eve"]);
    expect(Object.keys(body(last)).filter((k) => k.startsWith("@Microsoft"))).toEqual([]);
    const mixed = await get(dv, "contacts", { fetchXml: `<fetch top="2" count="2"><entity name="contact"><attribute name="firstname" /></entity></fetch>` });
    expect(mixed.status).toBe(400);
  });

  it("pages only as the flow asks: no @odata.nextLink, the documented paging cookie, and it positions after its last row", async () => {
    const small = new FakeDataverse({ pageSize: 3 });
    const ids = small.seed(
      "contact",
      Array.from({ length: 7 }, (_, i) => ({ lastname: `L${i}` })),
    );
    const base = `<entity name="contact"><attribute name="lastname" /></entity></fetch>`;
    let res = await get(small, "contacts", { fetchXml: `<fetch page="1">${base}` }, PAGING_HEADERS);
    const all: unknown[] = values(res).map((r) => r.lastname);
    // Between pages a row of the first page goes away: the cookie keeps the next page in place,
    // where an offset would skip a row.
    await del(small, `contacts(${ids[0]})`);
    let page = 1;
    while (body(res)["@Microsoft.Dynamics.CRM.morerecords"] === true) {
      expect(body(res)["@odata.nextLink"]).toBeUndefined();
      // The steps page-results.md lists: the pagingcookie attribute, URL-decoded twice, XML-encoded.
      const annotation = String(body(res)["@Microsoft.Dynamics.CRM.fetchxmlpagingcookie"]);
      const cookie = decodeURIComponent(decodeURIComponent(/pagingcookie="([^"]*)"/.exec(annotation)?.[1] ?? ""));
      const xmlEncoded = cookie.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
      page++;
      res = await get(small, "contacts", { fetchXml: `<fetch page="${page}" paging-cookie="${xmlEncoded}">${base}` }, PAGING_HEADERS);
      expect(res.status).toBe(200);
      all.push(...values(res).map((r) => r.lastname));
    }
    expect(all).toEqual(["L0", "L1", "L2", "L3", "L4", "L5", "L6"]);
    expect(page).toBe(3);
  });

  it("refuses simple paging past 50,000 rows, $skiptoken on a fetchXml query and a broken cookie", async () => {
    const dv = seeded();
    const deep = await get(dv, "contacts", {
      fetchXml: `<fetch count="5000" page="11"><entity name="contact"><attribute name="firstname" /></entity></fetch>`,
    });
    expect(deep.status).toBe(400);
    expect(errorMessage(deep)).toMatch(/can't return a data set larger than 50000 records/);
    const withCookie = await get(dv, "contacts", {
      fetchXml: `<fetch count="5000" page="11" paging-cookie="&lt;cookie page=&quot;10&quot;&gt;&lt;contactid last=&quot;{${BERLIN_CO}}&quot; first=&quot;{${BERLIN_CO}}&quot; /&gt;&lt;/cookie&gt;"><entity name="contact"><attribute name="firstname" /></entity></fetch>`,
    });
    expect(withCookie.status).toBe(200);
    const skip = await get(dv, "contacts", {
      fetchXml: `<fetch><entity name="contact"><attribute name="firstname" /></entity></fetch>`,
      $skiptoken: '<cookie pagenumber="2" />',
    });
    expect(skip.status).toBe(400);
    const broken = await get(dv, "contacts", {
      fetchXml: `<fetch page="2" paging-cookie="nonsense"><entity name="contact"><attribute name="firstname" /></entity></fetch>`,
    });
    expect(broken.status).toBe(400);
  });

  it("reports unknown attributes and entities like Dataverse, and refuses what it does not model", async () => {
    const dv = seeded();
    const unknown = await get(dv, "contacts", { fetchXml: `<fetch><entity name="contact"><attribute name="nosuch" /></entity></fetch>` });
    expect(unknown.status).toBe(400);
    expect(errorMessage(unknown)).toBe("'contact' entity doesn't contain attribute with Name = 'nosuch' and NameMapping = 'Logical'.");
    expect((await get(dv, "contacts", { fetchXml: `<fetch><entity name="nosuch" /></fetch>` })).status).toBe(400);
    expect((await get(dv, "contacts", { fetchXml: `<fetch><entity name="contact"` })).status).toBe(400);
    const op = await get(dv, "contacts", {
      fetchXml: `<fetch><entity name="contact"><filter><condition attribute="createdon" operator="last-x-days" value="3" /></filter></entity></fetch>`,
    });
    expect(op.status).toBe(501);
    expect((await get(dv, "accounts", { fetchXml: `<fetch><entity name="contact" /></fetch>` })).status).toBe(400);
  });
});

describe("FetchXML: several filters under one entity", () => {
  test("all of them apply", async () => {
    const { FakeDataverse } = await import("./index");
    const dv = new FakeDataverse();
    dv.seed("contact", [
      { firstname: "A", lastname: "X", address1_city: "Berlin" },
      { firstname: "B", lastname: "X", address1_city: "Hamburg" },
      { firstname: "C", lastname: "Y", address1_city: "Berlin" },
    ]);
    const fetchXml =
      '<fetch><entity name="contact"><attribute name="firstname"/><filter><condition attribute="lastname" operator="eq" value="X"/></filter>' +
      '<filter><condition attribute="address1_city" operator="eq" value="Berlin"/></filter></entity></fetch>';
    const r = await dv.handle({ method: "GET", path: "/api/data/v9.1/contacts", query: { fetchXml }, headers: {} });
    expect(r.status).toBe(200);
    expect((r.body as { value: Array<{ firstname: string }> }).value.map((x) => x.firstname)).toEqual(["A"]);
  });
});
