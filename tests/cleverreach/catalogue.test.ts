import { startFakeCleverReach, type FakeCleverReach, type Group } from "../fakes/cleverreach";

let fake: FakeCleverReach;
let group: Group;
beforeEach(async () => {
  fake = await startFakeCleverReach();
  group = fake.seed.group("CRM - Newsletter");
});
afterEach(() => fake.stop());

describe("fake CleverReach: attributes", () => {
  test("global and group attributes are listed separately, shaped as getAllGlobalAttributes.json; duplicates are a conflict (409)", async () => {
    const global = await fake.client.ok<{ id: unknown; name: string; description: string; groups_id: unknown; tag: string }>(
      "CreateGlobalAttribute",
      {},
      { name: "first_name", type: "text" },
    );
    expect(global).toMatchObject({ name: "first_name", description: "first_name", groups_id: 0, tag: "{FIRST_NAME}" });
    expect(typeof global.id).toBe("number");
    const local = await fake.client.ok("CreateGroupAttribute", { group_id: group.id }, { name: "crm_id", type: "text", description: "CRM id" });
    expect(local).toMatchObject({ name: "crm_id", description: "CRM id", groups_id: group.id });
    expect((await fake.client.ok<Array<{ name: string }>>("ListAttributes")).map((a) => a.name)).toEqual(["first_name"]);
    expect((await fake.client.ok<Array<{ name: string }>>("ListAttributes", { group_id: group.id })).map((a) => a.name)).toEqual(["crm_id"]);
    expect((await fake.client.call("CreateGroupAttribute", { group_id: group.id }, { name: "first_name", type: "text" })).status).toBe(409);
    expect((await fake.client.call("CreateGlobalAttribute", {}, { name: "first_name", type: "text" })).status).toBe(409);
    expect((await fake.client.call("CreateGlobalAttribute", {}, { name: "Last Name", type: "text" })).status).toBe(400);
    expect((await fake.client.call("CreateGlobalAttribute", {}, { name: "x", type: "colour" })).status).toBe(400);
    expect((await fake.client.call("CreateGroupAttribute", { group_id: 4242 }, { name: "x", type: "text" })).status).toBe(404);
    expect((await fake.client.call("ListAttributes", { group_id: 4242 })).status).toBe(404);
  });
});

describe("fake CleverReach: mailings and reports", () => {
  test("mailings are grouped by state; one mailing by id; 404 for unknown", async () => {
    const draft = fake.seed.mailing("Spring draft");
    fake.seed.mailing("Winter", "finished");
    const all = await fake.client.ok<Record<string, Array<{ name: string }>>>("ListMailings");
    expect(all.draft?.map((m) => m.name)).toEqual(["Spring draft"]);
    expect(all.finished?.map((m) => m.name)).toEqual(["Winter"]);
    expect(Object.keys(await fake.client.ok<object>("ListMailings", { state: "draft" }))).toEqual(["draft"]);
    // go-cleverreach's Mailing: the id as text, no state field.
    const one = await fake.client.ok<Record<string, unknown>>("GetMailing", { mailing_id: draft.id });
    expect(one).toMatchObject({ id: String(draft.id), name: "Spring draft" });
    expect(one).not.toHaveProperty("state");
    expect((await fake.client.call("GetMailing", { mailing_id: 1 })).status).toBe(404);
  });

  test("report receivers per reaction: opened, clicked, bounced, unsubscribed", async () => {
    fake.seed.receivers(group.id, [
      { email: "a@example.com", activated: 1 },
      { email: "b@example.com", activated: 1 },
    ]);
    const mailing = fake.seed.mailing("Winter", "finished", { started: 1700000000 });
    const at = 1700000100;
    fake.seed.report(mailing, group.id, {
      sent: [
        { email: "a@example.com", stamp: at },
        { email: "b@example.com", stamp: at },
      ],
      opened: [{ email: "a@example.com", stamp: at }],
      clicked: [{ email: "a@example.com", stamp: at + 5 }],
      bounced: [{ email: "b@example.com", stamp: at }],
      unsubscribed: [{ email: "a@example.com", stamp: at + 10 }],
    });
    const reports = await fake.client.ok<Array<Record<string, unknown>>>("ListReports", { start: 1699999999, end: 1700000001 });
    expect(reports).toEqual([{ id: String(mailing.id), name: "Winter", subject: "Winter", started: 1700000000, finished: expect.any(Number) }]);
    expect(await fake.client.ok("ListReports", { start: 1800000000, end: 1800000001 })).toEqual([]);
    expect((await fake.client.ok<unknown[]>("ListReports", { group_id: group.id })).length).toBe(1);
    expect(await fake.client.ok("ListReports", { group_id: fake.seed.group("Other").id })).toEqual([]);
    const who = async (reaction: string, extra: Record<string, unknown> = {}): Promise<string[]> =>
      (await fake.client.ok<Array<{ email: string }>>("ListReportReceivers", { report_id: mailing.id, reaction, ...extra })).map((r) => r.email);
    expect(await who("opened")).toEqual(["a@example.com"]);
    expect(await who("clicked")).toEqual(["a@example.com"]);
    expect(await who("bounced")).toEqual(["b@example.com"]);
    expect(await who("unsubscribed")).toEqual(["a@example.com"]);
    expect(await who("unsubscribed", { from: at + 11 })).toEqual([]);
    expect((await fake.client.call("ListReportReceivers", { report_id: mailing.id, reaction: "liked" })).status).toBe(400);
    expect((await fake.client.call("ListReportReceivers", { report_id: 1, reaction: "opened" })).status).toBe(404);
    expect((await fake.client.call("ListReportReceivers", { report_id: mailing.id, reaction: "opened", pagesize: 500 })).status).toBe(200);
    expect((await fake.client.call("ListReportReceivers", { report_id: mailing.id, reaction: "opened", pagesize: 501 })).status).toBe(400);
    expect((await fake.client.call("ListReports", { pagesize: 101 })).status).toBe(400);
    // The explorer's parameter texts: start "requires end date", end "requires start date".
    expect((await fake.client.call("ListReports", { start: 1699999999 })).status).toBe(400);
    expect((await fake.client.call("ListReports", { end: 1700000001 })).status).toBe(400);
  });
});

