import { loadSwagger } from "../connector/src/operations";
import { ConnectorClient, type ApiAnswer } from "../connector/src/client";

/**
 * Live check of a real CleverReach account through the connector definition: every request is
 * built from connector/apiDefinition.swagger.json, so this also proves the definition against the
 * real API. It makes every call the flows make, with the parameters they use, and asks the
 * questions the public sources could not settle (the fake CleverReach answers them the stricter
 * way until a live run says otherwise). It works in two temporary groups and deletes them again.
 * At the end it prints a table: what the connector and the fake expect, what CleverReach answered.
 *
 * Not part of `npm test`; it needs credentials:
 *   CLEVERREACH_TOKEN                                  an access token, or
 *   CLEVERREACH_CLIENT_ID + CLEVERREACH_CLIENT_SECRET  an OAuth app's credentials (client credentials grant)
 *   CLEVERREACH_ORIGIN (optional)                      default https://rest.cleverreach.com
 *   CLEVERREACH_SMOKE_BATCH=1 (optional)               also send 1001 receivers to see the batch limit
 *                                                      (they land in the temporary group if accepted)
 */

/** The global attributes the Sync group flow creates when they are missing (flows: RECEIVER_ATTRIBUTES). */
export const SMOKE_ATTRIBUTES = [
  { name: "salutation", description: "Salutation (from the CRM)" },
  { name: "firstname", description: "First name (from the CRM)" },
  { name: "lastname", description: "Last name (from the CRM)" },
  { name: "company", description: "Company (contact: parent account; lead: company name)" },
];

export type SmokeResult = "skipped" | "passed" | "failed";

interface Finding {
  check: string;
  expected: string;
  answered: string;
  /** confirmed: CleverReach did what the connector and the fake expect; differs: it did not; failed: the call itself broke. */
  verdict: "confirmed" | "differs" | "failed" | "not run";
}

interface Receiver {
  id: unknown;
  email: string;
  active: boolean;
  activated: number;
  deactivated: number;
  events?: Array<Record<string, unknown>>;
}

const short = (v: unknown): string => {
  const s = JSON.stringify(v) ?? "";
  return s.length > 120 ? `${s.slice(0, 120)}…` : s;
};
const kind = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

