import { startFakeCleverReach, type FakeCleverReach, type Group } from "../fakes/cleverreach";
import { GROUP_NAME_LIMIT } from "../fakes/cleverreach/handlers";

let fake: FakeCleverReach;
beforeEach(async () => {
  fake = await startFakeCleverReach();
});
afterEach(() => fake.stop());

const raw = (method: string, path: string, body?: string, token?: string): Promise<Response> =>
  fetch(`${fake.server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token ?? fake.token}`, "content-type": "application/json" },
    ...(body !== undefined ? { body } : {}),
  });

describe("fake CleverReach: groups", () => {
  test("create, get, list, rename, describe, delete; ids as text and unix-second stamps (getAllGroups.json)", async () => {
    const before = Math.floor(Date.now() / 1000);
    const g = await fake.client.ok<Omit<Group, "id"> & { id: string }>("CreateGroup", {}, { name: "CRM - Spring", receiver_info: "Spring campaign" });
    expect(g.id).toEqual(expect.stringMatching(/^\d+$/));
    // createGroup.json: a group created with a name only comes back unlocked and with backup on.
    expect(g).toMatchObject({ locked: false, backup: true });
    expect(g.stamp).toBeGreaterThanOrEqual(before);
    expect(g.stamp).toBeLessThan(before + 10);
    expect(await fake.client.ok("GetGroup", { group_id: g.id })).toEqual(g);
    const renamed = await fake.client.ok<Group>(
      "UpdateGroup",
      { group_id: g.id },
      { name: "CRM - Summer", receiver_info: "Spring campaign", locked: false, backup: true },
    );
    expect(renamed).toMatchObject({ id: g.id, name: "CRM - Summer", receiver_info: "Spring campaign" });
    expect((await fake.client.ok<Group[]>("ListGroups")).map((x) => x.name)).toEqual(["CRM - Summer"]);
    expect(await fake.client.ok("DeleteGroup", { group_id: g.id })).toBe(true);
    expect((await fake.client.call("GetGroup", { group_id: g.id })).status).toBe(404);
  });

  test("404 for unknown groups on every group operation", async () => {
    for (const [op, body] of [
      ["GetGroup"],
      ["UpdateGroup", { name: "x", receiver_info: "", locked: false, backup: true }],
      ["DeleteGroup"],
      ["GetGroupStats"],
      ["ListGroupReceivers"],
      ["UpsertReceivers", [{ email: "a@example.com" }]],
    ] as const) {
      const a = await fake.client.call(op, { group_id: 999999 }, body);
      expect({ op, status: a.status }).toEqual({ op, status: 404 });
    }
  });

  test("PUT on a group takes only the whole group (no source shows a partial body is accepted)", async () => {
    const g = fake.seed.group("G", { locked: true, receiver_info: "About" });
    for (const partial of [{ locked: false }, { name: "H" }, { name: "H", receiver_info: "About", locked: false }]) {
      const a = await fake.client.call<{ error: { message: string } }>("UpdateGroup", { group_id: g.id }, partial);
      expect({ partial, status: a.status }).toEqual({ partial, status: 400 });
    }
    expect(fake.server.store.group(g.id)).toMatchObject({ name: "G", locked: true });
    const unlocked = await fake.client.ok("UpdateGroup", { group_id: g.id }, { name: "G", receiver_info: "About", locked: false, backup: true });
    expect(unlocked).toMatchObject({ name: "G", receiver_info: "About", locked: false, backup: true });
  });

  test("a locked group is not deleted until it is unlocked; its receivers and name may change (deletion protection, handlers.ts DeleteGroup)", async () => {
    const g = fake.seed.group("G", { locked: true });
    expect((await fake.client.call("DeleteGroup", { group_id: g.id })).status).toBe(400);
    await fake.client.ok("UpsertReceivers", { group_id: g.id }, [{ email: "a@example.com" }]);
    expect(await fake.client.ok("DeleteGroupReceiver", { group_id: g.id, pool_id: "a@example.com" })).toBe(true);
    await fake.client.ok("UpdateGroup", { group_id: g.id }, { name: "G2", receiver_info: "", locked: true, backup: true });
    await fake.client.ok("UpdateGroup", { group_id: g.id }, { name: "G", receiver_info: "", locked: true, backup: true });
    expect(fake.server.store.groups.has(g.id)).toBe(true);
    await fake.client.ok("UpdateGroup", { group_id: g.id }, { name: "G", receiver_info: "", locked: false, backup: true });
    expect(await fake.client.ok("DeleteGroup", { group_id: g.id })).toBe(true);
  });

  test("a group name longer than GROUP_NAME_LIMIT, or empty, is refused, not cut (no source; the stricter choice)", async () => {
    expect((await fake.client.call("CreateGroup", {}, { name: "x".repeat(GROUP_NAME_LIMIT + 1) })).status).toBe(400);
    expect((await fake.client.call("CreateGroup", {}, { name: " " })).status).toBe(400);
    const g = await fake.client.ok<{ id: string }>("CreateGroup", {}, { name: "x".repeat(GROUP_NAME_LIMIT) });
    const rename = await fake.client.call(
      "UpdateGroup",
      { group_id: Number(g.id) },
      { name: "y".repeat(GROUP_NAME_LIMIT + 1), receiver_info: "", locked: false, backup: true },
    );
    expect(rename.status).toBe(400);
    expect(fake.server.store.groups.size).toBe(1);
    expect(fake.server.store.group(Number(g.id)).name).toBe("x".repeat(GROUP_NAME_LIMIT));
  });

  test("groups sort only by created or changed (SDK GroupSortField)", async () => {
    fake.seed.group("A", { stamp: 20, last_changed: 30 });
    fake.seed.group("B", { stamp: 10, last_changed: 40 });
    const names = async (order: string): Promise<string[]> => (await fake.client.ok<Group[]>("ListGroups", { order })).map((g) => g.name);
    expect(await names("created")).toEqual(["B", "A"]);
    expect(await names("changed DESC")).toEqual(["B", "A"]);
    expect((await fake.client.call("ListGroups", { order: "name ASC" })).status).toBe(400);
  });

  test("deleting a group deletes its receivers and group attributes", async () => {
    const g = fake.seed.group("G");
    fake.seed.attribute(g.id, "shoe_size");
    fake.seed.receivers(g.id, [{ email: "a@example.com" }]);
    await fake.client.ok("DeleteGroup", { group_id: g.id });
    expect(fake.server.store.receivers.has(g.id)).toBe(false);
    expect(fake.server.store.attributesOf(g.id)).toEqual([]);
  });

  test("stats count total, active, inactive and bounced receivers", async () => {
    const g = fake.seed.group("G");
    fake.seed.receivers(g.id, [{ email: "a@example.com", activated: 1 }, { email: "b@example.com", activated: 1 }, { email: "c@example.com" }]);
    fake.seed.unsubscribe(g.id, "b@example.com");
    fake.seed.bounce(g.id, "c@example.com");
    expect(await fake.client.ok("GetGroupStats", { group_id: g.id })).toMatchObject({ total_count: 3, active_count: 1, inactive_count: 2, bounce_count: 1 });
  });

  test("400 for malformed bodies: invalid JSON, missing name, unknown field, wrong type", async () => {
    expect((await raw("POST", "/groups", "{name:")).status).toBe(400);
    expect((await fake.client.call("CreateGroup", {}, {})).status).toBe(400);
    const unknown = await fake.client.call<{ error: { message: string } }>("CreateGroup", {}, { name: "x", colour: "red" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/colour is not a field CleverReach accepts/);
    expect((await fake.client.call("CreateGroup", {}, { name: 5 })).status).toBe(400);
    expect((await fake.client.call("CreateGroup", {}, [{ name: "x" }])).status).toBe(400);
    expect((await raw("POST", "/groups")).status).toBe(400);
  });

  test("refuses what the definition does not have: unknown paths, methods, query parameters, non-integer ids", async () => {
    expect((await raw("GET", "/groups/1/nothing")).status).toBe(404);
    expect((await raw("PATCH", "/groups")).status).toBe(405);
    expect((await raw("GET", "/groups?colour=red")).status).toBe(400);
    const g = fake.seed.group("G");
    expect((await raw("GET", "/groups/abc")).status).toBe(400);
    expect((await raw("DELETE", `/groups/${g.id}`, "{}")).status).toBe(400);
    expect(fake.server.store.groups.has(g.id)).toBe(true);
  });
});
