import { FakeDataverse } from "./fakeDataverse";
import { CONNECTOR_WRITE_HEADERS, body, del, errorMessage, get, patch, post } from "./testRequests";

const ACME = "11111111-1111-1111-1111-111111111111";
const ADA = "22222222-2222-2222-2222-222222222222";
const NEW = "33333333-3333-3333-3333-333333333333";

function seeded(): FakeDataverse {
  let tick = 0;
  const dv = new FakeDataverse({ now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)) });
  dv.seed("account", [{ accountid: ACME, name: "Acme" }]);
  dv.seed("contact", [{ contactid: ADA, firstname: "Ada", lastname: "Lovelace" }]);
  return dv;
}

describe("fake Dataverse: writes", () => {
  it("CreateRecord returns 204 with OData-EntityId, and sets platform columns", async () => {
    const dv = seeded();
    const res = await post(dv, "leads", { firstname: "Grace", lastname: "Hopper", companyname: "Navy", emailaddress1: "grace@example.com" });
    expect(res.status).toBe(204);
    const id = /leads\(([0-9a-f-]{36})\)$/.exec(res.headers["OData-EntityId"] ?? "")?.[1] ?? "";
    const row = dv.row("lead", id);
    expect(row).toMatchObject({
      leadid: id,
      fullname: "Grace Hopper",
      statecode: 0,
      statuscode: 1,
      createdon: expect.any(String),
      versionnumber: expect.any(Number),
    });
    expect(dv.callCount("CreateRecord")).toBe(1);
  });

  it("Prefer return=representation answers 201 with the row; a client id is kept", async () => {
    const dv = seeded();
    const res = await post(
      dv,
      "contacts",
      { contactid: NEW, lastname: "Curie", "parentcustomerid_account@odata.bind": `/accounts(${ACME})` },
      CONNECTOR_WRITE_HEADERS,
    );
    expect(res.status).toBe(201);
    expect(body(res)).toMatchObject({
      contactid: NEW,
      _parentcustomerid_value: ACME,
      "_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "account",
      "@odata.id": `https://fake.crm.dynamics.com/api/data/v9.1/contacts(${NEW})`,
    });
    expect((await post(dv, "contacts", { contactid: NEW })).status).toBe(412);
  });

  it("a create of an id that is taken fails with DuplicateRecord (412, 0x80040237) and leaves the row as it was", async () => {
    const dv = seeded();
    const res = await post(dv, "contacts", { contactid: ADA, lastname: "Byron" }, CONNECTOR_WRITE_HEADERS);
    expect(res.status).toBe(412);
    expect(res.body).toEqual({ error: { code: "0x80040237", message: "Cannot insert duplicate key." } });
    expect(dv.row("contact", ADA)?.lastname).toBe("Lovelace");
  });

  it("binds our custom lookups by their schema-name navigation property", async () => {
    const dv = seeded();
    const res = await post(dv, "clvr_receiverstates", {
      clvr_name: "ada@example.com / 42",
      clvr_email: "ada@example.com",
      clvr_state: 482710001,
      "clvr_Contact@odata.bind": `/contacts(${ADA})`,
    });
    expect(res.status).toBe(204);
    const [row] = dv.rows("clvr_receiverstate");
    expect(row).toMatchObject({ _clvr_contact_value: ADA, "_clvr_contact_value@Microsoft.Dynamics.CRM.lookuplogicalname": "contact", clvr_state: 482710001 });
    const lowerCase = await post(dv, "clvr_receiverstates", { clvr_name: "x", "clvr_contact@odata.bind": `/contacts(${ADA})` });
    expect(lowerCase.status).toBe(400);
    expect(errorMessage(lowerCase)).toMatch(/^An undeclared property 'clvr_contact' which only has property annotations/);
    const missingTarget = await post(dv, "clvr_receiverstates", { clvr_name: "x", "clvr_Contact@odata.bind": `/contacts(${NEW})` });
    expect(missingTarget.status).toBe(404);
    const wrongSet = await post(dv, "clvr_receiverstates", { clvr_name: "x", "clvr_Contact@odata.bind": `/leads(${ADA})` });
    expect(wrongSet.status).toBe(400);
  });

  it("rejects unknown columns with the OData message, wrong types and choice values out of range", async () => {
    const dv = seeded();
    const unknown = await post(dv, "contacts", { lastname: "X", clvr_nosuch: "y" });
    expect(unknown.status).toBe(400);
    expect(errorMessage(unknown)).toBe("Invalid property 'clvr_nosuch' was found in entity 'Microsoft.Dynamics.CRM.contact'.");
    const lookupValue = await post(dv, "contacts", { _parentcustomerid_value: ACME });
    expect(errorMessage(lookupValue)).toBe("Invalid property '_parentcustomerid_value' was found in entity 'Microsoft.Dynamics.CRM.contact'.");
    const wrongType = await post(dv, "lists", { listname: "L", clvr_syncwithcleverreach: "yes" });
    expect(wrongType.status).toBe(400);
    expect(errorMessage(wrongType)).toBe("Cannot convert the literal 'yes' to the expected type 'Edm.Boolean'.");
    const outOfRange = await post(dv, "clvr_receiverstates", { clvr_name: "x", clvr_state: 5 });
    expect(outOfRange.status).toBe(400);
    expect(dv.rows("contact")).toHaveLength(1);
  });

  it("UpdateRecord (PATCH v9.1) upserts: updates an existing row, creates a missing one", async () => {
    const dv = seeded();
    const before = dv.row("contact", ADA);
    const updated = await patch(dv, "v9.1", `contacts(${ADA})`, { emailaddress1: "ada@example.org" });
    expect(updated.status).toBe(204);
    const after = dv.row("contact", ADA);
    expect(after?.emailaddress1).toBe("ada@example.org");
    expect(Number(after?.versionnumber)).toBeGreaterThan(Number(before?.versionnumber));
    expect(after?.modifiedon).not.toBe(before?.modifiedon);
    expect(after?.createdon).toBe(before?.createdon);
    const created = await patch(dv, "v9.1", `contacts(${NEW})`, { lastname: "New" }, CONNECTOR_WRITE_HEADERS);
    expect(created.status).toBe(201);
    expect(dv.row("contact", NEW)?.lastname).toBe("New");
    expect(dv.callCount("UpdateRecord")).toBe(2);
  });

  it("UpdateOnlyRecord (PATCH v9.2, If-Match) never creates and checks etags", async () => {
    const dv = seeded();
    const missing = await patch(dv, "v9.2", `contacts(${NEW})`, { lastname: "New" }, { "If-Match": "*" });
    expect(missing.status).toBe(404);
    expect(dv.row("contact", NEW)).toBeUndefined();
    const ok = await patch(dv, "v9.2", `contacts(${ADA})`, { lastname: "King" }, { ...CONNECTOR_WRITE_HEADERS, "If-Match": "*" });
    expect(ok.status).toBe(200);
    expect(body(ok)).toMatchObject({ lastname: "King", fullname: "Ada King" });
    const stale = await patch(dv, "v9.2", `contacts(${ADA})`, { lastname: "X" }, { "If-Match": 'W/"1"' });
    expect(stale.status).toBe(412);
    const etag = String(body(await get(dv, `contacts(${ADA})`))["@odata.etag"]);
    expect((await patch(dv, "v9.2", `contacts(${ADA})`, { lastname: "Y" }, { "If-Match": etag })).status).toBe(204);
    expect(dv.callCount("UpdateOnlyRecord")).toBe(4);
  });

  it("writing statecode sets the default statuscode of that state", async () => {
    const dv = seeded();
    await patch(dv, "v9.1", `contacts(${ADA})`, { statecode: 1 });
    expect(dv.row("contact", ADA)).toMatchObject({ statecode: 1, statuscode: 2 });
    const [listId = ""] = dv.seed("list", [{ listname: "L", type: false, createdfromcode: 2 }]);
    expect(dv.row("list", listId)).toMatchObject({ statecode: 0, statuscode: 0 });
    await patch(dv, "v9.1", `lists(${listId})`, { statecode: 1 });
    expect(dv.row("list", listId)).toMatchObject({ statecode: 1, statuscode: 1 });
  });

  it("a lookup is cleared by binding null", async () => {
    const dv = seeded();
    await patch(dv, "v9.1", `contacts(${ADA})`, { "parentcustomerid_account@odata.bind": `/accounts(${ACME})` });
    expect(dv.row("contact", ADA)?._parentcustomerid_value).toBe(ACME);
    await patch(dv, "v9.1", `contacts(${ADA})`, { "parentcustomerid_account@odata.bind": null });
    expect(dv.row("contact", ADA)?._parentcustomerid_value).toBeNull();
  });

  it("DeleteRecord removes the row, clears lookups to it, 404 when missing", async () => {
    const dv = seeded();
    await patch(dv, "v9.1", `accounts(${ACME})`, { "primarycontactid@odata.bind": `/contacts(${ADA})` });
    expect((await del(dv, `contacts(${ADA})`)).status).toBe(204);
    expect(dv.row("contact", ADA)).toBeUndefined();
    expect(dv.row("account", ACME)?._primarycontactid_value).toBeNull();
    expect((await del(dv, `contacts(${ADA})`)).status).toBe(404);
    expect(dv.callCount("DeleteRecord")).toBe(2);
  });
});
