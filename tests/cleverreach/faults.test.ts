import { startFakeCleverReach, type FakeCleverReach } from "../fakes/cleverreach";

let fake: FakeCleverReach;
beforeEach(async () => {
  fake = await startFakeCleverReach();
});
afterEach(() => fake.stop());

describe("fake CleverReach: fault injection", () => {
  test("429 without Retry-After (no source shows the header), then normal answers again", async () => {
    fake.server.injectFault({ kind: "status", status: 429, times: 2 });
    const first = await fake.client.call("ListGroups");
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBeNull();
    expect((await fake.client.call("ListGroups")).status).toBe(429);
    expect((await fake.client.call("ListGroups")).status).toBe(200);
  });

  test("500 only for the named operation", async () => {
    fake.server.injectFault({ kind: "status", status: 500, operationId: "UpsertReceivers" });
    const g = fake.seed.group("G");
    expect((await fake.client.call("ListGroups")).status).toBe(200);
    expect((await fake.client.call("UpsertReceivers", { group_id: g.id }, [{ email: "a@example.com" }])).status).toBe(500);
    expect(fake.server.store.groupReceivers(g.id).size).toBe(0);
    expect((await fake.client.call("UpsertReceivers", { group_id: g.id }, [{ email: "a@example.com" }])).status).toBe(200);
  });

  test("a timeout never answers; the caller's own timeout fires", async () => {
    fake.server.injectFault({ kind: "timeout", holdMs: 5_000 });
    const started = Date.now();
    await expect(
      fetch(`${fake.server.baseUrl}/groups`, { headers: { authorization: `Bearer ${fake.token}` }, signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await fake.client.call("ListGroups")).status).toBe(200);
  });

  test("authentication is checked before an injected fault, so a call without a token never looks like a server error", async () => {
    fake.server.injectFault({ kind: "status", status: 500 });
    expect((await fake.client.withToken(undefined).call("ListGroups")).status).toBe(401);
    expect((await fake.client.call("ListGroups")).status).toBe(500);
  });

  test("clearing faults restores normal answers", async () => {
    fake.server.injectFault({ kind: "status", status: 503, times: 100 });
    fake.server.faults.clear();
    expect((await fake.client.call("ListGroups")).status).toBe(200);
  });
});
