import { label } from "../../solution/src/labels";
import { COLUMNS, TABLES } from "../../solution/src/model/handles";
import { triggerBody } from "../../flows/toolkit/expr/build";
import { childFlowTrigger } from "../../flows/toolkit/builder/triggers";
import { utcNow } from "../../flows/toolkit/expr/functions";
import { ProductFlow } from "../../flows/product/patterns/productFlow";
import { SYNC_LOG_OUTCOME_VALUE, writeSyncLog } from "../../flows/product/patterns/syncLog";
import { SIMULATED_ENVIRONMENT } from "../../flows/toolkit/sim/engine";
import { startFakes, type Fakes } from "../sim/harness";

/** A flow that only writes a sync log row for the record it is given, as the product's flows do at their end. */
function logWriter() {
  const f = new ProductFlow({ key: "test-sync-log-writer", displayName: label("Test - sync log writer", "Test") });
  f.useDataverse();
  f.trigger("manual", childFlowTrigger());
  writeSyncLog(f.actions, "Write_sync_log", {
    flow: "Test - sync log writer",
    table: triggerBody().get("table"),
    id: triggerBody().get("id"),
    groupId: "42",
    outcome: "failed",
    startedOn: utcNow(),
    endedOn: utcNow(),
    added: 3,
    updated: 2,
    removed: 1,
    skipped: 1,
    skippedWhy: "no valid e-mail address: bad@",
    error: "CleverReach sync failed at Upsert_receivers: 500",
  });
  return f.build();
}

describe("the sync log pattern (writeSyncLog)", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  test("one row linked to its record, with counts, error, record table and id, and the run's link", async () => {
    const [listId] = fakes.dataverse.seed("list", [{ listname: "Newsletter", type: false, createdfromcode: 2 }]);
    const r = await fakes.simulator().run(logWriter(), { body: { table: "list", id: listId } });
    expect(r.status).toBe("Succeeded");
    const rows = fakes.dataverse.rows(TABLES.syncLog.logicalName);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      [COLUMNS.name]: "Test - sync log writer: failed",
      [COLUMNS.flow]: "Test - sync log writer",
      [COLUMNS.outcome]: SYNC_LOG_OUTCOME_VALUE.failed,
      [COLUMNS.recordTable]: "list",
      [COLUMNS.recordId]: listId,
      [COLUMNS.groupId]: "42",
      [COLUMNS.added]: 3,
      [COLUMNS.updated]: 2,
      [COLUMNS.removed]: 1,
      [COLUMNS.skipped]: 1,
      [COLUMNS.skippedWhy]: "no valid e-mail address: bad@",
      [COLUMNS.error]: "CleverReach sync failed at Upsert_receivers: 500",
      [`_${COLUMNS.marketingList}_value`]: listId,
    });
    expect(String(rows[0]?.[COLUMNS.runUrl])).toMatch(
      new RegExp(`^https://make\\.powerautomate\\.com/environments/${SIMULATED_ENVIRONMENT}/flows/[^/]+/runs/run-\\d+$`),
    );
  });

  test("a record deleted meanwhile: the row is still written, with the record's table and id as text", async () => {
    const gone = "00000000-0000-4000-8000-0000000000aa";
    const r = await fakes.simulator().run(logWriter(), { body: { table: "campaign", id: gone } });
    expect(r.status).toBe("Succeeded");
    const rows = fakes.dataverse.rows(TABLES.syncLog.logicalName);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ [COLUMNS.recordTable]: "campaign", [COLUMNS.recordId]: gone });
    expect(rows[0]?.[`_${COLUMNS.campaign}_value`] ?? null).toBeNull();
  });

  test("campaign activity: linked through its own lookup", async () => {
    const [activityId] = fakes.dataverse.seed("campaignactivity", [{ subject: "Mailing" }]);
    await fakes.simulator().run(logWriter(), { body: { table: "campaignactivity", id: activityId } });
    const [row] = fakes.dataverse.rows(TABLES.syncLog.logicalName);
    expect(row?.[`_${COLUMNS.campaignActivity}_value`]).toBe(activityId);
  });
});
