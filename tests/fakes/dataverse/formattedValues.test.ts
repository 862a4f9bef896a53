import { FakeDataverse } from "./fakeDataverse";
import { FORMATTED_VALUE } from "./formattedValues";
import { CONNECTOR_READ_HEADERS, errorMessage, get, patch, values } from "./testRequests";

/** Formatted values as Dataverse gives them (formattedValues.ts: select-columns.md, multi-select-picklist.md). */
const ACME = "11111111-1111-1111-1111-111111111111";
const ADA = "22222222-2222-2222-2222-222222222222";
const FV = FORMATTED_VALUE;

function seeded(): FakeDataverse {
  const dv = new FakeDataverse();
  dv.seed("account", [{ accountid: ACME, name: "Acme" }]);
  dv.seed("contact", [
    {
      contactid: ADA,
      firstname: "Ada",
      statecode: 0,
      preferredcontactmethodcode: 2,
      donotemail: true,
      new_interests: "100000000,100000002",
      numberofchildren: 9500,
      birthdate: "2023-04-07T21:59:01Z",
      "parentcustomerid_account@odata.bind": `/accounts(${ACME})`,
      new_contract: "0f8fad5b-d9cb-469f-a165-70867728950e",
      new_contract_name: "contract.pdf",
      entityimage: "/9j/4AAQ",
    },
  ]);
  return dv;
}

describe("fake Dataverse: formatted values", () => {
  it("List rows with the connector's Prefer (odata.include-annotations=*): labels, names, grouped numbers, dates; none for text", async () => {
    const row = values(await get(seeded(), "contacts", {}, CONNECTOR_READ_HEADERS))[0]!;
    expect(row).toMatchObject({
      [`preferredcontactmethodcode${FV}`]: "Email",
      preferredcontactmethodcode: 2,
      [`statecode${FV}`]: "Active",
      [`statuscode${FV}`]: "Active",
      [`donotemail${FV}`]: "Do Not Allow",
      donotemail: true,
      [`new_interests${FV}`]: "Newsletter; Webinars",
      new_interests: "100000000,100000002",
      [`_parentcustomerid_value${FV}`]: "Acme",
      [`numberofchildren${FV}`]: "9,500",
      [`birthdate${FV}`]: "4/7/2023 9:59 PM",
    });
    expect(Object.keys(row)).not.toContain(`firstname${FV}`);
    expect(Object.keys(row)).not.toContain(`contactid${FV}`);
    // A file reads as its id, an image as its bytes, with their companions; no formatted value for either.
    expect(row).toMatchObject({ new_contract: "0f8fad5b-d9cb-469f-a165-70867728950e", new_contract_name: "contract.pdf", entityimage: "/9j/4AAQ" });
    expect(Object.keys(row)).not.toContain(`new_contract${FV}`);
    expect(Object.keys(row)).not.toContain(`entityimage${FV}`);
    // An empty column has no formatted value.
    expect(Object.keys(row)).not.toContain(`new_customertier${FV}`);
  });

  it("only when asked: no Prefer, or other annotations only, gives none; the term itself gives them", async () => {
    const dv = seeded();
    const none = values(await get(dv, "contacts", { $select: "preferredcontactmethodcode" }))[0]!;
    expect(Object.keys(none).filter((k) => k.endsWith(FV))).toEqual([]);
    const lookups = values(
      await get(dv, "contacts", { $select: "preferredcontactmethodcode" }, { Prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname"' }),
    )[0]!;
    expect(Object.keys(lookups).filter((k) => k.endsWith(FV))).toEqual([]);
    const asked = values(
      await get(dv, "contacts", { $select: "preferredcontactmethodcode" }, { Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' }),
    )[0]!;
    expect(asked[`preferredcontactmethodcode${FV}`]).toBe("Email");
  });

  it("Get a row and FetchXML results carry them too", async () => {
    const dv = seeded();
    const one = (await get(dv, `contacts(${ADA})`, { $select: "donotemail" }, CONNECTOR_READ_HEADERS)).body as Record<string, unknown>;
    expect(one[`donotemail${FV}`]).toBe("Do Not Allow");
    const fetchXml = `<fetch><entity name="contact"><attribute name="preferredcontactmethodcode"/><attribute name="new_interests"/><attribute name="parentcustomerid"/></entity></fetch>`;
    const row = values(await get(dv, "contacts", { fetchXml }, CONNECTOR_READ_HEADERS))[0]!;
    expect(row).toMatchObject({
      [`preferredcontactmethodcode${FV}`]: "Email",
      [`new_interests${FV}`]: "Newsletter; Webinars",
      [`_parentcustomerid_value${FV}`]: "Acme",
    });
  });

  it("a Choices column is written as comma-separated values (white space allowed) and read back without it; an unknown option is refused", async () => {
    const dv = seeded();
    expect((await patch(dv, "v9.2", `contacts(${ADA})`, { new_interests: "100000001, 100000002" })).status).toBe(204);
    expect(dv.row("contact", ADA)?.new_interests).toBe("100000001,100000002");
    const bad = await patch(dv, "v9.2", `contacts(${ADA})`, { new_interests: "100000001,7" });
    expect(bad.status).toBe(400);
    expect(errorMessage(bad)).toContain("The value 7 of 'new_interests'");
  });

  it("String Map: the options of choice, status and status reason columns, none for numbers, yes/no or Choices", async () => {
    const dv = seeded();
    const options = async (table: string, column: string) =>
      values(
        await get(dv, "stringmaps", {
          $select: "attributevalue,value",
          $filter: `objecttypecode eq '${table}' and attributename eq '${column}'`,
        }),
      ).map((r) => [r.attributevalue, r.value]);
    expect(await options("contact", "preferredcontactmethodcode")).toEqual([
      [1, "Any"],
      [2, "Email"],
      [3, "Phone"],
      [4, "Fax"],
      [5, "Mail"],
    ]);
    expect(await options("lead", "statuscode")).toContainEqual([5, "Cannot Contact"]);
    expect(await options("contact", "statecode")).toEqual([
      [0, "Active"],
      [1, "Inactive"],
    ]);
    for (const column of ["numberofchildren", "donotemail", "new_interests", "firstname"]) expect(await options("contact", column)).toEqual([]);
  });
});
