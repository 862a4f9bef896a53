import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadSwagger } from "../../connector/src/operations";
import { startFakeCleverReach, type FakeCleverReach } from "../fakes/cleverreach";

const CONNECTOR = join(__dirname, "..", "..", "connector");
const apiProperties = JSON.parse(readFileSync(join(CONNECTOR, "apiProperties.json"), "utf8")) as {
  properties: { connectionParameters: { token: { oAuthSettings: { customParameters: Record<string, { value: string }> } } } };
};
const REDIRECT = "https://global.consent.azure-apim.net/redirect";

/**
 * How Power Platform's generic OAuth 2 provider opens the sign-in page: the connector's
 * authorization URL with the standard parameters after it. A URL that already carries a query ends
 * in `&` (certified Revizto and Soft1 connectors), so the platform's parameters follow it.
 */
function platformAuthorizeUrl(authorizationUrl: string, params: Record<string, string>): string {
  const joiner = /[?&]$/.test(authorizationUrl) ? "" : authorizationUrl.includes("?") ? "&" : "?";
  return `${authorizationUrl}${joiner}${new URLSearchParams(params).toString()}`;
}

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

  test("whoami (id as text, as in the integration core's getUserInfo.json) and token lifetime", async () => {
    const account = await fake.client.ok<{ id: unknown; email: string }>("GetAccount");
    expect(account.id).toEqual(expect.stringMatching(/^\d+$/));
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
    const granted = (await (await post("grant_type=client_credentials", { authorization: basic })).json()) as {
      access_token: string;
      refresh_token: string;
      expires_in: number;
    };
    expect(granted.expires_in).toBeGreaterThan(0);
    expect((await fake.client.withToken(granted.access_token).call("ListGroups")).status).toBe(200);
    const refreshed = (await (await post(`grant_type=refresh_token&client_id=cid&client_secret=csecret&refresh_token=${granted.refresh_token}`)).json()) as {
      access_token: string;
    };
    expect((await fake.client.withToken(refreshed.access_token).call("ListGroups")).status).toBe(200);
    expect((await fake.client.withToken(granted.access_token).call("ListGroups")).status).toBe(401);
  });
});

describe("a maker creates a connection (finding 1: grant=basic)", () => {
  /** Sign-in as the platform does it with the committed apiProperties.json, then the code exchange. */
  async function connect(): Promise<{ status: number; token?: string; error?: unknown }> {
    fake.server.setClientCredentials("cid", "csecret");
    const { authorizationUrl, tokenUrl } = apiProperties.properties.connectionParameters.token.oAuthSettings.customParameters;
    const toFake = (u: string): string => u.replace("https://rest.cleverreach.com", fake.server.origin);
    const signIn = platformAuthorizeUrl(toFake(authorizationUrl?.value ?? ""), {
      client_id: "cid",
      response_type: "code",
      redirect_uri: REDIRECT,
      state: "s1",
    });
    const page = await fetch(signIn, { redirect: "manual" });
    if (page.status !== 302) return { status: page.status, error: await page.json() };
    const back = new URL(page.headers.get("location") ?? "");
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get("state")).toBe("s1");
    const form = new URLSearchParams({
      grant_type: "authorization_code",
      client_id: "cid",
      client_secret: "csecret",
      code: back.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT,
    });
    const res = await fetch(toFake(tokenUrl?.value ?? ""), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    const body = (await res.json()) as { access_token?: string };
    return { status: res.status, ...(body.access_token ? { token: body.access_token } : { error: body }) };
  }

  test("the sign-in URL built from apiProperties.json carries grant=basic, and the connection works", async () => {
    const result = await connect();
    expect({ status: result.status, error: result.error }).toEqual({ status: 200, error: undefined });
    expect((await fake.client.withToken(result.token).call("ListGroups")).status).toBe(200);
  });

  test("the fake refuses a sign-in without grant=basic, as CleverReach's own clients never send one", async () => {
    const url = `${fake.server.origin}/oauth/authorize.php?client_id=fake-client-id&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}`;
    const page = await fetch(url, { redirect: "manual" });
    expect(page.status).toBe(400);
    expect(await page.json()).toEqual({ error: "invalid_request", error_description: "grant=basic is required" });
  });

  test("securityDefinitions and apiProperties name the same authorization URL", () => {
    const security = Object.values(loadSwagger().securityDefinitions)[0];
    expect(security?.authorizationUrl).toBe(apiProperties.properties.connectionParameters.token.oAuthSettings.customParameters.authorizationUrl?.value);
  });

  test("a code is good once", async () => {
    fake.server.setClientCredentials("cid", "csecret");
    const page = await fetch(
      `${fake.server.origin}/oauth/authorize.php?grant=basic&client_id=cid&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}`,
      { redirect: "manual" },
    );
    const code = new URL(page.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const exchange = () =>
      fetch(`${fake.server.origin}/oauth/token.php`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "authorization_code", client_id: "cid", client_secret: "csecret", code, redirect_uri: REDIRECT }).toString(),
      });
    expect((await exchange()).status).toBe(200);
    expect((await exchange()).status).toBe(400);
  });

  test("the connector's test-connection call (x-ms-capabilities) accepts the new connection and refuses a dead one", async () => {
    const doc = loadSwagger();
    const operationId = doc["x-ms-capabilities"]?.testConnection.operationId ?? "";
    const op = Object.values(doc.paths)
      .flatMap((item) => Object.values(item))
      .find((o) => o.operationId === operationId);
    expect(op?.parameters.filter((p) => p.required)).toEqual([]);
    const { token } = await connect();
    expect((await fake.client.withToken(token).call(operationId)).status).toBe(200);
    fake.server.revokeToken(token ?? "");
    expect((await fake.client.withToken(token).call(operationId)).status).toBe(401);
  });
});
