import { FakeDataverse } from "./fakeDataverse";
import { del, post } from "./testRequests";
import { matchesTrigger, type ChangeEvent } from "./triggers";

const LIST = "aaaaaaaa-0000-0000-0000-000000000001";
const CAMPAIGN = "cccccccc-0000-0000-0000-000000000001";
const ACTIVITY = "dddddddd-0000-0000-0000-000000000001";
const ADA = "22222222-2222-2222-2222-222222222222";

const ref = (set: string, id: string): { "@odata.id": string } => ({ "@odata.id": `https://fake.crm.dynamics.com/api/data/v9.1/${set}(${id})` });

function seeded(): { dv: FakeDataverse; events: ChangeEvent[] } {
  const dv = new FakeDataverse();
  dv.seed("list", [{ listid: LIST, listname: "Static contacts", type: false, createdfromcode: 2 }]);
  dv.seed("campaign", [{ campaignid: CAMPAIGN, name: "Spring" }]);
  dv.seed("campaignactivity", [{ activityid: ACTIVITY, subject: "Mailing" }]);
  dv.seed("contact", [{ contactid: ADA, lastname: "Lovelace" }]);
  const events: ChangeEvent[] = [];
  dv.onChange((e) => events.push(e));
  return { dv, events };
}

/**
 * Associate/Disassociate write and remove intersect rows; the fake reports them to onChange as a
 * Create/Delete of listmember, campaignitem or campaignactivityitem (its own bookkeeping), but no
 * row trigger fires on them: the row trigger "doesn't support triggering flows on relationships of
 * type 1:N or N:N" (power-automate-docs create-update-delete-trigger.md).
 */
describe("fake Dataverse: intersect rows are written and removed, but fire no row trigger", () => {
  it("adding and removing a list member is a Create and a Delete of listmember with list and member", async () => {
    const { dv, events } = seeded();
    await post(dv, `lists(${LIST})/listcontact_association/$ref`, ref("contacts", ADA));
    await del(dv, `lists(${LIST})/listcontact_association(${ADA})/$ref`);
    expect(events.map((e) => [e.message, e.entity])).toEqual([
      ["Create", "listmember"],
      ["Delete", "listmember"],
    ]);
    for (const e of events) expect(e.row).toMatchObject({ _listid_value: LIST, _entityid_value: ADA, entitytype: "contact" });
    expect(events[0]?.id).toBe(events[1]?.id);
    for (const e of events) expect(matchesTrigger(e, { message: 7, entityname: "listmember" })).toBe(false);
  });

  it("adding an existing member again raises nothing, as nothing is written", async () => {
    const { dv, events } = seeded();
    await post(dv, `lists(${LIST})/listcontact_association/$ref`, ref("contacts", ADA));
    await post(dv, `lists(${LIST})/listcontact_association/$ref`, ref("contacts", ADA));
    expect(events).toHaveLength(1);
  });

  it("a campaign's and a campaign activity's lists are Creates and Deletes of campaignitem and campaignactivityitem", async () => {
    const { dv, events } = seeded();
    await post(dv, `campaigns(${CAMPAIGN})/campaignlist_association/$ref`, ref("lists", LIST));
    await post(dv, `campaignactivities(${ACTIVITY})/campaignactivitylist_association/$ref`, ref("lists", LIST));
    await del(dv, `campaigns(${CAMPAIGN})/campaignlist_association(${LIST})/$ref`);
    await del(dv, `campaignactivities(${ACTIVITY})/campaignactivitylist_association(${LIST})/$ref`);
    expect(events.map((e) => [e.message, e.entity])).toEqual([
      ["Create", "campaignitem"],
      ["Create", "campaignactivityitem"],
      ["Delete", "campaignitem"],
      ["Delete", "campaignactivityitem"],
    ]);
    expect(events[0]?.row).toMatchObject({ _campaignid_value: CAMPAIGN, entityid: LIST, entitytype: "list" });
    expect(events[3]?.row).toMatchObject({ _campaignactivityid_value: ACTIVITY, itemid: LIST, itemobjecttypecode: "list" });
    for (const e of events) expect(matchesTrigger(e, { message: 7, entityname: e.entity })).toBe(false);
  });
});
