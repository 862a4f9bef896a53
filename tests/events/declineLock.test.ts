import { buildFlows } from "../../flows";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { isoFromUnix, RECEIVER_STATE, receiverStateId } from "../../flows/product/rules/receiverStates";
import type { RunResult } from "../../flows/toolkit/sim/engine";
import { COLUMNS, LOOKUPS, TABLES } from "../../solution/src/model/handles";
import { LOCK_WAIT_HOURS } from "../../flows/product/patterns/recordLock";
import { closeRouted, openRouted, type TriggerRouter, type Fakes } from "../sim/harness";
import { declinesOf, groupContents, personRow, seedStaticList } from "../sync/scenario";

/**
 * Both writers of a person's declines column (clvr_cleverreachdeclines) read it and write it whole
 * under the person's lock (events/README.md, "Person events"; issue 15's last note): the person
 * run's copy of the address's declines (personEventFlows/addressDeclines.ts, inside the run's hold
 * of the lock) and the Receiver State flows (receiverStateFlows.ts, one person's lock at a time,
 * patterns/lockEach.ts). "Update a row" cannot compare versions (it sends If-Match *), so before
 * the Receiver State flows took the lock, their decline written between the copy's read and a
 * delayed copy write was overwritten, and a new list subscribed the person until a later run
 * copied it back.
 *
 * As a user meets it: Bob unsubscribed from Offers long ago (his row holds that decline); Robert is
 * created with Bob's address, spelled differently, while Bob's unsubscribe from News comes back
 * (a Receiver State row). Robert's run (P) copies Offers' decline to him; the Receiver State run
 * (R) adds News' decline to both. Whatever the order of their calls, both rows end with both
 * declines, a new list sending News' type leaves the address out, and no lock row is left. The
 * runs are driven directly (no routing): the runs their writes would start later are left out on
 * purpose, since the loss lasted until such a run.
 */

/** One interleaving takes 1–3 s idle; the whole enumeration a hundred times that. */
const ENUMERATION_BUDGET = 900_000;