describe("fake CleverReach: double opt-in through a form", () => {
  test("sends the activation and deactivation mail for an existing receiver of the form's group", async () => {
    const form = fake.seed.form("Newsletter sign-up", group.id);
    fake.seed.receivers(group.id, [{ email: "ann@example.com" }]);
    expect(await fake.client.ok("ListForms")).toEqual([{ id: String(form.id), name: "Newsletter sign-up", customer_tables_id: String(group.id) }]);
    const doidata = { user_ip: "10.0.0.1", referer: "https://crm.example.com", user_agent: "Power Automate" };
    expect(await fake.client.ok("SendDoubleOptInMail", { form_id: form.id }, { email: "ann@example.com", doidata })).toEqual({ success: true });
    expect(await fake.client.ok("SendDoubleOptOutMail", { form_id: form.id }, { email: "ann@example.com" })).toEqual({ success: true });
    expect(fake.server.store.sentFormMails.map((m) => [m.kind, m.email, m.groupId])).toEqual([
      ["activate", "ann@example.com", group.id],
      ["deactivate", "ann@example.com", group.id],
    ]);
    // Sending the mail does not change the receiver; only the person's click would.
    expect(fake.server.store.receiver(group.id, "ann@example.com").activated).toBe(0);
  });

  test("a group's forms; refused: a form of another group, a blacklisted or unsubscribed address; every send is a mail; the click activates", async () => {
    const form = fake.seed.form("Sign-up", group.id);
    const other = fake.seed.group("Other");
    fake.seed.form("Other sign-up", other.id);
    expect(await fake.client.ok("ListGroupForms", { group_id: group.id })).toEqual([
      { id: String(form.id), name: "Sign-up", customer_tables_id: String(group.id) },
    ]);
    expect((await fake.client.call("ListGroupForms", { group_id: 1 })).status).toBe(404);
    fake.seed.receivers(group.id, [{ email: "ann@example.com" }, { email: "ben@example.com" }, { email: "cy@example.com" }]);
    fake.seed.receivers(other.id, [{ email: "ann@example.com" }]);
    expect((await fake.client.call("SendDoubleOptInMail", { form_id: form.id }, { email: "ann@example.com", groups_id: other.id })).status).toBe(400);
    fake.seed.unsubscribe(group.id, "ben@example.com");
    expect((await fake.client.call("SendDoubleOptInMail", { form_id: form.id }, { email: "ben@example.com" })).status).toBe(400);
    await fake.client.ok("AddToBlacklist", {}, { email: "cy@example.com" });
    expect((await fake.client.call("SendDoubleOptInMail", { form_id: form.id }, { email: "cy@example.com" })).status).toBe(400);
    expect(fake.server.store.sentFormMails).toEqual([]);
    expect(() => fake.seed.confirm(group.id, "ann@example.com")).toThrow(/no confirmation mail/);
    await fake.client.ok("SendDoubleOptInMail", { form_id: form.id }, { email: "ann@example.com" });
    await fake.client.ok("SendDoubleOptInMail", { form_id: form.id }, { email: "ann@example.com" });
    expect(fake.server.store.sentFormMails).toHaveLength(2);
    expect(fake.seed.confirm(group.id, "ann@example.com").activated).toBeGreaterThan(0);
  });

  test("one form read; a group's form created from the default template: its id alone answered, then listed with the group; refused: another template, no name, an unknown group", async () => {
    const form = fake.seed.form("Sign-up", group.id);
    expect(await fake.client.ok("GetForm", { form_id: form.id })).toEqual({ id: String(form.id), name: "Sign-up", customer_tables_id: String(group.id) });
    expect((await fake.client.call("GetForm", { form_id: 1 })).status).toBe(404);
    const other = fake.seed.group("Other");
    const made = (await fake.client.ok("CreateFormFromTemplate", { group_id: other.id, template: "default" }, { name: "Sign-up", title: "Sign-up" })) as {
      id: string;
    };
    expect(Object.keys(made)).toEqual(["id"]);
    expect(await fake.client.ok("ListGroupForms", { group_id: other.id })).toEqual([{ id: made.id, name: "Sign-up", customer_tables_id: String(other.id) }]);
    // A second form of the same name is made (no source says CleverReach refuses it): a flow must not create twice.
    await fake.client.ok("CreateFormFromTemplate", { group_id: other.id, template: "default" }, { name: "Sign-up", title: "Sign-up" });
    expect(await fake.client.ok("ListGroupForms", { group_id: other.id })).toHaveLength(2);
    expect((await fake.client.call("CreateFormFromTemplate", { group_id: other.id, template: "default" }, { name: " ", title: "x" })).status).toBe(400);
    expect((await fake.client.call("CreateFormFromTemplate", { group_id: 1, template: "default" }, { name: "x", title: "x" })).status).toBe(404);
    // The connector's enum already refuses other templates before the fake's own check.
    expect((await fake.client.call("CreateFormFromTemplate", { group_id: other.id, template: "blank" }, { name: "x", title: "x" })).status).toBe(400);
    // The new form sends its group's confirmation mails.
    fake.seed.receivers(other.id, [{ email: "ann@example.com" }]);
    await fake.client.ok("SendDoubleOptInMail", { form_id: Number(made.id) }, { email: "ann@example.com" });
    expect(fake.server.store.sentFormMails.map((m) => [m.formId, m.groupId])).toEqual([[Number(made.id), other.id]]);
  });

  test("404 for an unknown form or a person not in the group; 400 for unknown consent fields", async () => {
    const form = fake.seed.form("Sign-up", group.id);
    expect((await fake.client.call("SendDoubleOptInMail", { form_id: 1 }, { email: "ann@example.com" })).status).toBe(404);
    expect((await fake.client.call("SendDoubleOptInMail", { form_id: form.id }, { email: "ann@example.com" })).status).toBe(404);
    expect((await fake.client.call("SendDoubleOptInMail", { form_id: form.id }, { email: "ann@example.com", doidata: { ip: "x" } })).status).toBe(400);
  });
});

describe("fake CleverReach: blacklist", () => {
  test("add, list, remove; removing an address not listed is 404", async () => {
    expect(await fake.client.ok("AddToBlacklist", {}, { email: "spam@example.com", comment: "asked by phone" })).toMatchObject({
      email: "spam@example.com",
      comment: "asked by phone",
    });
    expect((await fake.client.ok<Array<{ email: string }>>("ListBlacklist")).map((b) => b.email)).toEqual(["spam@example.com"]);
    expect(await fake.client.ok("RemoveFromBlacklist", { email: "spam@example.com" })).toBe(true);
    expect(await fake.client.ok("ListBlacklist")).toEqual([]);
    expect((await fake.client.call("RemoveFromBlacklist", { email: "spam@example.com" })).status).toBe(404);
    expect((await fake.client.call("AddToBlacklist", {}, { comment: "no address" })).status).toBe(400);
  });
});
