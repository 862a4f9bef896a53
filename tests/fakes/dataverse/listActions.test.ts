import { ADMINISTRATOR_PROFILE, USER_PROFILE } from "../../../solution/src/model/security";
import { COLUMNS } from "../../../solution/src/model/handles";
import { FakeDataverse, type DataverseResponse } from "./fakeDataverse";
import { ADD_LIST_MEMBERS_MAX, type RelationshipEvent } from "./relationships";
import { errorMessage, patch } from "./testRequests";

const LIST = "aaaaaaaa-0000-0000-0000-000000000001";
const DYNAMIC = "aaaaaaaa-0000-0000-0000-000000000002";
const LEADS = "aaaaaaaa-0000-0000-0000-000000000003";
const ADA = "22222222-2222-2222-2222-222222222222";
const BEA = "22222222-2222-2222-2222-222222222223";
const LEO = "44444444-4444-4444-4444-444444444444";
const GHOST = "99999999-9999-9999-9999-999999999999";

function seeded(): FakeDataverse {
  const dv = new FakeDataverse();
  dv.seed("list", [
    { listid: LIST, listname: "Static contacts", type: false, createdfromcode: 2 },
    { listid: DYNAMIC, listname: "Dynamic", type: true, createdfromcode: 2, query: "<fetch><entity name='contact'/></fetch>" },
    { listid: LEADS, listname: "Static leads", type: false, createdfromcode: 4 },
  ]);
  dv.seed("contact", [
    { contactid: ADA, lastname: "Lovelace" },
    { contactid: BEA, lastname: "Bell" },
  ]);
  dv.seed("lead", [{ leadid: LEO, lastname: "Hopper" }]);
  return dv;
}

/** "Perform an unbound action" as the connector sends it (flows/toolkit/facts/dataverse-connector.json, PerformUnboundAction). */
const addMembers = (dv: FakeDataverse, list: string, members: Array<Record<string, unknown>>): Promise<DataverseResponse> =>
  dv.handle({
    method: "POST",
    path: "/flow/api/data/v9.1/AddListMembersList",
    query: {},
    headers: {},
    body: { List: { listid: list, "@odata.type": "Microsoft.Dynamics.CRM.list" }, Members: members },
  });
const contact = (id: string) => ({ "@odata.type": "Microsoft.Dynamics.CRM.contact", contactid: id });
const memberIds = (dv: FakeDataverse, list: string) =>
  dv
    .rows("listmember")
    .filter((r) => r._listid_value === list)
    .map((r) => r._entityid_value)
    .sort();

describe("fake Dataverse: AddListMembersList (unbound action)", () => {
  it("adds every member as a listmember row (204, no value) and reports each as Associate; a member already in the list is passed over", async () => {
    const dv = seeded();
    const events: RelationshipEvent[] = [];
    dv.onRelationshipChange((e) => events.push(e));
    expect((await addMembers(dv, LIST, [contact(ADA)])).status).toBe(204);
    const res = await addMembers(dv, LIST, [contact(ADA), contact(BEA)]);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(memberIds(dv, LIST)).toEqual([ADA, BEA]);
    expect(events.map((e) => [e.message, e.relationship, e.member.id])).toEqual([
      ["Associate", "listcontact_association", ADA],
      ["Associate", "listcontact_association", BEA],
    ]);
    expect(dv.callCount("PerformUnboundAction")).toBe(2);
  });

  it("refuses the whole call, adding nobody: a member that does not exist, of another table than the list's, or without @odata.type", async () => {
    const dv = seeded();
    const missing = await addMembers(dv, LIST, [contact(ADA), contact(GHOST)]);
    expect([missing.status, errorMessage(missing)]).toEqual([404, `contact With Id = ${GHOST} Does Not Exist`]);
    const wrongTable = await addMembers(dv, LEADS, [contact(ADA)]);
    expect([wrongTable.status, errorMessage(wrongTable)]).toEqual([400, "This marketing list holds lead rows; a contact cannot be added."]);
    const untyped = await addMembers(dv, LIST, [{ contactid: ADA }]);
    expect(untyped.status).toBe(400);
    expect(errorMessage(untyped)).toMatch(/@odata.type/);
    expect(memberIds(dv, LIST)).toEqual([]);
    expect(memberIds(dv, LEADS)).toEqual([]);
  });

  it("refuses a dynamic list (its members come from its query), an empty Members, and more than the fake's batch", async () => {
    const dv = seeded();
    const dynamic = await addMembers(dv, DYNAMIC, [contact(ADA)]);
    expect([dynamic.status, errorMessage(dynamic)]).toEqual([
      400,
      "Members cannot be added to or removed from a dynamic marketing list; change its query instead.",
    ]);
    expect((await addMembers(dv, LIST, [])).status).toBe(400);
    const tooMany = await addMembers(
      dv,
      LIST,
      Array.from({ length: ADD_LIST_MEMBERS_MAX + 1 }, () => contact(ADA)),
    );
    expect(tooMany.status).toBe(400);
    expect(errorMessage(tooMany)).toMatch(/at most 1000 members per call/);
  });

  it("an unknown unbound action: 404 for its segment", async () => {
    const dv = seeded();
    const res = await dv.handle({ method: "POST", path: "/flow/api/data/v9.1/NoSuchAction", query: {}, headers: {}, body: {} });
    expect(res.status).toBe(404);
  });
});

describe("fake Dataverse: column security for users signed in as themselves", () => {
  const asUser = (dv: FakeDataverse, principal: string, body: Record<string, unknown>) =>
    dv.handle({ method: "PATCH", path: `/api/data/v9.2/lists(${LIST})`, query: {}, headers: { "If-Match": "*" }, body, principal });

  it("a secured column only through a profile that may update it; the whole write is refused otherwise", async () => {
    const dv = seeded();
    dv.grantProfile("reader@contoso.example", USER_PROFILE.name);
    dv.grantProfile("admin@contoso.example", ADMINISTRATOR_PROFILE.name);
    const write = { [COLUMNS.importGroup]: "Newsletter", [COLUMNS.syncRequestedOn]: "2026-12-01T10:00:00Z" };
    for (const who of ["nobody@contoso.example", "reader@contoso.example"]) {
      const res = await asUser(dv, who, write);
      expect([who, res.status, errorMessage(res)]).toEqual([
        who,
        403,
        "The user does not have update permissions to a secured field. The requested operation could not be completed.",
      ]);
    }
    expect(dv.row("list", LIST)?.[COLUMNS.syncRequestedOn] ?? null).toBeNull();
    expect((await asUser(dv, "admin@contoso.example", write)).status).toBe(204);
    expect(dv.row("list", LIST)?.[COLUMNS.importGroup]).toBe("Newsletter");
  });

  it("open columns stay open to every user, and the flows' own identity (no principal) writes secured columns", async () => {
    const dv = seeded();
    expect((await asUser(dv, "nobody@contoso.example", { [COLUMNS.syncRequestedOn]: "2026-12-01T10:00:00Z" })).status).toBe(204);
    expect((await patch(dv, "v9.2", `lists(${LIST})`, { [COLUMNS.importGroup]: "x" }, { "If-Match": "*" })).status).toBe(204);
  });
});