describe("the declines column under the person's lock: the person run's copy and a Receiver State run for the same address", () => {
  let fakes: Fakes;
  let router: TriggerRouter;
  const flows = buildFlows();
  const flow = (name: string) => flows.find((f) => f.displayName.en === name)!;
  beforeEach(async () => ({ fakes, router } = await openRouted([])));
  afterEach(() => closeRouted(fakes, router));

  const OFFERS = 4242;

  /** Bob (unsubscribed from Offers, type 1, long ago), News (type 0) synced with Bob, Bob unsubscribed there; Robert created with Bob's address. */
  async function setUp(table: "contact" | "lead" = "contact") {
    const [bob] = fakes.dataverse.seed("contact", [
      {
        ...personRow({ firstname: "Bob", states: { 0: 1, 1: 1 } }),
        [COLUMNS.cleverReachDeclines]: JSON.stringify([{ id: 1, group: String(OFFERS), on: "2026-11-30T10:00:00Z", state: "unsubscribed" }]),
      },
    ]);
    const news = seedStaticList(fakes, "News", { 0: 1 }, [bob!]);
    const sim = fakes.simulator(flows);
    const synced = await sim.run(syncGroupFlow().build(), { body: { table: "list", id: news } });
    expect(synced.error).toBeUndefined();
    const newsGroup = Number(fakes.dataverse.row("list", news)?.[COLUMNS.cleverReachGroupId]);
    fakes.cleverReach.seed.unsubscribe(newsGroup, "bob@example.com");
    const store = fakes.cleverReach.server.store;
    const receiverId = store.groupReceivers(newsGroup).get("bob@example.com")!.id;
    // The row as CleverReachToCrm writes it (an upsert); nothing is routed, so it starts no run by itself.
    await fakes.dataverse.handle({
      method: "PATCH",
      path: `/api/data/v9.1/${TABLES.receiverState.entitySet}(${receiverStateId(newsGroup, receiverId)})`,
      query: {},
      headers: {},
      body: {
        [COLUMNS.name]: "bob@example.com",
        [COLUMNS.email]: "bob@example.com",
        [COLUMNS.groupId]: String(newsGroup),
        [COLUMNS.receiverId]: String(receiverId),
        [COLUMNS.state]: RECEIVER_STATE.unsubscribed,
        [COLUMNS.lastEvent]: "unsubscribed",
        [COLUMNS.lastEventOn]: isoFromUnix(store.now()),
        [`${LOOKUPS.marketingList.navigation}@odata.bind`]: `/lists(${news})`,
        [`${LOOKUPS.contact.navigation}@odata.bind`]: `/contacts(${bob})`,
      },
    });
    const receiverState = receiverStateId(newsGroup, receiverId);
    const [robert] = fakes.dataverse.seed(table, [personRow({ firstname: "Robert", email: " Bob@Example.COM", states: { 0: 1, 1: 1 } })]);
    return { bob: bob!, robert: robert!, table, newsGroup, receiverState, sim };
  }

  type World = Awaited<ReturnType<typeof setUp>>;
  const personRun = (w: World): Promise<RunResult> =>
    w.sim.run(flow(`CleverReach - ${w.table === "lead" ? "Lead" : "Contact"} changed`), {
      body: { ...fakes.dataverse.row(w.table, w.robert), SdkMessage: "Create" },
    });
  const receiverStateRun = (w: World): Promise<RunResult> =>
    w.sim.run(flow("Create ReceiverState"), { body: fakes.dataverse.row(TABLES.receiverState.logicalName, w.receiverState) });

  /** What must hold after both runs, whatever their order; `where` names the interleaving in a failure. */
  async function endState(w: World, where: string, first: RunResult, second: RunResult) {
    // What a user meets: a new list sending News' type, with Robert in it, leaves the address out.
    const later = seedStaticList(fakes, "Later", { 0: 1 }, [w.robert], w.table);
    const s = await w.sim.run(syncGroupFlow().build(), { body: { table: "list", id: later } });
    const laterGroup = Number(fakes.dataverse.row("list", later)?.[COLUMNS.cleverReachGroupId]);
    const both = [
      [0, String(w.newsGroup)],
      [1, String(OFFERS)],
    ];
    expect({
      where,
      errors: [first.error, second.error, s.error],
      robert: declinesOf(fakes, w.table, w.robert).sort(),
      bob: declinesOf(fakes, "contact", w.bob).sort(),
      locks: fakes.dataverse.rows(TABLES.syncLock.logicalName),
      subscribedByNewList: groupContents(fakes, laterGroup).get("bob@example.com")?.active ?? false,
    }).toEqual({ where, errors: [undefined, undefined, undefined], robert: both, bob: both, locks: [], subscribedByNewList: false });
  }

  /**
   * `held` runs first and is held at its k-th call (before the service sees it, or after the
   * service carried it out with its answer held); the other run starts then and runs until it ends
   * or looks at a lock the held run holds (that look is held, so that it cannot wait the held run
   * out on the virtual clock: a gate's hold is no time on it). Then the held run goes on, and the
   * waiting one after it. Returns the held call's action, or "done" when the held run made fewer
   * than k calls.
   */
  async function interleaving(order: "person first" | "receiver state first", k: number, at: "request" | "answer"): Promise<string> {
    const w = await setUp();
    let n = 0;
    const held = fakes.gates.hold({ where: () => ++n === k, at });
    const [startHeld, startOther] = order === "person first" ? [personRun, receiverStateRun] : [receiverStateRun, personRun];
    const h = startHeld(w);
    const done = await Promise.race([held.reached.then(() => false), h.then(() => true)]);
    if (done) return "done";
    const { run: heldRun, action } = await held.reached;
    const where = `${order}, held ${at === "request" ? "before" : "after"} call ${k} (${action})`;
    const look = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", where: (c) => c.run !== heldRun });
    const o = startOther(w);
    await Promise.race([look.reached, o]);
    held.release();
    const rh = await h;
    look.release();
    const ro = await o;
    await endState(w, where, rh, ro);
    return action;
  }

  async function enumerate(order: "person first" | "receiver state first", at: "request" | "answer"): Promise<string[]> {
    const held: string[] = [];
    for (let k = 1; ; k++) {
      await closeRouted(fakes, router);
      ({ fakes, router } = await openRouted([]));
      const action = await interleaving(order, k, at);
      if (action === "done") break;
      held.push(action);
    }
    return held;
  }

  test.each(["contact", "lead"] as const)(
    "the copy's write delayed past the Receiver State run's whole work (the interleaving that lost the decline), Robert a %s: the decline holds",
    async (table) => {
      const w = await setUp(table);
      const write = fakes.gates.hold({ connector: "dataverse", action: "Write_address_declines" });
      const p = personRun(w);
      const { run: personRunName } = await write.reached;
      const look = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", where: (c) => c.run !== personRunName });
      const r = receiverStateRun(w);
      // The Receiver State run waits at Robert's lock (before the lock it wrote Robert's row here and finished).
      await Promise.race([look.reached, r]);
      write.release();
      const rp = await p;
      look.release();
      await endState(w, `copy's write delayed (${table})`, rp, await r);
    },
    60_000,
  );

  test.each(["request", "answer"] as const)(
    "the person run held at each of its calls in turn (%s) while the Receiver State run adds News' decline: no decline lost",
    async (at) => {
      const held = await enumerate("person first", at);
      // The copy's own calls are among them: its reads of the address's rows and of Robert's declines, and its write.
      expect(held).toEqual(expect.arrayContaining(["Create_lock", "Address_rows_contacts", "Read_own_declines", "Write_address_declines", "Release_lock"]));
    },
    ENUMERATION_BUDGET,
  );

  test.each(["request", "answer"] as const)(
    "the Receiver State run held at each of its calls in turn (%s) while Robert's run copies the address's declines: no decline lost",
    async (at) => {
      const held = await enumerate("receiver state first", at);
      expect(held).toEqual(expect.arrayContaining(["Get_receiver", "Create_lock", "Get_declines", "Write_declines", "Release_record_lock"]));
    },
    ENUMERATION_BUDGET,
  );
  test("a Receiver State run that cannot take a person's lock gives up after the person lock's limits, in words, and still adds the decline to the others", async () => {
    const w = await setUp();
    // Robert's run holds his lock and never goes on (a gate's hold is no time on the virtual clock).
    const stuck = fakes.gates.hold({ connector: "dataverse", action: "Write_address_declines" });
    const p = personRun(w);
    await stuck.reached;
    const r = await receiverStateRun(w);
    expect(r.status).toBe("Failed");
    expect(r.error?.message).toBe(
      `the declines from CleverReach on contacts(${w.robert}): Adding CleverReach's decline waited ${LOCK_WAIT_HOURS} hours for another run on this record ` +
        "to finish and gave up; nothing was changed. The person's own run copies the declines of the other rows with the address when the person is saved again; " +
        "a decline only this person had comes back with the next Receiver State run for the address.",
    );
    expect(r.measures.virtualMs).toBeGreaterThanOrEqual(LOCK_WAIT_HOURS * 3_600_000);
    // Bob, whose lock was free, got the decline; the run left no lock row of its own (Robert's is his run's).
    expect(declinesOf(fakes, "contact", w.bob).sort()).toEqual([
      [0, String(w.newsGroup)],
      [1, String(OFFERS)],
    ]);
    expect(fakes.dataverse.rows(TABLES.syncLock.logicalName).map((l) => l[TABLES.syncLock.idColumn])).toEqual([w.robert]);
    stuck.release();
    expect((await p).error).toBeUndefined();
  }, 60_000);

  test("each person's lock is a new one: person runs waiting at two persons' locks of one Receiver State run both run (neither is taken for served by the other's promised pass)", async () => {
    const w = await setUp();
    // The Receiver State run holds Bob's lock (held after reading his declines), then Robert's.
    const atBob = fakes.gates.hold({ connector: "dataverse", action: "Get_declines", at: "answer" });
    const r = receiverStateRun(w);
    expect((await atBob.reached).request.path).toContain(w.bob);
    const atRobert = fakes.gates.hold({ connector: "dataverse", action: "Get_declines", at: "answer" });
    // Each waiting person run's second look is held: it has promised its pass by then, and keeps that promise row.
    const looks = new Map<string, number>();
    const secondLooks = fakes.gates.hold({
      connector: "dataverse",
      action: "Read_lock",
      where: (c) => looks.set(c.run, (looks.get(c.run) ?? 0) + 1).get(c.run) === 2,
      times: 2,
    });
    const pb = w.sim.run(flow("CleverReach - Contact changed"), { body: { ...fakes.dataverse.row("contact", w.bob), SdkMessage: "Update" } });
    await secondLooks.reached;
    atBob.release();
    expect((await atRobert.reached).request.path).toContain(w.robert);
    const pr = personRun(w);
    // Robert's run waits too (its second look held), unless it took itself for served and ended.
    let ended = false;
    void pr.then(() => (ended = true));
    while (secondLooks.caught.length < 2 && !ended) await new Promise((res) => setTimeout(res, 5));
    atRobert.release();
    const rr = await r;
    secondLooks.release();
    const [rb, rp] = await Promise.all([pb, pr]);
    expect(rb.error).toBeUndefined();
    // Robert's run copied Offers' decline: it ran, and was not served by Bob's run's promise.
    expect(rp.actions.get("Served_by_successor")?.status ?? "Skipped").toBe("Skipped");
    await endState(w, "two persons' locks in turn", rr, rp);
  }, 60_000);
});
