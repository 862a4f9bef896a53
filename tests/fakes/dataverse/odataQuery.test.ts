import { FakeDataverse } from "./fakeDataverse";
import { parseNextLink } from "./paging";
import { CONNECTOR_READ_HEADERS, body, errorMessage, get, values } from "./testRequests";

const ACME = "11111111-1111-1111-1111-111111111111";
const ADA = "22222222-2222-2222-2222-222222222222";

function seeded(): FakeDataverse {
  const dv = new FakeDataverse({ now: () => new Date("2026-01-02T03:04:05Z") });
  dv.seed("account", [{ accountid: ACME, name: "Acme O'Brien GmbH" }]);
  dv.seed("contact", [
    {
      contactid: ADA,
      firstname: "Ada",
      lastname: "Lovelace",
      emailaddress1: "ada@example.com",
      "parentcustomerid_account@odata.bind": `/accounts(${ACME})`,
      clvr_newsletterchecklist: '[{"id":0,"state":1}]',
    },
    { firstname: "Bob", lastname: "Builder", emailaddress1: "BOB@example.com", statecode: 1 },
    { firstname: "Cleo", lastname: "Patra", emailaddress1: null },
  ]);
  return dv;
}

const names = (rows: Array<Record<string, unknown>>): unknown[] => rows.map((r) => r.firstname);

