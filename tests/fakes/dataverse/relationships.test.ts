import { FakeDataverse } from "./fakeDataverse";
import type { RelationshipEvent } from "./relationships";
import { del, errorMessage, get, post, values } from "./testRequests";

const LIST = "aaaaaaaa-0000-0000-0000-000000000001";
const DYNAMIC = "aaaaaaaa-0000-0000-0000-000000000002";
const CAMPAIGN = "cccccccc-0000-0000-0000-000000000001";
const ACTIVITY = "dddddddd-0000-0000-0000-000000000001";
const ADA = "22222222-2222-2222-2222-222222222222";
const LEAD = "44444444-4444-4444-4444-444444444444";

function seeded(): FakeDataverse {
  const dv = new FakeDataverse();
  dv.seed("list", [
    { listid: LIST, listname: "Static contacts", type: false, createdfromcode: 2 },
    { listid: DYNAMIC, listname: "Dynamic", type: true, createdfromcode: 2, query: "<fetch><entity name='contact'/></fetch>" },
  ]);
  dv.seed("campaign", [{ campaignid: CAMPAIGN, name: "Spring" }]);
  dv.seed("campaignactivity", [
    { activityid: ACTIVITY, subject: "Mailing", "regardingobjectid_campaign_campaignactivity@odata.bind": `/campaigns(${CAMPAIGN})` },
  ]);
  dv.seed("contact", [{ contactid: ADA, lastname: "Lovelace" }]);
  dv.seed("lead", [{ leadid: LEAD, lastname: "Hopper" }]);
  return dv;
}

const ref = (set: string, id: string): { "@odata.id": string } => ({ "@odata.id": `https://fake.crm.dynamics.com/api/data/v9.1/${set}(${id})` });

describe("fake Dataverse: N:N relationships through intersect tables", () => {
  it("AssociateEntities adds a static list member as a listmember row; DisassociateEntities removes it", async () => {
    const dv = seeded();
    const events: RelationshipEvent[] = [];
    dv.onRelationshipChange((e) => events.push(e));
    const res = await post(dv, `lists(${LIST})/listcontact_association/$ref`, ref("contacts", ADA));
    expect(res.status).toBe(204);
    expect(dv.rows("listmember")).toEqual([
      expect.objectContaining({
        _listid_value: LIST,
        _entityid_value: ADA,
        entitytype: "contact",
        "_entityid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "contact",
      }),
    ]);
    // Associating again is a no-op; the member is queryable through listmembers.
    await post(dv, `lists(${LIST})/listcontact_association/$ref`, ref("contacts", ADA));
    expect(values(await get(dv, "listmembers", { $filter: `_listid_value eq ${LIST}`, $select: "_entityid_value" }))).toHaveLength(1);

    const removed = await dv.handle({
      method: "DELETE",
      path: `/api/data/v9.1/lists(${LIST})/listcontact_association/$ref`,
      query: { $id: `https://fake.crm.dynamics.com/api/data/v9.1/contacts(${ADA})` },
      headers: {},
    });
    expect(removed.status).toBe(204);
    expect(dv.rows("listmember")).toEqual([]);
    expect(events.map((e) => e.message)).toEqual(["Associate", "Disassociate"]);
    expect(events[0]).toMatchObject({
      message: "Associate",
      relationship: "listcontact_association",
      owner: { entity: "list", id: LIST },
      member: { entity: "contact", id: ADA },
    });
    expect(dv.callCount("AssociateEntities")).toBe(2);
    expect(dv.callCount("DisassociateEntities")).toBe(1);
  });

  it("works from the member side and with the id in the path", async () => {
    const dv = seeded();
    await post(dv, `contacts(${ADA})/listcontact_association/$ref`, ref("lists", LIST));
    expect(dv.rows("listmember")).toHaveLength(1);
    await del(dv, `contacts(${ADA})/listcontact_association(${LIST})/$ref`);
    expect(dv.rows("listmember")).toHaveLength(0);
  });

  it("relates campaigns and campaign activities to lists", async () => {
    const dv = seeded();
    await post(dv, `campaigns(${CAMPAIGN})/campaignlist_association/$ref`, ref("lists", LIST));
    await post(dv, `campaignactivities(${ACTIVITY})/campaignactivitylist_association/$ref`, ref("lists", LIST));
    expect(dv.rows("campaignitem")).toEqual([expect.objectContaining({ _campaignid_value: CAMPAIGN, entityid: LIST, entitytype: "list" })]);
    expect(dv.rows("campaignactivityitem")).toEqual([
      expect.objectContaining({ _campaignactivityid_value: ACTIVITY, itemid: LIST, itemobjecttypecode: "list" }),
    ]);
  });

  it("refuses dynamic lists, the wrong member table, missing rows and plain POSTs to intersect tables", async () => {
    const dv = seeded();
    expect((await post(dv, `lists(${DYNAMIC})/listcontact_association/$ref`, ref("contacts", ADA))).status).toBe(400);
    const wrongTable = await post(dv, `lists(${LIST})/listlead_association/$ref`, ref("leads", LEAD));
    expect(wrongTable.status).toBe(400);
    expect(errorMessage(wrongTable)).toMatch(/holds contact rows/);
    expect((await post(dv, `lists(${LIST})/listcontact_association/$ref`, ref("contacts", LEAD))).status).toBe(404);
    expect((await post(dv, `lists(${LIST})/nosuch_association/$ref`, ref("contacts", ADA))).status).toBe(404);
    const direct = await post(dv, "listmembers", { entitytype: "contact" });
    expect(direct.status).toBe(400);
    expect(errorMessage(direct)).toMatch(/does not support entities of type 'listmember'/);
  });

  it("deleting a row deletes its intersect rows", async () => {
    const dv = seeded();
    dv.relate("listcontact_association", LIST, ADA);
    dv.relate("campaignlist_association", CAMPAIGN, LIST);
    await del(dv, `contacts(${ADA})`);
    expect(dv.rows("listmember")).toHaveLength(0);
    await del(dv, `lists(${LIST})`);
    expect(dv.rows("campaignitem")).toHaveLength(0);
  });
});
