import { SYNC_LOG_RETENTION_ADVICE, SYNC_LOG_RETENTION_DAYS, syncLogRetentionError, syncLogRetentionProblem } from "../../flows/product/rules/syncLogRetention";
import { SYNC_LOG_OUTCOME_VALUE } from "../../flows/product/patterns/syncLog";
import { syncLogCleanupFlow } from "../../flows/product/sync/syncLogCleanupFlow";
import { COLUMNS, ENV, TABLES } from "../../solution/src/model/handles";
import { startFakes, type Fakes } from "../sim/harness";

const DAY = 86_400_000;

describe("sync log retention setting (rule)", () => {
  test("7, 30 and 90 days are valid; anything else names the variable and the value", () => {
    for (const d of SYNC_LOG_RETENTION_DAYS) expect(syncLogRetentionProblem(d)).toBeUndefined();
    expect(syncLogRetentionProblem(14)).toBe(`${ENV.syncLogRetentionDays.schemaName} must be 7, 30 or 90 (days), not 14`);
    expect(syncLogRetentionProblem(-30)).toMatch(/not -30$/);
    expect(syncLogRetentionProblem(30.5)).toMatch(/not 30.5$/);
  });
});

/** Issue 18.2: the daily clean-up deletes the rows older than the setting, a page at a time. */
describe("CleverReach - Sync log clean-up", () => {
  let fakes: Fakes;
  // A page of 50 rows, so that a few hundred rows are more than a page (the service's page is 5000).
  beforeEach(async () => {
    fakes = await startFakes({ pageSize: 50 });
  });
  afterEach(() => fakes.stop());
  const flow = syncLogCleanupFlow().build();
  const logRows = () => fakes.dataverse.rows(TABLES.syncLog.logicalName);
  const seedLogs = (count: number, ageDays: number, name: string) =>
    fakes.dataverse.seed(
      TABLES.syncLog.logicalName,
      Array.from({ length: count }, () => ({ clvr_name: name, createdon: new Date(Date.now() - ageDays * DAY).toISOString() })),
    );

  test("default 30 days: 120 rows of 40 days ago go, page after page; last week's stay", async () => {
    seedLogs(120, 40, "old");
    seedLogs(3, 1, "recent");
    fakes.dataverse.resetCalls();
    const r = await fakes.simulator().run(flow, {});
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("Succeeded");
    expect(logRows().map((x) => x.clvr_name)).toEqual(["recent", "recent", "recent"]);
    // Three pages (50, 50, 20) and the read that finds none left.
    expect(fakes.dataverse.callCount("ListRecords")).toBe(4);
    expect(fakes.dataverse.callCount("DeleteRecord")).toBe(120);
  }, 60_000);

  test("90 days: rows of 40 days ago are kept; 100 days ago go", async () => {
    seedLogs(2, 40, "forty");
    seedLogs(2, 100, "hundred");
    const r = await fakes.simulator([], { [ENV.syncLogRetentionDays.schemaName]: 90 }).run(flow, {});
    expect(r.status).toBe("Succeeded");
    expect(logRows().map((x) => x.clvr_name)).toEqual(["forty", "forty"]);
  });

  test.each([14, 0, 365])("an invalid setting (%p) stops the run with the variable's name, nothing deleted", async (days) => {
    seedLogs(2, 400, "ancient");
    const r = await fakes.simulator([], { [ENV.syncLogRetentionDays.schemaName]: days }).run(flow, {});
    expect(r.status).toBe("Failed");
    expect(r.error?.code).toBe("InvalidConfiguration");
    // The flow's text and the rule's are the same.
    expect(r.error?.message).toBe(syncLogRetentionError(days));
    expect(logRows().filter((x) => x.clvr_name === "ancient")).toHaveLength(2);
  });

  /** The rows the clean-up wrote about itself: no record, its flow's name, the error in words. */
  const ownRows = () => logRows().filter((x) => x[COLUMNS.flow] === syncLogCleanupFlow().build().displayName.en);

  test("an invalid setting is in the sync log in words, without a record, once a day however often the run fails", async () => {
    seedLogs(2, 400, "ancient");
    const run = (days: number) => fakes.simulator([], { [ENV.syncLogRetentionDays.schemaName]: days }).run(flow, {});
    expect((await run(14)).status).toBe("Failed");
    expect(ownRows()).toHaveLength(1);
    const row = ownRows()[0]!;
    expect(row[COLUMNS.error]).toBe(syncLogRetentionError(14));
    expect(String(row[COLUMNS.error])).toContain(ENV.syncLogRetentionDays.schemaName);
    expect(String(row[COLUMNS.error])).toContain("No sync log row was deleted");
    expect(row[COLUMNS.outcome]).toBe(SYNC_LOG_OUTCOME_VALUE.failed);
    expect(row[COLUMNS.recordId] ?? "").toBe("");
    // The same day again (a retried or manual run): no second row.
    expect((await run(14)).status).toBe("Failed");
    expect(ownRows()).toHaveLength(1);
    // Another wrong value is another error: said at once.
    expect((await run(365)).status).toBe("Failed");
    expect(ownRows().map((x) => x[COLUMNS.error])).toEqual([syncLogRetentionError(14), syncLogRetentionError(365)]);
    // The next day (yesterday's rows): said again, once.
    for (const x of ownRows())
      fakes.dataverse.change(TABLES.syncLog.logicalName, String(x[TABLES.syncLog.idColumn]), { createdon: new Date(Date.now() - DAY).toISOString() });
    expect((await run(14)).status).toBe("Failed");
    expect((await run(14)).status).toBe("Failed");
    expect(ownRows().filter((x) => x[COLUMNS.error] === syncLogRetentionError(14))).toHaveLength(2);
    // Nothing was deleted all the while.
    expect(logRows().filter((x) => x.clvr_name === "ancient")).toHaveLength(2);
  });

  test("the flow's words are the rule's", () => {
    expect(syncLogRetentionError(30)).toBeUndefined();
    expect(syncLogRetentionError(14)).toBe(
      `CleverReach sync log clean-up did not run: the environment variable ${syncLogRetentionProblem(14)}. ${SYNC_LOG_RETENTION_ADVICE}`,
    );
  });
});
