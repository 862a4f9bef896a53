import { startFakeCleverReach, type FakeCleverReach, type Group } from "../fakes/cleverreach";

interface ReceiverView {
  id: string;
  group_id: string;
  email: string;
  active: boolean;
  activated: number;
  deactivated: number;
  registered: number;
  attributes: Record<string, string>;
  global_attributes: Record<string, string>;
  events?: Array<{ type: string; mailing_id: unknown; groups_id: unknown }>;
  orders?: Array<{ order_id: string; quantity?: number }>;
  tags?: string[];
}

let fake: FakeCleverReach;
let group: Group;
beforeEach(async () => {
  fake = await startFakeCleverReach();
  group = fake.seed.group("CRM - Newsletter");
});
afterEach(() => fake.stop());

const upsert = (rows: unknown[], groupId = group.id): Promise<ReceiverView[]> => fake.client.ok<ReceiverView[]>("UpsertReceivers", { group_id: groupId }, rows);
const get = (poolId: string | number): Promise<ReceiverView> => fake.client.ok<ReceiverView>("GetGroupReceiver", { group_id: group.id, pool_id: poolId });
const people = (n: number, from = 0): Array<{ email: string }> => Array.from({ length: n }, (_, i) => ({ email: `p${from + i}@example.com` }));

describe("fake CleverReach: receivers", () => {
  test("upsert inserts new receivers inactive, with ids as text and times as numbers (recipientsMassUpdate.json)", async () => {
    const [r] = await upsert([{ email: "Ann@Example.com", registered: 1700000000 }]);
    expect(r).toMatchObject({
      email: "Ann@Example.com",
      registered: 1700000000,
      activated: 0,
      deactivated: 0,
      imported: 0,
      active: false,
      group_id: String(group.id),
    });
    expect(r?.id).toEqual(expect.stringMatching(/^\d+$/));
  });

  test("upsert matches by e-mail (case-insensitive) and keeps fields that are left out", async () => {
    fake.seed.attribute(0, "firstname");
    fake.seed.attribute(0, "lastname");
    fake.seed.attribute(group.id, "crm_id");
    const [first] = await upsert([
      {
        email: "ann@example.com",
        activated: 1700000000,
        source: "CRM",
        global_attributes: { firstname: "Ann", lastname: "Lee" },
        attributes: { crm_id: "c1" },
      },
    ]);
    const [second] = await upsert([{ email: "ANN@example.com", global_attributes: { lastname: "Smith" } }]);
    expect(second?.id).toBe(first?.id);
    expect(second).toMatchObject({
      activated: 1700000000,
      active: true,
      source: "CRM",
      attributes: { crm_id: "c1" },
      global_attributes: { firstname: "Ann", lastname: "Smith" },
    });
    expect(fake.server.store.groupReceivers(group.id).size).toBe(1);
  });

  test("an upsert without activation fields leaves a deactivated receiver deactivated", async () => {
    await upsert([{ email: "ann@example.com", activated: 1700000000 }]);
    const unsubscribed = fake.seed.unsubscribe(group.id, "ann@example.com");
    const [after] = await upsert([{ email: "ann@example.com", source: "CRM resync" }]);
    expect(after).toMatchObject({ active: false, deactivated: unsubscribed.deactivated, source: "CRM resync" });
    expect((await fake.client.ok<ReceiverView[]>("ListGroupReceivers", { group_id: group.id, type: "active" })).length).toBe(0);
  });

  test("once deactivated, neither deactivated: 0 nor a new activated time re-activates (integration core)", async () => {
    await upsert([{ email: "ann@example.com", activated: 1700000000 }]);
    const unsubscribed = fake.seed.unsubscribe(group.id, "ann@example.com");
    for (const row of [{ deactivated: 0 }, { activated: 1800000000 }, { activated: 1800000000, deactivated: 0 }]) {
      const [after] = await upsert([{ email: "ann@example.com", ...row }]);
      expect({ row, active: after?.active, deactivated: after?.deactivated }).toEqual({ row, active: false, deactivated: unsubscribed.deactivated });
    }
    expect(await fake.client.ok("ActivateGroupReceiver", { group_id: group.id, pool_id: "ann@example.com" })).toBe(true);
    expect((await get("ann@example.com")).active).toBe(false);
  });

  test("activated: 0 makes a receiver inactive; a later activated time re-activates one never deactivated (integration core)", async () => {
    await upsert([{ email: "ann@example.com", activated: 1700000000 }]);
    const [off] = await upsert([{ email: "ann@example.com", activated: 0 }]);
    expect(off).toMatchObject({ active: false, activated: 0, deactivated: 0 });
    const [on] = await upsert([{ email: "ann@example.com", activated: 1700000500 }]);
    expect(on).toMatchObject({ active: true, activated: 1700000500 });
  });

  test("a deactivated time sent by an integration is final too", async () => {
    const [r] = await upsert([{ email: "ann@example.com", registered: 1700000000, deactivated: 1700000000 }]);
    expect(r).toMatchObject({ active: false, deactivated: 1700000000 });
    const [again] = await upsert([{ email: "ann@example.com", activated: 1700000100 }]);
    expect(again).toMatchObject({ active: false, deactivated: 1700000000 });
  });

  test("a batch of 1000 is accepted, a batch of 1001 is refused with 413 (integration core) and changes nothing", async () => {
    expect(await upsert(people(1000))).toHaveLength(1000);
    const tooMany = await fake.client.call<{ error: { message: string } }>("UpsertReceivers", { group_id: group.id }, people(1001, 5000));
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.message).toMatch(/at most 1000 entries per call \(it has 1001\)/);
    expect(fake.server.store.groupReceivers(group.id).size).toBe(1000);
  });

  test("an empty batch, a row without e-mail, an invalid address or an unknown field is refused", async () => {
    for (const body of [[], [{ source: "x" }], [{ email: "not-an-address" }], [{ email: "a@example.com", firstname: "Ann" }], { email: "a@example.com" }]) {
      const a = await fake.client.call("UpsertReceivers", { group_id: group.id }, body);
      expect({ body, status: a.status }).toEqual({ body, status: 400 });
    }
    expect(fake.server.store.groupReceivers(group.id).size).toBe(0);
  });

  test("paging (page from 0, pagesize ≤ 5000) returns every receiver exactly once", async () => {
    fake.seed.receivers(group.id, people(1234));
    const seen: string[] = [];
    for (let page = 0; ; page++) {
      const rows = await fake.client.ok<ReceiverView[]>("ListGroupReceivers", { group_id: group.id, page, pagesize: 500 });
      seen.push(...rows.map((r) => r.email));
      if (rows.length < 500) break;
    }
    expect(seen).toHaveLength(1234);
    expect(new Set(seen).size).toBe(1234);
    expect((await fake.client.ok<ReceiverView[]>("ListGroupReceivers", { group_id: group.id })).length).toBe(50);
    expect((await fake.client.call("ListGroupReceivers", { group_id: group.id, pagesize: 5001 })).status).toBe(400);
    expect((await fake.client.call("ListGroupReceivers", { group_id: group.id, page: -1 })).status).toBe(400);
  });

  test("list filters: type, email_list, id_list", async () => {
    const rows = fake.seed.receivers(group.id, [
      { email: "a@example.com", activated: 1 },
      { email: "b@example.com" },
      { email: "c@example.com", activated: 1 },
    ]);
    fake.seed.bounce(group.id, "c@example.com");
    const emails = async (args: Record<string, unknown>): Promise<string[]> =>
      (await fake.client.ok<ReceiverView[]>("ListGroupReceivers", { group_id: group.id, ...args })).map((r) => r.email);
    expect(await emails({ type: "active" })).toEqual(["a@example.com", "c@example.com"]);
    expect(await emails({ type: "inactive" })).toEqual(["b@example.com"]);
    expect(await emails({ type: "bounce" })).toEqual(["c@example.com"]);
    expect(await emails({ email_list: "B@example.com,c@example.com" })).toEqual(["b@example.com", "c@example.com"]);
    expect(await emails({ id_list: String(rows[0]?.id) })).toEqual(["a@example.com"]);
    expect((await fake.client.call("ListGroupReceivers", { group_id: group.id, type: "everyone" })).status).toBe(400);
  });

  test("get by id or e-mail, update, activate, deactivate, delete; 404 for unknown receivers", async () => {
    const [r] = await upsert([{ email: "ann@example.com" }]);
    expect((await get(r?.id as string)).email).toBe("ann@example.com");
    expect((await get("ann@example.com")).id).toBe(r?.id);
    expect(await fake.client.ok("ActivateGroupReceiver", { group_id: group.id, pool_id: "ann@example.com" })).toBe(true);
    expect((await get("ann@example.com")).active).toBe(true);
    expect(await fake.client.ok("DeactivateGroupReceiver", { group_id: group.id, pool_id: r?.id })).toBe(true);
    expect((await get("ann@example.com")).active).toBe(false);
    const changed = await fake.client.ok<ReceiverView>("UpdateGroupReceiver", { group_id: group.id, pool_id: r?.id }, { source: "CRM", tags: ["vip"] });
    expect(changed).toMatchObject({ id: r?.id, email: "ann@example.com", source: "CRM", tags: ["vip"], active: false });
    // rdoepner sends source, attributes, global_attributes and tags; an e-mail change has its own call upstream.
    for (const body of [{ email: "ann.lee@example.com" }, { activated: 1700000000 }, { deactivated: 1700000000 }]) {
      expect({ body, status: (await fake.client.call("UpdateGroupReceiver", { group_id: group.id, pool_id: r?.id }, body)).status }).toEqual({
        body,
        status: 400,
      });
    }
    expect(await fake.client.ok("DeleteGroupReceiver", { group_id: group.id, pool_id: "ann@example.com" })).toBe(true);
    for (const op of ["GetGroupReceiver", "ActivateGroupReceiver", "DeactivateGroupReceiver", "DeleteGroupReceiver"]) {
      expect({ op, status: (await fake.client.call(op, { group_id: group.id, pool_id: "ann@example.com" })).status }).toEqual({ op, status: 404 });
    }
    expect((await fake.client.call("GetReceiver", { pool_id: "nobody@example.com" })).status).toBe(404);
  });

  test("global attributes are shared across groups; group attributes stay in their group; unknown keys are not stored", async () => {
    fake.seed.attribute(0, "firstname");
    fake.seed.attribute(group.id, "crm_id");
    const other = fake.seed.group("Other");
    await upsert([
      { email: "ann@example.com", global_attributes: { firstname: "Ann", nickname: "A" }, attributes: { crm_id: "c1", firstname: "wrong place" } },
    ]);
    const [inOther] = await upsert([{ email: "ann@example.com", attributes: { crm_id: "c2" } }], other.id);
    expect(inOther).toMatchObject({ global_attributes: { firstname: "Ann" }, attributes: {} });
    expect(await get("ann@example.com")).toMatchObject({ global_attributes: { firstname: "Ann" }, attributes: { crm_id: "c1" } });
  });

  test("events, orders and tags: in lists with detail bits 1, 2 and 4, always for one receiver, and from their own operations", async () => {
    await upsert([
      {
        email: "ann@example.com",
        activated: 1,
        tags: ["crm"],
        orders: [{ order_id: "SO-1", product_id: "P1", price: 9.5, quantity: 2, product_source: "Shop" }],
      },
    ]);
    fake.seed.unsubscribe(group.id, "ann@example.com", 77);
    const list = async (detail: number): Promise<ReceiverView | undefined> =>
      (await fake.client.ok<ReceiverView[]>("ListGroupReceivers", { group_id: group.id, detail }))[0];
    expect((await list(0))?.events).toBeUndefined();
    const full = await list(7);
    expect(full?.events?.map((e) => e.type)).toEqual(["user_unsubscribe"]);
    expect(full?.orders?.map((o) => o.order_id)).toEqual(["SO-1"]);
    expect(full?.tags).toEqual(["crm"]);
    // recipientInfo.json: one receiver's answer carries all three without any detail parameter.
    expect(await get("ann@example.com")).toMatchObject({
      tags: ["crm"],
      events: [expect.objectContaining({ type: "user_unsubscribe" })],
      orders: [expect.objectContaining({ order_id: "SO-1" })],
    });
    expect(await fake.client.ok("ListReceiverEvents", { pool_id: "ann@example.com", group_id: group.id })).toEqual([
      expect.objectContaining({ type: "user_unsubscribe", mailing_id: "77", groups_id: String(group.id) }),
    ]);
    expect(await fake.client.ok("ListReceiverOrders", { pool_id: "ann@example.com" })).toEqual([
      expect.objectContaining({ order_id: "SO-1", quantity: 2, product_source: "Shop" }),
    ]);
    expect((await fake.client.ok<ReceiverView>("GetReceiver", { pool_id: "ann@example.com" })).events).toHaveLength(1);
  });
});
