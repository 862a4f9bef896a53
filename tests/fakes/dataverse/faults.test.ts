import { FakeDataverse } from "./fakeDataverse";
import { errorMessage, get, post } from "./testRequests";

describe("fake Dataverse: fault injection and call counting", () => {
  it("failNext fails the next n calls with the given status, then recovers", async () => {
    const dv = new FakeDataverse();
    dv.failNext(2, 503);
    expect((await get(dv, "contacts")).status).toBe(503);
    expect((await post(dv, "contacts", { lastname: "X" })).status).toBe(503);
    expect(dv.rows("contact")).toHaveLength(0);
    expect((await post(dv, "contacts", { lastname: "X" })).status).toBe(204);
    expect(dv.calls.map((c) => [c.operation, c.status])).toEqual([
      ["ListRecords", 503],
      ["CreateRecord", 503],
      ["CreateRecord", 204],
    ]);
  });

  it("a queued 429 carries Retry-After and the service-protection error", async () => {
    const dv = new FakeDataverse();
    dv.failNext(1, 429);
    const res = await get(dv, "contacts");
    expect(res.status).toBe(429);
    expect(res.headers["Retry-After"]).toBe("5");
    expect(errorMessage(res)).toMatch(/Number of requests exceeded the limit/);
  });

  it("throttles a seeded share of calls with 429, the same calls every run", async () => {
    const run = async (): Promise<number[]> => {
      const dv = new FakeDataverse();
      dv.throttle({ share: 0.3, retryAfterSeconds: 2, seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) statuses.push((await get(dv, "contacts")).status);
      dv.throttle(undefined);
      expect((await get(dv, "contacts")).status).toBe(200);
      return statuses;
    };
    const first = await run();
    const throttledShare = first.filter((s) => s === 429).length / first.length;
    expect(throttledShare).toBeGreaterThan(0.2);
    expect(throttledShare).toBeLessThan(0.4);
    expect(await run()).toEqual(first);
  });

  it("counts calls per connector operation and can reset", async () => {
    const dv = new FakeDataverse();
    await post(dv, "accounts", { name: "A" });
    await get(dv, "accounts");
    await get(dv, "nosuch");
    expect(dv.callCount()).toBe(3);
    expect(dv.callCount("CreateRecord")).toBe(1);
    expect(dv.callCount("ListRecords")).toBe(1);
    expect(dv.callCount("Unknown")).toBe(1);
    dv.resetCalls();
    expect(dv.callCount()).toBe(0);
  });
});
