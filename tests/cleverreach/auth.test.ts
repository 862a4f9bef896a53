import { startFakeCleverReach, type FakeCleverReach } from "../fakes/cleverreach";

let fake: FakeCleverReach;
beforeEach(async () => {
  fake = await startFakeCleverReach();
});
afterEach(() => fake.stop());

describe("fake CleverReach: authentication", () => {
  test("listens on loopback with a random port", () => {
    expect(fake.server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v3$/);
  });

  test("401 without a bearer token, with an unknown one, and with an expired one", async () => {
    expect((await fake.client.withToken(undefined).call("ListGroups")).status).toBe(401);
    expect((await fake.client.withToken("nope").call("ListGroups")).status).toBe(401);
    const short = fake.server.issueToken(60);
    fake.server.store.now = () => Math.floor(Date.now() / 1000) + 120;
    const expired = await fake.client.withToken(short).call("ListGroups");
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ error: { code: 401, message: "Unauthorized: token expired" } });
  });

  test("a revoked token is refused", async () => {
    fake.server.revokeToken(fake.token);
    expect((await fake.client.call("GetAccount")).status).toBe(401);
  });

  test("whoami and token lifetime", async () => {
    const account = await fake.client.ok<{ id: number; email: string }>("GetAccount");
    expect(Number.isInteger(account.id)).toBe(true);
    const ttl = await fake.client.withToken(fake.server.issueToken(3600)).ok<{ ttl: number }>("GetTokenLifetime");
    expect(ttl.ttl).toBeGreaterThan(3590);
    expect(ttl.ttl).toBeLessThanOrEqual(3600);
  });

  test("client credentials and refresh at /oauth/token.php give working tokens", async () => {
    fake.server.setClientCredentials("cid", "csecret");
    const post = (body: string, headers: Record<string, string> = {}): Promise<Response> =>
      fetch(`${fake.server.origin}/oauth/token.php`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body });
    expect((await post("grant_type=client_credentials&client_id=cid&client_secret=wrong")).status).toBe(401);
    const basic = `Basic ${Buffer.from("cid:csecret").toString("base64")}`;
    const granted = (await (await post("grant_type=client_credentials", { authorization: basic })).json()) as { access_token: string; refresh_token: string; expires_in: number };
    expect(granted.expires_in).toBeGreaterThan(0);
    expect((await fake.client.withToken(granted.access_token).call("ListGroups")).status).toBe(200);
    const refreshed = (await (await post(`grant_type=refresh_token&client_id=cid&client_secret=csecret&refresh_token=${granted.refresh_token}`)).json()) as { access_token: string };
    expect((await fake.client.withToken(refreshed.access_token).call("ListGroups")).status).toBe(200);
    expect((await fake.client.withToken(granted.access_token).call("ListGroups")).status).toBe(401);
  });
});
