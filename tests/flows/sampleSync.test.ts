import { lintFlow, type LintContext } from "../../flows/toolkit/lint";
import { defaultLintContext } from "../../flows/product/lintContext";
import { startFakes, type Fakes, CLEVERREACH_API } from "../sim/harness";
import { sampleSyncFlow, UPSERT_BATCH } from "./sampleSync";

/** The toolkit's acceptance test: a builder-made flow, lint-clean, run against both fakes. */
describe("sample flow against both fakes", () => {
  let fakes: Fakes;
  let ctx: LintContext;
  beforeAll(() => {
    ctx = defaultLintContext();
  });
  beforeEach(async () => {
    fakes = await startFakes({ pageSize: 5000 });
  });
  afterEach(() => fakes.stop());

  test("passes the linter", () => {
    expect(lintFlow(sampleSyncFlow().clientData(), ctx, "sample-sync")).toEqual([]);
  });

  test("creates the group, sends 2,345 contacts in 3 upserts, stamps the list; counts calls and actions", async () => {
    const [listId] = fakes.dataverse.seed("list", [{ listname: "Spring news", type: false, createdfromcode: 2 }]);
    const people = Array.from({ length: 2345 }, (_, i) => ({ firstname: `P${i}`, lastname: "Test", emailaddress1: `p${i}@example.com` }));
    fakes.dataverse.seed("contact", [
      ...people,
      { firstname: "No", lastname: "Mail" },
      { firstname: "Gone", lastname: "X", emailaddress1: "gone@example.com", statecode: 1 },
    ]);
    fakes.dataverse.resetCalls();

    const r = await fakes.simulator().run(sampleSyncFlow().build(), { body: { listid: listId } });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("Succeeded");

    const groups = [...fakes.cleverReach.server.store.groups.values()];
    expect(groups.map((g) => g.name)).toEqual(["CRM - Spring news"]);
    const receivers = fakes.cleverReach.server.store.groupReceivers(groups[0]!.id);
    expect(receivers.size).toBe(2345);
    expect(receivers.has("gone@example.com")).toBe(false);
    expect(receivers.get("p7@example.com")?.source).toBe("Dataverse");

    const list = fakes.dataverse.row("list", listId!);
    expect(list?.clvr_cleverreachgroupid).toBe(String(groups[0]!.id));
    expect(typeof list?.clvr_lastsyncon).toBe("string");

    const batches = Math.ceil(2345 / UPSERT_BATCH);
    expect(r.counts.operations).toEqual({
      "shared_commondataserviceforapps:GetItem": 1,
      "shared_commondataserviceforapps:ListRecords": 1,
      "shared_commondataserviceforapps:UpdateOnlyRecord": 1,
      [`${CLEVERREACH_API}:CreateGroup`]: 1,
      [`${CLEVERREACH_API}:UpsertReceivers`]: batches,
    });
    // Get, List, Create, Foreach, (Select + Upsert) per batch, Stamp.
    expect(r.counts.actions).toBe(5 + 2 * batches);
  });

  test("with 429s and 500s injected into CleverReach, the retries still deliver every receiver once", async () => {
    const [listId] = fakes.dataverse.seed("list", [{ listname: "Faults", type: false, createdfromcode: 2 }]);
    fakes.dataverse.seed(
      "contact",
      Array.from({ length: 1500 }, (_, i) => ({ lastname: "T", emailaddress1: `f${i}@example.com` })),
    );
    fakes.cleverReach.server.injectFault({ kind: "status", status: 429, times: 2 });
    fakes.cleverReach.server.injectFault({ kind: "status", status: 500, times: 1, operationId: "UpsertReceivers" });
    const r = await fakes.simulator().run(sampleSyncFlow().build(), { body: { listid: listId } });
    expect(r.status).toBe("Succeeded");
    const group = [...fakes.cleverReach.server.store.groups.values()][0]!;
    expect(fakes.cleverReach.server.store.groupReceivers(group.id).size).toBe(1500);
    expect(r.counts.retryWaitMs).toBeGreaterThan(0);
  });
});
