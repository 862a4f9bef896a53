import { buildFlows } from "../../flows";
import { cleverReachToCrmFlow } from "../../flows/product/cleverreachToCrm/cleverReachToCrmFlow";
import { declinedTypeIds, receiverStateId, mailingResultId, RECEIVER_STATE } from "../../flows/product/rules/receiverStates";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { parseChecklist } from "../../pcf-checklist/src/checklist";
import { COLUMNS } from "../../solution/src/model/handles";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { seedContacts, seedStaticList, writeCalls } from "../sync/scenario";

/**
 * Issue 15, items 14–16: the hourly back-sync loses nothing, whatever CleverReach's clock, the order
 * of its answers, or the length and characters of what it stores.
 */
describe("CleverReachToCrm loses nothing (issue 15, items 14–16)", () => {
  let fakes: Fakes;
  let router: TriggerRouter;
  const flows = buildFlows();
  const hourly = cleverReachToCrmFlow().build();
  beforeEach(async () => {
    fakes = await startFakes();
    router = new TriggerRouter(fakes, flows);
  });
  afterEach(async () => {
    fakes.gates.releaseAll();
    router.stop();
    await fakes.stop();
  });

  const store = () => fakes.cleverReach.server.store;
  const sync = async (id: string): Promise<number> => {
    const r = await fakes.simulator(flows).run(syncGroupFlow().build(), { body: { table: "list", id } });
    expect(r.error).toBeUndefined();
    await router.settle();
    return Number(fakes.dataverse.row("list", id)?.clvr_cleverreachgroupid);
  };
  const runHourly = async (expected: "Succeeded" | "Failed" = "Succeeded") => {
    const r = await fakes.simulator(flows).run(hourly, {});
    expect({ status: r.status, error: r.error?.message }).toEqual(
      expected === "Succeeded" ? { status: "Succeeded", error: undefined } : expect.objectContaining({ status: "Failed" }),
    );
    await router.settle();
    return r;
  };
  const stateRow = (groupId: number, email: string) => {
    const receiver = store().groupReceivers(groupId).get(email.toLowerCase());
    return fakes.dataverse.row("clvr_receiverstate", receiverStateId(groupId, receiver?.id ?? 0));
  };
  /** The person's rows as the checklist control shows them: CleverReach's declines (issue 15: their own column) red over the user's choice. */
  const checklistOf = (id: string) => {
    const row = fakes.dataverse.row("contact", id);
    const declined = declinedTypeIds(row?.[COLUMNS.cleverReachDeclines] as string | undefined) ?? [];
    return parseChecklist(row?.clvr_newsletterchecklist as string).map((r) => [r.id, declined.includes(r.id) ? 2 : r.state]);
  };
  const linkOf = (recordId: string) => fakes.dataverse.rows("clvr_grouplink").find((l) => String(l.clvr_recordid).toLowerCase() === recordId.toLowerCase());

  test("CleverReach's clock 120 s behind ours: an unsubscribe stamped before the watermark is still read (item 14)", async () => {
    const [ann, ben] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!, ben!]);
    const groupId = await sync(list);
    // Two servers' clocks differ; CleverReach documents no guarantee for its times.
    store().clockSkewSeconds = -120;
    fakes.cleverReach.seed.unsubscribe(groupId, "ben@example.com");
    await runHourly();
    expect(stateRow(groupId, "ben@example.com")?.clvr_state).toBe(RECEIVER_STATE.unsubscribed);
    const watermark = Date.parse(String(linkOf(list)?.clvr_changesreadon)) / 1000;
    // Ann unsubscribes after that run; CleverReach stamps it with its own, slower clock: before the watermark.
    fakes.cleverReach.seed.unsubscribe(groupId, "ann@example.com");
    expect(store().groupReceivers(groupId).get("ann@example.com")!.deactivated).toBeLessThan(watermark);
    await runHourly();
    expect(stateRow(groupId, "ann@example.com")).toMatchObject({ clvr_state: RECEIVER_STATE.unsubscribed, _clvr_contact_value: ann });
    expect(checklistOf(ann!)).toEqual([[0, 2]]);
    // Reading an hour again writes nothing twice.
    router.runs.length = 0;
    const again = await runHourly();
    expect(writeCalls(again.counts.operations)).toEqual({});
  });

  test("1,200 older inactive receivers: an unsubscribe on the last page is read, whatever order CleverReach answers in (item 15)", async () => {
    const [ann, zoe] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Zoe", states: { 0: 1 } },
    ]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const groupId = await sync(list);
    const monthAgo = store().now() - 30 * 86400;
    fakes.cleverReach.seed.receivers(
      groupId,
      Array.from({ length: 1200 }, (_, i) => ({
        email: `old${i}@example.com`,
        registered: monthAgo - 86400,
        activated: monthAgo - 86400,
        deactivated: monthAgo,
      })),
    );
    // The back-sync has run before: its watermark is ten minutes old.
    const link = linkOf(list);
    fakes.dataverse.change("clvr_grouplink", String(link?.clvr_grouplinkid), {
      clvr_changesreadon: new Date(Date.now() - 600_000).toISOString().replace(/\.\d+Z$/, "Z"),
    });
    // Zoe joins (the newest receiver) and unsubscribes.
    fakes.dataverse.relate("listcontact_association", list, zoe!);
    await sync(list);
    fakes.cleverReach.seed.unsubscribe(groupId, "zoe@example.com");
    fakes.cleverReach.server.requests.length = 0;
    await runHourly();
    expect(stateRow(groupId, "zoe@example.com")).toMatchObject({ clvr_state: RECEIVER_STATE.unsubscribed, _clvr_contact_value: zoe });
    expect(checklistOf(zoe!)).toEqual([[0, 2]]);
    // The old ones are not written again.
    expect(fakes.dataverse.rows("clvr_receiverstate")).toHaveLength(1);
    // What it cost: one page of 5000 per kind scanned, one detail read for Zoe.
    const reads = fakes.cleverReach.server.requests.filter((r) => r.method === "GET" && /\/groups(\.json)?\/\d+\/receivers$/.test(r.path));
    expect(reads).toHaveLength(3);
  }, 120_000);

  test("a 107-character address, a long blacklist comment and a 215-character subject are written cut with …, and the group's other changes too (item 16)", async () => {
    const [ann, ben] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!, ben!]);
    const groupId = await sync(list);
    const long = `${"l".repeat(95)}@example.com`;
    expect(long).toHaveLength(107);
    const now = store().now();
    // Added in CleverReach itself, then unsubscribed.
    fakes.cleverReach.seed.receivers(groupId, [{ email: long, registered: now - 60, activated: now - 60 }]);
    fakes.cleverReach.seed.unsubscribe(groupId, long);
    store().blacklist.set("ben@example.com", { email: "ben@example.com", comment: `complaint: ${"c".repeat(300)}`, stamp: now });
    const subject = "S".repeat(215);
    const mailing = fakes.cleverReach.seed.mailing(subject, "finished", { started: now - 60 });
    fakes.cleverReach.seed.report(mailing, groupId, { sent: [{ email: "ann@example.com", stamp: now - 60 }] });
    await runHourly();
    const cut = stateRow(groupId, long);
    expect(cut?.clvr_email).toBe(`${long.slice(0, 99)}…`);
    expect(cut?.clvr_state).toBe(RECEIVER_STATE.unsubscribed);
    const benRow = stateRow(groupId, "ben@example.com");
    expect(benRow?.clvr_state).toBe(RECEIVER_STATE.blacklisted);
    expect(String(benRow?.clvr_lastevent)).toHaveLength(100);
    expect(String(benRow?.clvr_lastevent)).toMatch(/^blacklisted: complaint: c+…$/);
    const annId = store().groupReceivers(groupId).get("ann@example.com")!.id;
    expect(fakes.dataverse.row("clvr_mailingresult", mailingResultId(mailing.id, annId))?.clvr_name).toBe(`${subject.slice(0, 199)}…`);
    expect(checklistOf(ben!)).toEqual([[0, 2]]);
    // Cut values compare equal to what is stored: the next run writes nothing.
    const again = await runHourly();
    expect(writeCalls(again.counts.operations)).toEqual({});
  });

  test('a " or \\ in addresses on the blacklist stops no group: every group gets its changes (item 16)', async () => {
    const [ann, ben] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1, 1: 1 } },
      { firstname: "Ben", states: { 0: 1, 1: 1 } },
    ]);
    const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const offers = seedStaticList(fakes, "Offers", { 1: 1 }, [ben!]);
    const newsGroup = await sync(news);
    const offersGroup = await sync(offers);
    const now = store().now();
    const quoted = 'a"b@example.com';
    const slashed = "c\\d@example.com";
    fakes.cleverReach.seed.receivers(newsGroup, [{ email: quoted, registered: now - 60, activated: now - 60 }]);
    fakes.cleverReach.seed.receivers(offersGroup, [{ email: slashed, registered: now - 60, activated: now - 60 }]);
    for (const email of [quoted, slashed]) store().blacklist.set(email, { email, comment: 'said "stop" \\o/', stamp: now });
    fakes.cleverReach.seed.unsubscribe(offersGroup, "ben@example.com");
    await runHourly();
    expect(stateRow(newsGroup, quoted)).toMatchObject({
      clvr_email: quoted,
      clvr_state: RECEIVER_STATE.blacklisted,
      clvr_lastevent: 'blacklisted: said "stop" \\o/',
    });
    expect(stateRow(offersGroup, slashed)).toMatchObject({ clvr_email: slashed, clvr_state: RECEIVER_STATE.blacklisted });
    expect(stateRow(offersGroup, "ben@example.com")?.clvr_state).toBe(RECEIVER_STATE.unsubscribed);
    expect(store().groupReceivers(newsGroup).get(quoted)?.deactivated).toBeGreaterThan(0);
    expect(checklistOf(ben!)).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });

  test("a row Dataverse keeps refusing: the group's other rows are written, the record names it, and the next run writes it (item 16)", async () => {
    const [ann, ben] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!, ben!]);
    const groupId = await sync(list);
    fakes.cleverReach.seed.unsubscribe(groupId, "ann@example.com");
    fakes.cleverReach.seed.unsubscribe(groupId, "ben@example.com");
    const benState = receiverStateId(groupId, store().groupReceivers(groupId).get("ben@example.com")!.id);
    // Every attempt to write Ben's row goes unanswered (the platform retries, then gives up).
    const gate = fakes.gates.hold({
      connector: "dataverse",
      operationId: "UpdateRecord",
      where: (c) => c.request.path.includes(benState),
      times: 100,
      at: "answer",
    });
    gate.lose();
    const watermarkBefore = linkOf(list)?.clvr_changesreadon;
    const failed = await runHourly("Failed");
    expect(failed.error?.message).toMatch(/ben@example\.com/);
    expect(stateRow(groupId, "ann@example.com")?.clvr_state).toBe(RECEIVER_STATE.unsubscribed);
    expect(checklistOf(ann!)).toEqual([[0, 2]]);
    expect(String(fakes.dataverse.row("list", list)?.clvr_lastsyncerror)).toMatch(/Receiver State of ben@example\.com .*could not be written.*next run tries/);
    // The watermark stays, so the next run reads Ben's unsubscribe again.
    expect(linkOf(list)?.clvr_changesreadon).toBe(watermarkBefore);
    fakes.gates.releaseAll();
    await runHourly();
    expect(stateRow(groupId, "ben@example.com")?.clvr_state).toBe(RECEIVER_STATE.unsubscribed);
    expect(checklistOf(ben!)).toEqual([[0, 2]]);
  });
});
