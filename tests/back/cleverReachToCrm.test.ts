import { buildFlows } from "../../flows";
import { cleverReachToCrmFlow } from "../../flows/product/cleverreachToCrm/cleverReachToCrmFlow";
import { isoFromUnix, mailingResultId, readDeclines, RECEIVER_STATE, receiverStateId } from "../../flows/product/rules/receiverStates";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { updateSynchronisationFlows } from "../../flows/product/sync/updateSynchronisationFlows";
import { parseChecklist, serializeChecklist } from "../../pcf-checklist/src/checklist";
import { selectedRows, startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { checklist, groupContents, LOCK_TAKEN_AND_RELEASED, seedContacts, seedStaticList, writeCalls } from "../sync/scenario";

const API = "/api/data/v9.2";

describe("CleverReach → CRM (cleverreach-to-crm.md; never re-activated)", () => {
  let fakes: Fakes;
  let router: TriggerRouter;
  const flows = buildFlows();
  const hourly = cleverReachToCrmFlow().build();
  beforeEach(async () => {
    fakes = await startFakes();
    router = new TriggerRouter(fakes, flows);
  });
  afterEach(async () => {
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
  const runHourly = async () => {
    const r = await fakes.simulator(flows).run(hourly, {});
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("Succeeded");
    await router.settle();
    return r;
  };
  const failures = () => router.runs.filter((r) => r.result?.status !== "Succeeded").map((r) => `${r.flow}: ${r.result?.error?.message ?? r.result?.status}`);
  /** The menu flow "Update Synchronisation CleverReach" for a list. */
  const updateSynchronisation = async (listId: string) => {
    const menu = updateSynchronisationFlows(syncGroupFlow().id)
      .map((f) => f.build())
      .find((f) => f.displayName.en.includes("Marketing List"));
    if (!menu) throw new Error("no Update Synchronisation flow for marketing lists");
    const [r] = await fakes.simulator(flows).fire(menu, selectedRows({ listid: listId }));
    expect(r?.error).toBeUndefined();
    await router.settle();
  };
  const personChecklist = (id: string) => parseChecklist(fakes.dataverse.row("contact", id)?.clvr_newsletterchecklist as string);
  const declinesOf = (id: string, table = "contact") => {
    const r = readDeclines(fakes.dataverse.row(table, id)?.clvr_cleverreachdeclines as string | undefined);
    if ("problem" in r) throw new Error(r.problem);
    return r.declines;
  };

  async function scenario(change: (groupId: number, email: string) => void) {
    const [ann, ben] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1, 1: 1, 2: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const list = seedStaticList(fakes, "News", { 0: 1, 1: 1 }, [ann!, ben!]);
    const groupId = await sync(list);
    expect(groupContents(fakes, groupId).get("ann@example.com")?.active).toBe(true);
    const before = personChecklist(ann!);
    change(groupId, "ann@example.com");
    router.runs.length = 0;
    await runHourly();
    expect(failures()).toEqual([]);
    return { ann: ann!, ben: ben!, list, groupId, before };
  }

  async function expectRedAndNeverBack(s: Awaited<ReturnType<typeof scenario>>, state: number, event: RegExp) {
    const receiver = store().groupReceivers(s.groupId).get("ann@example.com");
    const stateRow = fakes.dataverse.row("clvr_receiverstate", receiverStateId(s.groupId, receiver?.id ?? 0));
    expect(stateRow).toMatchObject({
      clvr_email: "ann@example.com",
      clvr_state: state,
      clvr_groupid: String(s.groupId),
      _clvr_contact_value: s.ann,
      _clvr_marketinglist_value: s.list,
    });
    expect(String(stateRow?.clvr_lastevent)).toMatch(event);
    // The Receiver State flow added the group's types to CleverReach's declines on the person; the
    // user's checklist is untouched, and the derived column leaves the declined types out.
    const when = String(stateRow?.clvr_lasteventon);
    const stateName = state === RECEIVER_STATE.blacklisted ? "blacklisted" : state === RECEIVER_STATE.bounced ? "bounced" : "unsubscribed";
    expect(declinesOf(s.ann)).toEqual([0, 1].map((id) => ({ id, group: String(s.groupId), on: when, state: stateName })));
    expect(personChecklist(s.ann)).toEqual(s.before);
    expect(fakes.dataverse.row("contact", s.ann)?.clvr_acceptedtypes).toBe(",2,");
    expect(fakes.dataverse.row("list", s.list)?.clvr_receiverstatus).toMatch(/CleverReach group \d+: 2 receivers/);
    // Someone sets the checklist back to green: no flow re-adds or re-activates Ann.
    await fakes.dataverse.handle({
      method: "PATCH",
      path: `${API}/contacts(${s.ann})`,
      query: {},
      headers: { "If-Match": "*" },
      body: { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1, 1: 1, 2: 1 })) },
    });
    await router.settle();
    await sync(s.list);
    await updateSynchronisation(s.list);
    expect(failures()).toEqual([]);
    const after = store().groupReceivers(s.groupId).get("ann@example.com");
    if (state === RECEIVER_STATE.bounced) {
      // A bounce is CleverReach's to manage; what matters is that nothing re-activated a deactivated receiver.
      expect(after === undefined || after.deactivated === 0).toBe(true);
    } else {
      expect(after).toBeDefined();
      expect(after?.deactivated).toBeGreaterThan(0);
    }
    expect(groupContents(fakes, s.groupId).get("ben@example.com")?.active).toBe(true);
  }

  test("unsubscribe: Receiver State row, checklist red, never re-activated", async () => {
    const s = await scenario((g, e) => fakes.cleverReach.seed.unsubscribe(g, e));
    // The chain: the new row fires Create ReceiverState, its write of the declines fires the person
    // flow, which (under the person's lock) writes the derived column and finds the receiver
    // inactive: nothing more happens.
    expect(router.runs.map((r) => r.flow)).toEqual(["Create ReceiverState", "CleverReach - Contact changed"]);
    const personRun = router.runs[1]?.result;
    expect(writeCalls(personRun?.counts.operations ?? {})).toEqual({ ...LOCK_TAKEN_AND_RELEASED, "shared_commondataserviceforapps:UpdateOnlyRecord": 1 });
    await expectRedAndNeverBack(s, RECEIVER_STATE.unsubscribed, /^unsubscribed$/);
  });

  test("bounce: Receiver State row, checklist red, not re-added by an Update Synchronisation", async () => {
    const s = await scenario((g, e) => fakes.cleverReach.seed.bounce(g, e));
    expect(groupContents(fakes, s.groupId).get("ann@example.com")).toBeUndefined();
    const receiverRows = fakes.dataverse.rows("clvr_receiverstate");
    expect(receiverRows.map((r) => r.clvr_state)).toEqual([RECEIVER_STATE.bounced]);
    await fakes.dataverse.handle({ method: "PATCH", path: `${API}/lists(${s.list})`, query: {}, headers: { "If-Match": "*" }, body: { listname: "News 2" } });
    await router.settle();
    await sync(s.list);
    expect(groupContents(fakes, s.groupId).get("ann@example.com")).toBeUndefined();
    expect(declinesOf(s.ann).map((d) => [d.id, d.state])).toEqual([
      [0, "bounced"],
      [1, "bounced"],
    ]);
  });

  test("blacklist: Receiver State row, receiver deactivated, checklist red, never re-activated", async () => {
    const s = await scenario(() => {
      store().blacklist.set("ann@example.com", { email: "ann@example.com", comment: "complaint", stamp: store().now() });
    });
    expect(store().groupReceivers(s.groupId).get("ann@example.com")?.deactivated).toBeGreaterThan(0);
    await expectRedAndNeverBack(s, RECEIVER_STATE.blacklisted, /^blacklisted: complaint$/);
  });

  test("a person in two groups with different types: only the unsubscribed group's types turn red", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1, 1: 1 } }]);
    const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const offers = seedStaticList(fakes, "Offers", { 1: 1 }, [ann!]);
    const newsGroup = await sync(news);
    const offersGroup = await sync(offers);
    fakes.cleverReach.seed.unsubscribe(newsGroup, "ann@example.com");
    await runHourly();
    expect(failures()).toEqual([]);
    expect(declinesOf(ann!).map((d) => [d.id, d.group])).toEqual([[0, String(newsGroup)]]);
    expect(fakes.dataverse.row("contact", ann!)?.clvr_acceptedtypes).toBe(",1,");
    await sync(news);
    await sync(offers);
    expect(store().groupReceivers(newsGroup).get("ann@example.com")?.deactivated).toBeGreaterThan(0);
    expect(groupContents(fakes, offersGroup).get("ann@example.com")?.active).toBe(true);
    expect(fakes.dataverse.rows("clvr_receiverstate")).toHaveLength(1);
  });

  test("mailing history: one row per receiver and mailing with sent / opened / clicked, merged over runs", async () => {
    const [ann, ben] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!, ben!]);
    const groupId = await sync(list);
    const now = store().now();
    const mailing = fakes.cleverReach.seed.mailing("November news", "finished", { started: now - 60 });
    const report = fakes.cleverReach.seed.report(mailing, groupId, {
      sent: [
        { email: "ann@example.com", stamp: now - 60 },
        { email: "ben@example.com", stamp: now - 60 },
      ],
      opened: [{ email: "ann@example.com", stamp: now - 30 }],
    });
    await runHourly();
    const annId = store().groupReceivers(groupId).get("ann@example.com")!.id;
    const benId = store().groupReceivers(groupId).get("ben@example.com")!.id;
    expect(fakes.dataverse.row("clvr_mailingresult", mailingResultId(mailing.id, annId))).toMatchObject({
      clvr_name: "November news",
      clvr_opened: true,
      clvr_clicked: false,
      _clvr_contact_value: ann,
      clvr_senton: isoFromUnix(now - 60),
    });
    expect(fakes.dataverse.row("clvr_mailingresult", mailingResultId(mailing.id, benId))).toMatchObject({ clvr_opened: false, _clvr_contact_value: ben });
    // Ben clicks later: the next run adds it, Ann's open stays.
    store().now = () => now + 3600;
    report.reactions.opened!.push({ email: "ben@example.com", stamp: now + 3500 });
    report.reactions.clicked = [{ email: "ben@example.com", stamp: now + 3500 }];
    await runHourly();
    expect(fakes.dataverse.row("clvr_mailingresult", mailingResultId(mailing.id, benId))).toMatchObject({ clvr_opened: true, clvr_clicked: true });
    expect(fakes.dataverse.row("clvr_mailingresult", mailingResultId(mailing.id, annId))).toMatchObject({ clvr_opened: true });
    expect(fakes.dataverse.rows("clvr_mailingresult")).toHaveLength(2);
  });

  test("CleverReach failing for a group: its record gets the error and the run fails with a clear message", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const groupId = await sync(list);
    fakes.cleverReach.seed.unsubscribe(groupId, "ann@example.com");
    fakes.cleverReach.server.injectFault({ kind: "status", status: 500, times: 10, operationId: "GetGroupStats" });
    const r = await fakes.simulator(flows).run(hourly, {});
    expect(r.status).toBe("Failed");
    expect(r.error?.message).toMatch(new RegExp(`CleverReachToCrm failed for group ${groupId} at Group_stats`));
    expect(String(fakes.dataverse.row("list", list)?.clvr_lastsyncerror)).toMatch(/Group_stats/);
    // Nothing read was lost: the watermark did not move, so the next run writes the rest.
    expect(fakes.dataverse.rows("clvr_grouplink").every((l) => !l.clvr_changesreadon)).toBe(true);
  });

  test("a second run with nothing new makes no Dataverse write", async () => {
    const s = await scenario((g, e) => fakes.cleverReach.seed.unsubscribe(g, e));
    const mailing = fakes.cleverReach.seed.mailing("Hello", "finished");
    fakes.cleverReach.seed.report(mailing, s.groupId, {
      sent: [{ email: "ben@example.com", stamp: store().now() }],
      opened: [{ email: "ben@example.com", stamp: store().now() }],
    });
    await runHourly();
    router.runs.length = 0;
    const second = await runHourly();
    expect(writeCalls(second.counts.operations)).toEqual({});
    expect(router.runs).toEqual([]);
  });

  test("two hourly runs that meet do not overlap: the second starts when the first has ended", async () => {
    await scenario(() => undefined);
    const calls = () => fakes.cleverReach.server.requests.map((r) => `${r.method} ${r.path}`);
    // What one run asks CleverReach, when nothing is new.
    fakes.cleverReach.server.requests.length = 0;
    await runHourly();
    const one = calls();
    expect(one.length).toBeGreaterThan(1);
    fakes.cleverReach.server.requests.length = 0;
    const sim = fakes.simulator(flows);
    const runs = await Promise.all([sim.run(hourly, {}), sim.run(hourly, {})]);
    expect(runs.map((r) => r.status)).toEqual(["Succeeded", "Succeeded"]);
    expect(calls()).toEqual([...one, ...one]);
  });
});
