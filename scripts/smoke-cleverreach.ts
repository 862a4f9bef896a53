import { loadSwagger } from "../connector/src/operations";
import { ConnectorClient } from "../connector/src/client";

/**
 * Live check of a real CleverReach account through the connector definition: every request is
 * built from connector/apiDefinition.swagger.json, so this also proves the definition against the
 * real API. It creates a temporary group, works with two test receivers in it and deletes the group
 * again. Not part of `npm test`; it needs credentials:
 *   CLEVERREACH_TOKEN                                  an access token, or
 *   CLEVERREACH_CLIENT_ID + CLEVERREACH_CLIENT_SECRET  an OAuth app's credentials (client credentials grant)
 *   CLEVERREACH_ORIGIN (optional)                      default https://rest.cleverreach.com
 */
export async function runSmoke(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<"skipped" | "passed" | "failed"> {
  const origin = env.CLEVERREACH_ORIGIN ?? "https://rest.cleverreach.com";
  let token = env.CLEVERREACH_TOKEN;
  if (!token && env.CLEVERREACH_CLIENT_ID && env.CLEVERREACH_CLIENT_SECRET) token = await clientCredentialsToken(origin, env.CLEVERREACH_CLIENT_ID, env.CLEVERREACH_CLIENT_SECRET, log);
  if (!token) {
    log("skipped: CLEVERREACH_TOKEN not set");
    return "skipped";
  }
  const client = new ConnectorClient(loadSwagger(), origin, token, 30_000);
  let failed = false;
  const step = async <T>(what: string, op: string, args: Record<string, unknown> = {}, body?: unknown): Promise<T | undefined> => {
    const a = await client.call<T>(op, args, body);
    const shown = JSON.stringify(a.body) ?? "";
    log(`${a.status === 200 ? "ok  " : "FAIL"} ${what} (${op}) -> ${a.status} ${shown.length > 300 ? `${shown.slice(0, 300)}…` : shown}`);
    if (a.status !== 200) failed = true;
    return a.status === 200 ? a.body : undefined;
  };

  await step("who am I", "GetAccount");
  await step("token lifetime", "GetTokenLifetime");
  await step("list groups", "ListGroups");
  const group = await step<{ id: number }>("create a temporary group", "CreateGroup", {}, { name: `smoke test ${new Date().toISOString()}`, receiver_info: "temporary, deleted by the smoke test" });
  if (group) {
    try {
      const now = Math.floor(Date.now() / 1000);
      await step("upsert two receivers (not activated)", "UpsertReceivers", { group_id: group.id }, [
        { email: "smoke-1@example.com", registered: now, source: "smoke test" },
        { email: "smoke-2@example.com", registered: now, source: "smoke test" },
      ]);
      await step("read one back by e-mail", "GetGroupReceiver", { group_id: group.id, pool_id: "smoke-1@example.com" });
      await step("activate it", "ActivateGroupReceiver", { group_id: group.id, pool_id: "smoke-1@example.com" });
      await step("deactivate it", "DeactivateGroupReceiver", { group_id: group.id, pool_id: "smoke-1@example.com" });
      const after = await step<Array<{ email: string; active: boolean }>>("upsert without activation fields", "UpsertReceivers", { group_id: group.id }, [{ email: "smoke-1@example.com", source: "smoke test again" }]);
      if (after && after[0]?.active !== false) {
        log("FAIL the upsert re-activated a deactivated receiver");
        failed = true;
      }
      await step("list the group's receivers", "ListGroupReceivers", { group_id: group.id, page: 0, pagesize: 10 });
      await step("group statistics", "GetGroupStats", { group_id: group.id });
      await step("delete one receiver", "DeleteGroupReceiver", { group_id: group.id, pool_id: "smoke-2@example.com" });
    } finally {
      await step("delete the temporary group", "DeleteGroup", { group_id: group.id });
    }
  }
  log(failed ? "smoke test FAILED" : "smoke test passed");
  return failed ? "failed" : "passed";
}

async function clientCredentialsToken(origin: string, clientId: string, secret: string, log: (line: string) => void): Promise<string | undefined> {
  const res = await fetch(`${origin}/oauth/token.php`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}` },
    body: new URLSearchParams({ grant_type: "client_credentials" }).toString(),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
  // Never print the token itself.
  log(`${res.ok ? "ok  " : "FAIL"} token (client credentials) -> ${res.status}${body.expires_in ? `, expires in ${body.expires_in} s` : ""}`);
  return body.access_token;
}

if (require.main === module) {
  runSmoke(process.env, (line) => console.log(line))
    .then((result) => process.exit(result === "failed" ? 1 : 0))
    .catch((e: unknown) => {
      console.error(`smoke test error: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    });
}
