import { SYNC_LOG_OUTCOME_VALUE } from "../../flows/product/patterns/syncLog";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { SYNC_GROUP_NAME } from "../../flows/product/sync/syncGroupFlow/syncLog";
import { TRANSFER_SETTING_ERROR } from "../../flows/product/rules/eligibility";
import { COLUMNS, ENV, LOOKUPS, TABLES } from "../../solution/src/model/handles";
import { startFakes, type Fakes } from "../sim/harness";
import { personRow, seedContacts, seedStaticList } from "./scenario";

/**
 * Issue 18.2: every Sync group run that got as far as the record leaves one sync log row on it, with
 * what it did, succeeded or failed, so that a marketing user sees it on the list's Related tab.
 */
describe("Sync group writes its sync log", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const run = (table: string, id: string, environment: Record<string, unknown> = {}) =>
    fakes.simulator([], environment).run(syncGroupFlow().build(), { body: { table, id } });
  const logRows = () => fakes.dataverse.rows(TABLES.syncLog.logicalName);

  test("a first sync and a second one: added, updated, removed, skipped and why, linked to the list", async () => {
    const [ann, ben, cid, bad] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
      { firstname: "Cid", states: { 0: 1 } },
      { firstname: "Bad", email: "no-at-sign.example.com", states: { 0: 1 } },
    ]);
    const listId = seedStaticList(fakes, "News", { 0: 1 }, [ann!, ben!, cid!, bad!]);
    const first = await run("list", listId);
    expect(first.status).toBe("Succeeded");
    const groupId = String(fakes.dataverse.row("list", listId)?.[COLUMNS.cleverReachGroupId]);
    expect(logRows()).toHaveLength(1);
    expect(logRows()[0]).toMatchObject({
      [COLUMNS.flow]: SYNC_GROUP_NAME.en,
      [COLUMNS.outcome]: SYNC_LOG_OUTCOME_VALUE.succeeded,
      [LOOKUPS.marketingList.value]: listId,
      [COLUMNS.recordTable]: "list",
      [COLUMNS.recordId]: listId,
      [COLUMNS.groupId]: groupId,
      [COLUMNS.added]: 3,
      [COLUMNS.updated]: 0,
      [COLUMNS.removed]: 0,
      [COLUMNS.skipped]: 1,
      [COLUMNS.error]: "",
    });
    expect(String(logRows()[0]?.[COLUMNS.skippedWhy])).toMatch(/^1 person skipped: invalid e-mail \(no-at-sign.example.com\)/);
    expect(typeof logRows()[0]?.[COLUMNS.startedOn]).toBe("string");
    expect(typeof logRows()[0]?.[COLUMNS.endedOn]).toBe("string");

    // Cid declines the type, Dan joins: one removed, one added, two sent again.
    fakes.dataverse.change("contact", cid!, personRow({ firstname: "Cid", states: { 0: 2 } }) as Record<string, string>);
    const [dan] = seedContacts(fakes, [{ firstname: "Dan", states: { 0: 1 } }]);
    fakes.dataverse.relate("listcontact_association", listId, dan!);
    const second = await run("list", listId);
    expect(second.status).toBe("Succeeded");
    expect(logRows()).toHaveLength(2);
    const latest = logRows().find((r) => r[COLUMNS.removed] === 1);
    expect(latest).toMatchObject({ [COLUMNS.added]: 1, [COLUMNS.updated]: 2, [COLUMNS.removed]: 1, [COLUMNS.skipped]: 1 });
    expect(latest?.[COLUMNS.runUrl]).not.toBe(logRows().find((r) => r !== latest)?.[COLUMNS.runUrl]);
  });

  test("CleverReach failing: a failed row with the same words as the record's Last sync error", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const listId = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    fakes.cleverReach.server.injectFault({ kind: "status", status: 500, times: 100, operationId: "UpsertReceivers" });
    const r = await run("list", listId);
    expect(r.status).toBe("Failed");
    const recordError = String(fakes.dataverse.row("list", listId)?.[COLUMNS.lastSyncError]);
    expect(recordError).toMatch(/^CleverReach sync failed: /);
    expect(logRows()).toHaveLength(1);
    expect(logRows()[0]).toMatchObject({
      [COLUMNS.outcome]: SYNC_LOG_OUTCOME_VALUE.failed,
      [COLUMNS.error]: recordError,
      [LOOKUPS.marketingList.value]: listId,
    });
    expect(logRows()[0]?.[COLUMNS.name]).toBe(`${SYNC_GROUP_NAME.en}: failed`);
  });

  test("a run stopped on the way (an invalid setting) logs why, though nothing was read", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const listId = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const r = await run("list", listId, { [ENV.transferTables.schemaName]: { tables: ["contacts"] } });
    expect(r.status).toBe("Failed");
    expect(logRows()).toHaveLength(1);
    expect(logRows()[0]).toMatchObject({ [COLUMNS.outcome]: SYNC_LOG_OUTCOME_VALUE.failed, [COLUMNS.error]: TRANSFER_SETTING_ERROR, [COLUMNS.groupId]: "" });
  });

  test("a record that is not synced: no group touched, no row", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const listId = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    fakes.dataverse.change("list", listId, { [COLUMNS.syncWithCleverReach]: false });
    const r = await run("list", listId);
    expect(r.status).toBe("Succeeded");
    expect(logRows()).toEqual([]);
  });

  test("a campaign's run is linked to the campaign", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const listId = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    fakes.dataverse.change("list", listId, { [COLUMNS.syncWithCleverReach]: false });
    const [campaignId] = fakes.dataverse.seed("campaign", [
      {
        name: "Spring",
        [COLUMNS.syncWithCleverReach]: true,
        [COLUMNS.newsletterChecklist]: fakes.dataverse.row("list", listId)?.[COLUMNS.newsletterChecklist],
      },
    ]);
    fakes.dataverse.relate("campaignlist_association", campaignId!, listId);
    const r = await run("campaign", campaignId!);
    expect(r.status).toBe("Succeeded");
    expect(logRows()).toHaveLength(1);
    expect(logRows()[0]).toMatchObject({ [LOOKUPS.campaign.value]: campaignId, [COLUMNS.recordTable]: "campaign", [COLUMNS.added]: 1 });
  });
});
