import { runSmoke, SMOKE_ATTRIBUTES } from "../../scripts/smoke-cleverreach";
import { RECEIVER_ATTRIBUTES } from "../../flows/product/sync/groupOwners";
import { startFakeCleverReach, type FakeCleverReach } from "../fakes/cleverreach";

/** Runs the smoke script against the fake, with a sent mailing and a global attribute already there. */
async function smokeAgainstFake(fake: FakeCleverReach, extra: NodeJS.ProcessEnv = {}): Promise<{ result: string; lines: string[] }> {
  fake.server.setClientCredentials("cid", "csecret");
  const old = fake.seed.group("Old news");
  fake.seed.attribute(0, "salutation");
  const mailing = fake.seed.mailing("Old news", "finished");
  fake.seed.report(mailing, old.id, { sent: [] });
  const lines: string[] = [];
  const result = await runSmoke({ CLEVERREACH_ORIGIN: fake.server.origin, CLEVERREACH_CLIENT_ID: "cid", CLEVERREACH_CLIENT_SECRET: "csecret", ...extra }, (l) =>
    lines.push(l),
  );
  return { result, lines };
}

const rows = (lines: string[]): Map<string, string> =>
  new Map(
    lines
      .filter((l) => l.startsWith("| ") && !l.startsWith("| check"))
      .map((l) => l.split(" | "))
      .map((cells) => [cells[0]?.slice(2) ?? "", cells[cells.length - 1]?.replace(/ \|$/, "") ?? ""]),
  );

describe("scripts/smoke-cleverreach.ts (run against the fake, never the live API, in tests)", () => {
  test("without credentials it says it skipped", async () => {
    const lines: string[] = [];
    expect(await runSmoke({}, (l) => lines.push(l))).toBe("skipped");
    expect(lines).toEqual(["skipped: CLEVERREACH_TOKEN not set"]);
  });

  test("with client credentials it makes every call the flows make, confirms every question against the fake and cleans up", async () => {
    const fake = await startFakeCleverReach();
    try {
      const { result, lines } = await smokeAgainstFake(fake);
      const table = rows(lines);
      expect({ result, failures: [...table].filter(([, v]) => v === "differs" || v === "failed") }).toEqual({ result: "passed", failures: [] });
      // The questions the sources could not settle are all asked.
      for (const check of [
        "GetAccount: id type",
        "UpsertReceivers: activated 0",
        "UpsertReceivers: deactivated 0 / activated on a deactivated receiver",
        "UpsertReceivers: new receiver without activated/deactivated",
        "UpdateGroup: partial body",
        "DeleteGroup: a locked group",
        "ListReports: start without end",
        "ListReports: report fields",
        "ListReportReceivers: pagesize 500",
        "GetGroupReceiver: e-mail with @ as %40 (as the flows and this client send it)",
        "GetGroupReceiver: e-mail with the @ kept (as CleverReach's SDK sends it)",
        "ListGroupReceivers: type inactive holds the deactivated receiver",
        "ListGroupReceivers: id_list finds that receiver",
        "CreateGlobalAttribute: already exists",
      ]) {
        expect({ check, verdict: table.get(check) }).toEqual({ check, verdict: "confirmed" });
      }
      expect(table.get("UpsertReceivers: 1001 rows")).toBe("not run");
      // Every operation the flows call went through the fake.
      const called = new Set(fake.server.requests.map((r) => r.operationId));
      for (const op of [
        "GetAccount",
        "ListGroups",
        "CreateGroup",
        "UpdateGroup",
        "DeleteGroup",
        "ListAttributes",
        "CreateGlobalAttribute",
        "UpsertReceivers",
        "GetGroupReceiver",
        "DeleteGroupReceiver",
        "DeactivateGroupReceiver",
        "ListGroupReceivers",
        "GetGroupStats",
        "ListBlacklist",
        "ListReports",
        "ListReportReceivers",
      ]) {
        expect({ op, called: called.has(op) }).toEqual({ op, called: true });
      }
      expect([...fake.server.store.groups.values()].map((g) => g.name)).toEqual(["Old news"]);
      expect(lines.join("\n")).not.toMatch(/[0-9a-f]{48}/);
    } finally {
      await fake.stop();
    }
  }, 20_000);

  test("with CLEVERREACH_SMOKE_BATCH=1 it also tries 1001 receivers (the fake answers 413)", async () => {
    const fake = await startFakeCleverReach();
    try {
      const { result, lines } = await smokeAgainstFake(fake, { CLEVERREACH_SMOKE_BATCH: "1" });
      expect(result).toBe("passed");
      expect(rows(lines).get("UpsertReceivers: 1001 rows")).toBe("confirmed");
    } finally {
      await fake.stop();
    }
  }, 20_000);

  test("creates only the global attributes the Sync group flow would create", () => {
    expect(SMOKE_ATTRIBUTES).toEqual(RECEIVER_ATTRIBUTES.map((a) => ({ name: a.name, description: a.description })));
  });
});