describe("fake Dataverse: OData queries", () => {
  it("$select returns only the listed columns, the primary id and the etag", async () => {
    const res = await get(seeded(), "contacts", { $select: "firstname,emailaddress1", $filter: `contactid eq ${ADA}` });
    expect(res.status).toBe(200);
    expect(values(res)).toEqual([{ "@odata.etag": expect.stringMatching(/^W\/"\d+"$/), firstname: "Ada", emailaddress1: "ada@example.com", contactid: ADA }]);
    expect(body(res)["@odata.context"]).toBe("https://fake.crm.dynamics.com/api/data/v9.1/$metadata#contacts(firstname,emailaddress1)");
  });

  it("without $select returns every column (null when unset) and lookups as _x_value", async () => {
    const [ada] = values(await get(seeded(), "contacts", { $filter: "firstname eq 'Ada'" }, CONNECTOR_READ_HEADERS));
    expect(ada).toMatchObject({
      fullname: "Ada Lovelace",
      statecode: 0,
      statuscode: 1,
      salutation: null,
      _parentcustomerid_value: ACME,
      "_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "account",
      "@odata.id": `https://fake.crm.dynamics.com/api/data/v9.1/contacts(${ADA})`,
      createdon: "2026-01-02T03:04:05Z",
    });
  });

  it.each([
    ["statecode eq 0", ["Ada", "Cleo"]],
    ["statecode ne 0", ["Bob"]],
    ["emailaddress1 eq 'bob@example.com'", ["Bob"]],
    ["emailaddress1 eq null", ["Cleo"]],
    ["emailaddress1 ne null and statecode eq 0", ["Ada"]],
    ["not (statecode eq 0)", ["Bob"]],
    ["(firstname eq 'Ada' or firstname eq 'Bob') and statecode eq 0", ["Ada"]],
    ["contains(emailaddress1,'example')", ["Ada", "Bob"]],
    ["startswith(lastname,'Lo') or endswith(lastname,'tra')", ["Ada", "Cleo"]],
    [`_parentcustomerid_value eq ${ACME}`, ["Ada"]],
    ["parentcustomerid_account/name eq 'Acme O''Brien GmbH'", ["Ada"]],
    ["createdon ge 2026-01-01T00:00:00Z and createdon lt 2026-01-03", ["Ada", "Bob", "Cleo"]],
    ["statecode gt 0", ["Bob"]],
    ["statuscode le 1", ["Ada", "Cleo"]],
    ["Microsoft.Dynamics.CRM.In(PropertyName='firstname',PropertyValues=['Bob','Cleo'])", ["Bob", "Cleo"]],
    ["Microsoft.Dynamics.CRM.NotIn(PropertyName='firstname',PropertyValues=['Bob'])", ["Ada", "Cleo"]],
  ])("$filter %s", async (filter, expected) => {
    expect(names(values(await get(seeded(), "contacts", { $filter: filter })))).toEqual(expected);
  });

  it("$orderby sorts by several columns, $top limits", async () => {
    const dv = seeded();
    dv.seed("contact", [{ firstname: "Ada", lastname: "Byron" }]);
    const res = await get(dv, "contacts", { $select: "firstname,lastname", $orderby: "firstname desc,lastname asc", $top: "3" });
    expect(values(res).map((r) => `${String(r.firstname)} ${String(r.lastname)}`)).toEqual(["Cleo Patra", "Bob Builder", "Ada Byron"]);
  });

  it("$expand follows a single-valued navigation property with a nested $select", async () => {
    const res = await get(seeded(), "contacts", { $select: "firstname", $expand: "parentcustomerid_account($select=name)", $orderby: "firstname" });
    const [ada, bob] = values(res);
    expect(ada?.parentcustomerid_account).toEqual({ "@odata.etag": expect.any(String), name: "Acme O'Brien GmbH", accountid: ACME });
    expect(bob?.parentcustomerid_account).toBeNull();
  });

  it("GetItem returns one row, 404 when it does not exist", async () => {
    const dv = seeded();
    const res = await get(dv, `contacts(${ADA})`, { $select: "lastname" });
    expect(res.status).toBe(200);
    expect(body(res)).toMatchObject({ lastname: "Lovelace", contactid: ADA });
    const missing = await get(dv, "contacts(99999999-9999-9999-9999-999999999999)");
    expect(missing.status).toBe(404);
    expect(errorMessage(missing)).toBe("contact With Id = 99999999-9999-9999-9999-999999999999 Does Not Exist");
  });

  it("unknown properties in $select/$filter/$orderby are 400, unknown entity sets 404", async () => {
    const dv = seeded();
    const queries: Array<Record<string, string>> = [{ $select: "nosuch" }, { $filter: "nosuch eq 1" }, { $orderby: "nosuch" }, { $expand: "nosuch" }];
    for (const query of queries) {
      const res = await get(dv, "contacts", query);
      expect(res.status).toBe(400);
      expect(errorMessage(res)).toBe("Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.contact'.");
    }
    const lookupByLogicalName = await get(dv, "contacts", { $select: "parentcustomerid" });
    expect(lookupByLogicalName.status).toBe(400);
    const unknownSet = await get(dv, "contact");
    expect(unknownSet.status).toBe(404);
    expect(errorMessage(unknownSet)).toBe("Resource not found for the segment 'contact'.");
    expect((await get(dv, "contacts", { $filter: "firstname eq 'x" })).status).toBe(400);
  });

  it("pages 12,000 rows at 5000 with @odata.nextLink and $skiptoken", async () => {
    const dv = new FakeDataverse();
    dv.seed(
      "contact",
      Array.from({ length: 12000 }, (_, i) => ({ lastname: `L${String(i).padStart(5, "0")}`, emailaddress1: `p${i}@example.com` })),
    );
    const seen: unknown[] = [];
    let res = await get(dv, "contacts", { $select: "lastname", $orderby: "lastname" });
    const pageSizes: number[] = [];
    for (;;) {
      const page = values(res);
      pageSizes.push(page.length);
      seen.push(...page.map((r) => r.lastname));
      const link = body(res)["@odata.nextLink"];
      if (typeof link !== "string") break;
      expect(link).toMatch(/^https:\/\/fake\.crm\.dynamics\.com\/api\/data\/v9\.1\/contacts\?.*\$skiptoken=/);
      const next = parseNextLink(link);
      expect(next.query.$select).toBe("lastname");
      res = await dv.handle({ method: "GET", path: next.path, query: next.query, headers: {} });
    }
    expect(pageSizes).toEqual([5000, 5000, 2000]);
    expect(new Set(seen).size).toBe(12000);
    expect(seen[0]).toBe("L00000");
    expect(seen[11999]).toBe("L11999");
    expect(dv.callCount("ListRecords")).toBe(3);
  });

  it("honours a smaller pageSize option, Prefer odata.maxpagesize and $top across pages", async () => {
    const dv = new FakeDataverse({ pageSize: 4 });
    dv.seed(
      "lead",
      Array.from({ length: 10 }, (_, i) => ({ lastname: `Lead ${i}` })),
    );
    const first = await get(dv, "leads", { $select: "lastname" });
    expect(values(first)).toHaveLength(4);
    const prefer = await get(dv, "leads", { $select: "lastname" }, { Prefer: "odata.maxpagesize=3" });
    expect(values(prefer)).toHaveLength(3);
    expect(prefer.headers["Preference-Applied"]).toBe("odata.maxpagesize=3");
    const top = await get(dv, "leads", { $select: "lastname", $top: "6" });
    const next = parseNextLink(String(body(top)["@odata.nextLink"]));
    const rest = await dv.handle({ method: "GET", path: next.path, query: next.query, headers: {} });
    expect(values(rest)).toHaveLength(2);
    expect(body(rest)["@odata.nextLink"]).toBeUndefined();
  });
});
