import { FakeDataverse } from "./fakeDataverse";
import { del, patch, post } from "./testRequests";
import { matchesTrigger, triggerBodyOf, type ChangeEvent, type TriggerRegistration } from "./triggers";

const ADA = "22222222-2222-2222-2222-222222222222";

async function recordEvents(): Promise<ChangeEvent[]> {
  const dv = new FakeDataverse();
  dv.seed("contact", [{ contactid: ADA, firstname: "Ada", lastname: "Lovelace", emailaddress1: "ada@example.com" }]);
  const events: ChangeEvent[] = [];
  dv.onChange((e) => events.push(e));
  await post(dv, "contacts", { lastname: "New", emailaddress1: "new@example.com" });
  await patch(dv, "v9.1", `contacts(${ADA})`, { clvr_newsletterchecklist: '[{"id":0,"state":1}]' });
  await patch(dv, "v9.1", `contacts(${ADA})`, { statecode: 1 });
  await del(dv, `contacts(${ADA})`);
  await post(dv, "contacts", { nosuch: 1 });
  return events;
}

const event = (events: ChangeEvent[], i: number): ChangeEvent => {
  const e = events[i];
  if (!e) throw new Error(`no event ${i}`);
  return e;
};

describe("fake Dataverse: change events and trigger matching", () => {
  it("reports each successful write with changed attributes, post image and pre-image", async () => {
    const events = await recordEvents();
    expect(events.map((e) => [e.message, e.entity])).toEqual([
      ["Create", "contact"],
      ["Update", "contact"],
      ["Update", "contact"],
      ["Delete", "contact"],
    ]);
    const update = event(events, 1);
    expect(update.id).toBe(ADA);
    expect(update.changedAttributes).toEqual(["clvr_newsletterchecklist"]);
    expect(update.preImage?.clvr_newsletterchecklist).toBeNull();
    expect(update.row.clvr_newsletterchecklist).toBe('[{"id":0,"state":1}]');
    expect(event(events, 2).changedAttributes).toEqual(["statecode", "statuscode"]);
    expect(event(events, 3).row).toMatchObject({ contactid: ADA, statecode: 1 });
    expect(event(events, 0).preImage).toBeNull();
  });

  const reg = (message: number, extra: Partial<TriggerRegistration> = {}): TriggerRegistration => ({ message, entityname: "contact", ...extra });

  it.each([
    [1, ["Create"]],
    [2, ["Delete"]],
    [3, ["Update", "Update"]],
    [4, ["Create", "Update", "Update"]],
    [5, ["Create", "Delete"]],
    [6, ["Update", "Update", "Delete"]],
    [7, ["Create", "Update", "Update", "Delete"]],
  ])("message code %d fires on %j", async (code, expected) => {
    const events = await recordEvents();
    expect(events.filter((e) => matchesTrigger(e, reg(code))).map((e) => e.message)).toEqual(expected);
  });

  it("filtering attributes apply to Update only", async () => {
    const events = await recordEvents();
    const registration = reg(7, { filteringattributes: "clvr_newsletterchecklist, emailaddress1" });
    expect(events.filter((e) => matchesTrigger(e, registration)).map((e) => `${e.message}:${e.changedAttributes.join("+")}`)).toEqual([
      "Create:lastname+emailaddress1",
      "Update:clvr_newsletterchecklist",
      "Delete:",
    ]);
  });

  it("the filter expression is evaluated on the row; other tables never match", async () => {
    const events = await recordEvents();
    const active = reg(4, { filterexpression: "statecode eq 0 and emailaddress1 ne null" });
    expect(events.filter((e) => matchesTrigger(e, active)).map((e) => e.message)).toEqual(["Create", "Update"]);
    expect(events.some((e) => matchesTrigger(e, { message: 7, entityname: "lead" }))).toBe(false);
    expect(() => matchesTrigger(event(events, 0), reg(8))).toThrow(/unknown trigger message code 8/);
    expect(() => matchesTrigger(event(events, 0), reg(1, { filterexpression: "nosuch eq 1" }))).toThrow(/Could not find a property named 'nosuch'/);
  });

  it("hands a flow only the id of a deleted row, as the platform does; other messages carry the row", async () => {
    const events = await recordEvents();
    expect(triggerBodyOf(event(events, 3))).toEqual({ contactid: ADA, ItemInternalId: ADA, SdkMessage: "Delete" });
    expect(triggerBodyOf(event(events, 1))).toEqual(expect.objectContaining({ contactid: ADA, firstname: "Ada", SdkMessage: "Update" }));
  });
});
