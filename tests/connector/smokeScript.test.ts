import { runSmoke } from "../../scripts/smoke-cleverreach";
import { startFakeCleverReach } from "../fakes/cleverreach";

describe("scripts/smoke-cleverreach.ts (run against the fake, never the live API, in tests)", () => {
  test("without credentials it says it skipped", async () => {
    const lines: string[] = [];
    expect(await runSmoke({}, (l) => lines.push(l))).toBe("skipped");
    expect(lines).toEqual(["skipped: CLEVERREACH_TOKEN not set"]);
  });

  test("with client credentials it walks through every step and cleans up", async () => {
    const fake = await startFakeCleverReach();
    try {
      fake.server.setClientCredentials("cid", "csecret");
      const lines: string[] = [];
      const result = await runSmoke({ CLEVERREACH_ORIGIN: fake.server.origin, CLEVERREACH_CLIENT_ID: "cid", CLEVERREACH_CLIENT_SECRET: "csecret" }, (l) => lines.push(l));
      expect({ result, failures: lines.filter((l) => l.startsWith("FAIL")) }).toEqual({ result: "passed", failures: [] });
      expect(lines.length).toBeGreaterThan(12);
      expect(fake.server.store.groups.size).toBe(0);
      expect(lines.join("\n")).not.toContain(fake.token);
    } finally {
      await fake.stop();
    }
  });
});