export async function runSmoke(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<SmokeResult> {
  const origin = env.CLEVERREACH_ORIGIN ?? "https://rest.cleverreach.com";
  let token = env.CLEVERREACH_TOKEN;
  if (!token && env.CLEVERREACH_CLIENT_ID && env.CLEVERREACH_CLIENT_SECRET)
    token = await clientCredentialsToken(origin, env.CLEVERREACH_CLIENT_ID, env.CLEVERREACH_CLIENT_SECRET, log);
  if (!token) {
    log("skipped: CLEVERREACH_TOKEN not set");
    return "skipped";
  }
  const client = new ConnectorClient(loadSwagger(), origin, token, 30_000);
  const findings: Finding[] = [];
  const note = (check: string, expected: string, answered: string, ok: boolean | "failed" | "not run"): void => {
    findings.push({ check, expected, answered, verdict: ok === true ? "confirmed" : ok === false ? "differs" : ok });
  };
  /** One call; prints it and gives the answer back whatever its status. */
  const call = async <T>(what: string, op: string, args: Record<string, unknown> = {}, body?: unknown): Promise<ApiAnswer<T>> => {
    const a = await client.call<T>(op, args, body);
    log(`${a.status === 200 ? "ok  " : "--  "} ${what} (${op}) -> ${a.status} ${short(a.body)}`);
    return a;
  };
  /** A call the flows make: it must answer 200. */
  const must = async <T>(what: string, op: string, args: Record<string, unknown> = {}, body?: unknown): Promise<T | undefined> => {
    const a = await call<T>(what, op, args, body);
    if (a.status !== 200) note(`${op}: ${what}`, "200", `${a.status} ${short(a.body)}`, "failed");
    return a.status === 200 ? a.body : undefined;
  };

  const me = await must<Record<string, unknown>>("who am I (the connection test)", "GetAccount");
  if (me) note("GetAccount: id type", "string (getUserInfo.json)", kind(me.id), typeof me.id === "string");
  await must("token lifetime", "GetTokenLifetime");
  const groups = await must<Array<Record<string, unknown>>>("list groups", "ListGroups");
  if (groups?.[0]) note("ListGroups: group id type", "string (getAllGroups.json)", kind(groups[0].id), typeof groups[0].id === "string");
  const ordered = await call("list groups ordered by name", "ListGroups", { order: "name ASC" });
  note("ListGroups: order other than created/changed", "refused (SDK GroupSortField)", String(ordered.status), ordered.status !== 200);

  const stamp = new Date().toISOString();
  const work = await must<{ id: string; backup: boolean; locked: boolean }>(
    "create a temporary group",
    "CreateGroup",
    {},
    { name: `smoke test ${stamp}`, receiver_info: "temporary, deleted by the smoke test", locked: false },
  );
  const locked = await must<{ id: string }>(
    "create a temporary locked group",
    "CreateGroup",
    {},
    { name: `smoke test locked ${stamp}`, receiver_info: "temporary, deleted by the smoke test", locked: true },
  );
  if (work) note("CreateGroup: backup when not given", "true (createGroup.json)", String(work.backup), work.backup === true);
  let lockedLeft = locked !== undefined;
  try {
    if (work) await receivers(work.id);
    if (locked) lockedLeft = await groupChanges(locked.id);
    await attributes();
    await reports(work?.id ?? String(groups?.[0]?.id ?? ""));
    await must("read the blacklist", "ListBlacklist");
  } finally {
    if (locked && lockedLeft) {
      await call(
        "unlock the locked group (whole group)",
        "UpdateGroup",
        { group_id: locked.id },
        { name: `smoke test locked ${stamp}`, receiver_info: "temporary, deleted by the smoke test", locked: false, backup: true },
      );
      await must("delete the temporary locked group", "DeleteGroup", { group_id: locked.id });
    }
    if (work) await must("delete the temporary group", "DeleteGroup", { group_id: work.id });
  }

  async function receivers(groupId: string): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const a = "smoke-active@example.com";
    const b = "smoke-plain@example.com";
    const c = "smoke-gone@example.com";
    const up = (what: string, rows: unknown[]): Promise<Receiver[] | undefined> => must<Receiver[]>(what, "UpsertReceivers", { group_id: groupId }, rows);
    // As Sync group adds new receivers: registered and activated now.
    const added = await up("upsert a new receiver with registered and activated (as Sync group)", [
      { email: a, registered: now, activated: now, source: "smoke test", global_attributes: { firstname: "Smoke" } },
    ]);
    if (added?.[0]) {
      note("UpsertReceivers: receiver id type", "string (recipientsMassUpdate.json)", kind(added[0].id), typeof added[0].id === "string");
      note("UpsertReceivers: activated sent", "active", String(added[0].active), added[0].active === true);
    }
    const plain = await up("upsert a new receiver without activation fields", [{ email: b, registered: now, source: "smoke test" }]);
    if (plain?.[0])
      note(
        "UpsertReceivers: new receiver without activated/deactivated",
        "inactive (no source; the fake's stricter choice)",
        plain[0].active ? "active" : "inactive",
        plain[0].active === false,
      );
    await up("upsert a new receiver with deactivated (as the person flow for a former unsubscriber)", [
      { email: c, registered: now, deactivated: now, source: "smoke test" },
    ]);

    // Integration core: activated 0 deactivates, activated > 0 re-activates one never deactivated.
    const off = await up("upsert activated: 0", [{ email: a, activated: 0 }]);
    if (off?.[0]) note("UpsertReceivers: activated 0", "inactive (core Proxy.php)", off[0].active ? "active" : "inactive", off[0].active === false);
    const on = await up("upsert activated: now again", [{ email: a, activated: now }]);
    if (on?.[0])
      note("UpsertReceivers: activated > 0 after activated 0", "active again (core Proxy.php)", on[0].active ? "active" : "inactive", on[0].active === true);

    const one = await must<Receiver>("read one receiver by e-mail (the @ sent as %40, as flow actions send it)", "GetGroupReceiver", {
      group_id: groupId,
      pool_id: a,
    });
    if (one)
      note(
        "GetGroupReceiver: tags, events and orders without detail",
        "present (recipientInfo.json)",
        ["tags", "events", "orders"].filter((k) => k in one).join(", ") || "none",
        "events" in one && "tags" in one && "orders" in one,
      );
    note("GetGroupReceiver: e-mail with @ as %40 (as the flows and this client send it)", "200", one ? "200" : "not 200", one !== undefined);
    // CleverReach's own SDK keeps the @ in the path; asked too, so a refusal of one form is not mistaken for a missing receiver.
    const raw = await fetch(`${origin}/v3/groups/${groupId}/receivers/${a}`, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
    note("GetGroupReceiver: e-mail with the @ kept (as CleverReach's SDK sends it)", "200", String(raw.status), raw.status === 200);
    const event = one?.events?.[0];
    if (event)
      note(
        "receiver event: types and ids",
        "type like api/mail_*; mailing_id and groups_id strings",
        `${String(event.type)}, ${kind(event.mailing_id)}, ${kind(event.groups_id)}`,
        typeof event.mailing_id === "string" && typeof event.groups_id === "string",
      );

    // As CleverReachToCrm deactivates a blacklisted receiver: final for integrations (core RecipientSyncTask.php).
    await must("deactivate a receiver (as CleverReachToCrm)", "DeactivateGroupReceiver", { group_id: groupId, pool_id: a });
    const kept = await up("upsert it without activation fields (as Sync group for an existing receiver)", [{ email: a, source: "smoke test again" }]);
    if (kept?.[0])
      note(
        "UpsertReceivers: no activation fields on a deactivated receiver",
        "stays inactive",
        kept[0].active ? "active" : "inactive",
        kept[0].active === false,
      );
    const back = await up("upsert deactivated: 0 and activated: now", [{ email: a, deactivated: 0, activated: now }]);
    if (back?.[0])
      note(
        "UpsertReceivers: deactivated 0 / activated on a deactivated receiver",
        "stays inactive (core RecipientSyncTask.php)",
        back[0].active ? "active" : "inactive",
        back[0].active === false,
      );

    const all = await must<Receiver[]>("list the group's receivers (as Sync group: pagesize 5000, type all)", "ListGroupReceivers", {
      group_id: groupId,
      page: 0,
      pagesize: 5000,
      type: "all",
    });
    if (all) note("ListGroupReceivers: all three receivers", "3", String(all.length), all.length === 3);
    // CleverReachToCrm relies on no order (order_by is unproven) and scans every page of a kind
    // without details, then reads the changed receivers by id with their events.
    const inactive = await must<Receiver[]>("list inactive receivers (as CleverReachToCrm: every page, no order)", "ListGroupReceivers", {
      group_id: groupId,
      page: 0,
      pagesize: 5000,
      type: "inactive",
    });
    if (inactive) note("ListGroupReceivers: type inactive holds the deactivated receiver", "1 or more", String(inactive.length), inactive.length > 0);
    const firstInactive = inactive?.[0];
    if (firstInactive) {
      const byId = await must<Receiver[]>("read changed receivers by id with their events (as CleverReachToCrm)", "ListGroupReceivers", {
        group_id: groupId,
        id_list: String(firstInactive.id),
        pagesize: 50,
        type: "inactive",
        detail: 1,
      });
      if (byId) note("ListGroupReceivers: id_list finds that receiver", "1", String(byId.length), byId.length === 1);
    }
    await must("list bounced receivers (as CleverReachToCrm)", "ListGroupReceivers", {
      group_id: groupId,
      page: 0,
      pagesize: 5000,
      type: "bounce",
    });
    // Asked, not relied on: whether CleverReach honours order_by at all (the fake ignores it).
    const ordered = await call("list inactive receivers newest first (a question only)", "ListGroupReceivers", {
      group_id: groupId,
      page: 0,
      pagesize: 1000,
      type: "inactive",
      order_by: "deactivated DESC",
    });
    note("ListGroupReceivers: order_by deactivated DESC (not relied on)", "answered", String(ordered.status), ordered.status < 500);
    await must("find receivers by e-mail (as CleverReachToCrm for the blacklist)", "ListGroupReceivers", {
      group_id: groupId,
      email_list: `${a},${b}`,
      pagesize: 50,
      type: "all",
      detail: 1,
    });
    await must("group statistics", "GetGroupStats", { group_id: groupId });
    await must("remove a receiver", "DeleteGroupReceiver", { group_id: groupId, pool_id: b });
    const gone = await call("remove it again (the flows take 404 as done)", "DeleteGroupReceiver", { group_id: groupId, pool_id: b });
    note("DeleteGroupReceiver: receiver already gone", "404", String(gone.status), gone.status === 404);
    const missing = await call("read a receiver not in the group (the person flows take 404 as not found)", "GetGroupReceiver", {
      group_id: groupId,
      pool_id: "smoke-nobody@example.com",
    });
    note("GetGroupReceiver: receiver not in the group", "404", String(missing.status), missing.status === 404);

    if (env.CLEVERREACH_SMOKE_BATCH === "1") {
      const many = Array.from({ length: 1001 }, (_, i) => ({ email: `smoke-batch-${i}@example.com`, registered: now }));
      const big = await call("upsert 1001 receivers", "UpsertReceivers", { group_id: groupId }, many);
      note("UpsertReceivers: 1001 rows", "413 (core Proxy.php; Apteco: at most 1000)", String(big.status), big.status === 413);
    } else {
      note("UpsertReceivers: 1001 rows", "413 (core Proxy.php; Apteco: at most 1000)", "set CLEVERREACH_SMOKE_BATCH=1 to try", "not run");
    }
  }

  /** Returns whether the group still exists afterwards. */
  async function groupChanges(groupId: string): Promise<boolean> {
    const name = `smoke test locked ${stamp}`;
    const partial = await call("update a group with only {locked:false} (as Delete group did before)", "UpdateGroup", { group_id: groupId }, { locked: false });
    note("UpdateGroup: partial body", "refused (no source; the connector sends the whole group)", String(partial.status), partial.status !== 200);
    if (partial.status === 200) {
      // Accepted after all: put the lock back, so the next checks start from a locked group.
      await call(
        "lock it again (whole group)",
        "UpdateGroup",
        { group_id: groupId },
        { name, receiver_info: "temporary, deleted by the smoke test", locked: true, backup: true },
      );
    }
    const renamed = await call(
      "rename a locked group (whole group, as Sync group)",
      "UpdateGroup",
      { group_id: groupId },
      { name: `${name} renamed`, receiver_info: "temporary, deleted by the smoke test", locked: true, backup: true },
    );
    note("UpdateGroup: rename a locked group", "200", String(renamed.status), renamed.status === 200 ? true : "failed");
    const del = await call("delete the group while locked", "DeleteGroup", { group_id: groupId });
    note("DeleteGroup: a locked group", "refused (no source; the fake's stricter choice)", String(del.status), del.status !== 200);
    return del.status !== 200;
  }

  async function attributes(): Promise<void> {
    const list = await must<Array<Record<string, unknown>>>("list global attributes", "ListAttributes");
    if (!list) return;
    const first = list[0];
    if (first)
      note(
        "ListAttributes: group field",
        "groups_id, a number (getAllGlobalAttributes.json)",
        "groups_id" in first ? kind(first.groups_id) : "no groups_id",
        typeof first.groups_id === "number",
      );
    const have = new Set(list.map((a) => String(a.name)));
    for (const a of SMOKE_ATTRIBUTES.filter((x) => !have.has(x.name))) {
      await must(
        `create the global attribute ${a.name} (the first sync creates it too)`,
        "CreateGlobalAttribute",
        {},
        { name: a.name, type: "text", description: a.description },
      );
    }
    const again = await call(
      "create an existing global attribute again (Sync group's race)",
      "CreateGlobalAttribute",
      {},
      { name: SMOKE_ATTRIBUTES[0]?.name, type: "text", description: SMOKE_ATTRIBUTES[0]?.description },
    );
    note("CreateGlobalAttribute: already exists", "409 (core Proxy::createGlobalAttribute)", String(again.status), again.status === 409);
  }

  async function reports(groupId: string): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const startOnly = await call("list reports with start but no end (as CleverReachToCrm did before)", "ListReports", { start: now - 90 * 86400 });
    note("ListReports: start without end", "refused (explorer: start requires end)", String(startOnly.status), startOnly.status !== 200);
    await must("list a group's reports (as CleverReachToCrm: start, end, group_id)", "ListReports", {
      start: now - 14 * 86400,
      end: now,
      group_id: groupId,
      page: 0,
      pagesize: 100,
    });
    const recent = await must<Array<Record<string, unknown>>>("list reports of the last 90 days", "ListReports", {
      start: now - 90 * 86400,
      end: now,
      page: 0,
      pagesize: 100,
    });
    const report = recent?.[0];
    if (!report) {
      note("ListReports: report fields", "id (string), name, subject, started, finished; no group field", "no report in the last 90 days", "not run");
      return;
    }
    note(
      "ListReports: report fields",
      "id (string), name, subject, started, finished; no group field",
      `${Object.keys(report).join(", ")}; id ${kind(report.id)}`,
      typeof report.id === "string" && "started" in report,
    );
    const hits = await call<Array<Record<string, unknown>>>("list a report's receivers (as CleverReachToCrm: pagesize 500)", "ListReportReceivers", {
      report_id: report.id,
      reaction: "sent",
      from: now - 90 * 86400,
      page: 0,
      pagesize: 500,
    });
    note("ListReportReceivers: pagesize 500", "200", String(hits.status), hits.status === 200 ? true : "failed");
  }

  log("");
  log("| check | connector and fake expect | CleverReach answered | verdict |");
  log("|---|---|---|---|");
  for (const f of findings) log(`| ${f.check} | ${f.expected} | ${f.answered.replace(/\|/g, "\\|")} | ${f.verdict} |`);
  const bad = findings.filter((f) => f.verdict === "differs" || f.verdict === "failed");
  log("");
  log(
    bad.length === 0
      ? "smoke test passed"
      : `smoke test FAILED: ${bad.length} check(s) differ or failed; fix the connector and the fake where CleverReach differs`,
  );
  return bad.length === 0 ? "passed" : "failed";
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
