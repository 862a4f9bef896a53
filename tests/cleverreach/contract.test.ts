import { listOperations, loadSwagger } from "../../connector/src/operations";
import { checkValue } from "../../connector/src/validate";
import { handlers } from "../fakes/cleverreach/handlers";
import { startFakeCleverReach } from "../fakes/cleverreach";

const doc = loadSwagger();

describe("fake CleverReach and the connector definition cannot drift", () => {
  test("the fake answers exactly the operations the connector defines", () => {
    expect(Object.keys(handlers).sort()).toEqual(
      listOperations(doc)
        .map((o) => o.operationId)
        .sort(),
    );
  });

  test("the answer check catches drift: a numeric group id (CleverReach sends text), an unknown field, a value outside the enum", () => {
    expect(checkValue(doc, { $ref: "#/definitions/Group" }, { id: 1155236, name: "x" })).toEqual(["body.id must be a string"]);
    expect(checkValue(doc, { $ref: "#/definitions/ReceiverInput" }, { email: "a@example.com", active: true })).toEqual([
      "body.active is not a field CleverReach accepts here",
    ]);
    expect(checkValue(doc, { $ref: "#/definitions/AttributeInput" }, { name: "a", type: "colour" })).toEqual([
      "body.type must be one of text, number, gender, date",
    ]);
  });

  test("every operation, driven through the fake with swagger-built requests, answers 200 with a body that fits its schema", async () => {
    const fake = await startFakeCleverReach();
    try {
      const { client, seed } = fake;
      const g = seed.group("Seeded");
      seed.receivers(g.id, [{ email: "ann@example.com", activated: 1 }]);
      const mailing = seed.mailing("Sent one", "finished");
      seed.report(mailing, g.id, { opened: [{ email: "ann@example.com", stamp: 1 }] });
      const form = seed.form("Form", g.id);
      const calls: Array<[string, Record<string, unknown>, unknown?]> = [
        ["GetAccount", {}],
        ["GetTokenLifetime", {}],
        ["ListGroups", { order: "changed DESC" }],
        ["CreateGroup", {}, { name: "New" }],
        ["GetGroup", { group_id: g.id }],
        ["UpdateGroup", { group_id: g.id }, { name: "Seeded", receiver_info: "About", locked: false, backup: true }],
        ["GetGroupStats", { group_id: g.id }],
        ["UpsertReceivers", { group_id: g.id }, [{ email: "bob@example.com", tags: ["x"] }]],
        ["ListGroupReceivers", { group_id: g.id, detail: 7 }],
        ["GetGroupReceiver", { group_id: g.id, pool_id: "bob@example.com" }],
        ["UpdateGroupReceiver", { group_id: g.id, pool_id: "bob@example.com" }, { source: "CRM" }],
        ["ActivateGroupReceiver", { group_id: g.id, pool_id: "bob@example.com" }],
        ["DeactivateGroupReceiver", { group_id: g.id, pool_id: "bob@example.com" }],
        ["GetReceiver", { pool_id: "bob@example.com", group_id: g.id }],
        ["ListReceiverEvents", { pool_id: "bob@example.com" }],
        ["ListReceiverOrders", { pool_id: "bob@example.com" }],
        ["DeleteGroupReceiver", { group_id: g.id, pool_id: "bob@example.com" }],
        ["CreateGlobalAttribute", {}, { name: "firstname", type: "text" }],
        ["CreateGroupAttribute", { group_id: g.id }, { name: "crm_id", type: "text" }],
        ["ListAttributes", { group_id: g.id }],
        ["ListMailings", {}],
        ["GetMailing", { mailing_id: mailing.id }],
        ["ListReports", {}],
        ["ListReportReceivers", { report_id: mailing.id, reaction: "opened", detail: 1 }],
        ["ListForms", {}],
        ["ListGroupForms", { group_id: g.id }],
        ["GetForm", { form_id: form.id }],
        ["CreateFormFromTemplate", { group_id: g.id, template: "default" }, { name: "Double opt-in", title: "Double opt-in" }],
        ["SendDoubleOptInMail", { form_id: form.id }, { email: "ann@example.com" }],
        ["SendDoubleOptOutMail", { form_id: form.id }, { email: "ann@example.com" }],
        ["AddToBlacklist", {}, { email: "x@example.com" }],
        ["ListBlacklist", {}],
        ["RemoveFromBlacklist", { email: "x@example.com" }],
        ["DeleteGroup", { group_id: g.id }],
      ];
      for (const [op, args, body] of calls) {
        const a = await client.call(op, args, body);
        // A drifted answer comes back as 500 with the schema problems in the message.
        expect({ op, status: a.status, body: a.status === 200 ? "ok" : a.body }).toEqual({ op, status: 200, body: "ok" });
      }
      const exercised = new Set(fake.server.requests.map((r) => r.operationId));
      expect([...exercised].sort()).toEqual(
        listOperations(doc)
          .map((o) => o.operationId)
          .sort(),
      );
    } finally {
      await fake.stop();
    }
  });
});
