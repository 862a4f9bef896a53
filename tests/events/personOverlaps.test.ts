import { buildFlows } from "../../flows";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import type { RunResult } from "../../flows/toolkit/sim/engine";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { COLUMNS, TABLES } from "../../solution/src/model/handles";
import { startFakes, type Fakes } from "../sim/harness";
import { checklist, groupContents, patchRow, seedContacts, seedStaticList } from "../sync/scenario";

/**
 * A person's runs that overlap (issue 15, "Person flows: a stale run can still add someone a newer
 * run removed"; flows/product/README.md, "Overlapping runs"): Contact changed against an older run
 * of itself, and against a Sync group pass of one of the person's lists. Every interleaving is
 * driven with gates (tests/sim/gates.ts): the older run is held at each of its CleverReach and
 * Dataverse calls in turn, before the call (at: "request") and after it (at: "answer"), while the
 * newer run starts.
 */
describe("overlapping runs for one person", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(async () => {
    fakes.gates.releaseAll();
    await fakes.stop();
  });

  const flows = buildFlows();
  const contactChanged = flows.find((f) => f.displayName.en === "CleverReach - Contact changed")!;
  const sync = syncGroupFlow().build();
  const simulator = () => fakes.simulator(flows);
  /** A run of Contact changed as the row's Update event starts it (tests/fakes/dataverse/triggers.ts, triggerBodyOf). */
  const personRun = (id: string): Promise<RunResult> =>
    simulator().run(contactChanged, { body: { ...fakes.dataverse.row("contact", id), SdkMessage: "Update" } });
  const syncRun = (table: string, id: string): Promise<RunResult> => simulator().run(sync, { body: { table, id } });
  const lockRows = () => fakes.dataverse.rows(TABLES.syncLock.logicalName);
  const save = (id: string, states: Record<number, 0 | 1 | 2>) =>
    patchRow(fakes, "contacts", id, { [COLUMNS.newsletterChecklist]: serializeChecklist(checklist(states)) });
  const activeIn = (groupId: number, email: string) => groupContents(fakes, groupId).get(email)?.active ?? false;
  const groupIdOf = (table: string, id: string) => Number(fakes.dataverse.row(table, id)?.[COLUMNS.cleverReachGroupId]);

  /** Settles a run that may be held at a gate that is never reached (then it ran to its end). */
  const reachedOrDone = (reached: Promise<unknown>, run: Promise<RunResult>): Promise<"reached" | "done"> =>
    Promise.race([reached.then(() => "reached" as const), run.then(() => "done" as const)]);

  /** Runs `interleaving(k)` for k = 1, 2, … on fresh fakes until the held run no longer reaches call k. */
  async function everyCall(interleaving: (k: number) => Promise<string | "done">): Promise<string[]> {
    const held: string[] = [];
    for (let k = 1; ; k++) {
      await fakes.stop();
      fakes = await startFakes();
      const action = await interleaving(k);
      if (action === "done") break;
      held.push(action);
    }
    return held;
  }

  describe("a save that declines a type while an older run for an earlier save is between its reads and its CleverReach write", () => {
    /**
     * Ann ticks type 0 (save 1; run A would add her to News) and declines it at once (save 2; run B).
     * A is held at its k-th call; B starts meanwhile, and its first look at the person's lock waits
     * until A is through, so that it cannot wait A out on the virtual clock (a held call is not busy).
     */
    async function interleaving(k: number, at: "request" | "answer"): Promise<string> {
      const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 0 } }]);
      const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
      expect((await syncRun("list", news)).status).toBe("Succeeded");
      const groupId = groupIdOf("list", news);
      expect(activeIn(groupId, "ann@example.com")).toBe(false);
      await save(ann!, { 0: 1 });
      let n = 0;
      const held = fakes.gates.hold({ where: () => ++n === k, at });
      const a = personRun(ann!);
      if ((await reachedOrDone(held.reached, a)) === "done") return "done";
      const { run: runA, action } = await held.reached;
      await save(ann!, { 0: 2 });
      const look = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", where: (c) => c.run !== runA });
      const b = personRun(ann!);
      await reachedOrDone(look.reached, b);
      held.release();
      const ra = await a;
      look.release();
      const rb = await b;
      expect([action, ra.status, ra.error, rb.status, rb.error]).toEqual([action, "Succeeded", undefined, "Succeeded", undefined]);
      // What Ann meets: her last save says no, so she is not in the group, whatever the order.
      expect([action, activeIn(groupId, "ann@example.com")]).toEqual([action, false]);
      expect(fakes.dataverse.row("contact", ann!)?.[COLUMNS.acceptedTypes]).toBe("");
      expect(lockRows()).toEqual([]);
      return action;
    }

    for (const at of ["request", "answer"] as const) {
      test(`run A held at each of its calls in turn (${at}): Ann is not in the group at the end`, async () => {
        const held = await everyCall((k) => interleaving(k, at));
        // Every call of A, its readings of the person and its write to CleverReach among them.
        expect(held).toEqual(expect.arrayContaining(["Create_lock", "Read_person_key", "Get_person", "Find_receiver", "Add_receiver", "Release_lock"]));
      }, 300_000);
    }
  });

  test("saves during a run fold into one more pass that reads the person afresh: the last save counts, a third run is served", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 0 } }]);
    const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    expect((await syncRun("list", news)).status).toBe("Succeeded");
    const groupId = groupIdOf("list", news);
    // Save 1 ticks type 0: run A has read Ann and its write to CleverReach waits.
    await save(ann!, { 0: 1 });
    const held = fakes.gates.hold({ connector: "cleverreach", action: "Add_receiver" });
    const a = personRun(ann!);
    const runA = (await held.reached).run;
    const readings = fakes.gates.hold({ connector: "dataverse", action: "Get_person", times: 100 });
    readings.release();
    // Save 2 changes her name: run B finds A's lock, promises a pass after it, and waits (its second look held).
    await patchRow(fakes, "contacts", ann!, { firstname: "Anna" });
    const firstLook = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", where: (c) => c.run !== runA });
    const b = personRun(ann!);
    const runB = (await firstLook.reached).run;
    const secondLook = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", where: (c) => c.run === runB });
    firstLook.release();
    await secondLook.reached;
    // Save 3 declines type 0: run C finds the pass promised and stops at once.
    await save(ann!, { 0: 2 });
    const c = await personRun(ann!);
    expect([c.status, c.error]).toEqual(["Succeeded", undefined]);
    held.release();
    expect((await a).status).toBe("Succeeded");
    secondLook.release();
    expect((await b).status).toBe("Succeeded");
    // One more pass (B's), which read Ann after save 3: she is out, by her last save.
    expect(readings.caught.map((r) => r.run)).toEqual([runB]);
    expect(activeIn(groupId, "ann@example.com")).toBe(false);
    expect(fakes.dataverse.row("contact", ann!)?.[COLUMNS.acceptedTypes]).toBe("");
    expect(lockRows()).toEqual([]);
  }, 60_000);

  describe("a person run against a Sync group pass of one of their lists (two locks)", () => {
    /**
     * Ann is in News and active. A full sync of News (run S) is held at its k-th call; Ann declines
     * type 0 (or is deactivated) meanwhile and her run P starts. The Sync group run P starts for News (if it does) has
     * its first look at the list's lock held until S is through.
     */
    async function interleaving(k: number, at: "request" | "answer", change: "declined" | "deactivated"): Promise<string> {
      const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
      const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
      expect((await syncRun("list", news)).status).toBe("Succeeded");
      const groupId = groupIdOf("list", news);
      expect(activeIn(groupId, "ann@example.com")).toBe(true);
      let n = 0;
      const held = fakes.gates.hold({ where: () => ++n === k, at });
      const s = syncRun("list", news);
      if ((await reachedOrDone(held.reached, s)) === "done") return "done";
      const { run: runS, action } = await held.reached;
      if (change === "declined") await save(ann!, { 0: 2 });
      else await patchRow(fakes, "contacts", ann!, { statecode: 1, statuscode: 2 });
      const look = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", where: (c) => c.run !== runS });
      const p = personRun(ann!);
      await reachedOrDone(look.reached, p);
      held.release();
      const rs = await s;
      look.release();
      const rp = await p;
      expect([action, rs.status, rs.error, rp.status, rp.error]).toEqual([action, "Succeeded", undefined, "Succeeded", undefined]);
      expect([action, activeIn(groupId, "ann@example.com")]).toEqual([action, false]);
      expect(lockRows()).toEqual([]);
      return action;
    }

    for (const [at, change] of [
      ["request", "declined"],
      ["answer", "declined"],
      ["request", "deactivated"],
      ["answer", "deactivated"],
    ] as const) {
      test(`the sync held at each of its calls in turn (${at}), Ann ${change} meanwhile: she is not in the group at the end`, async () => {
        const held = await everyCall((k) => interleaving(k, at, change));
        expect(held).toEqual(expect.arrayContaining(["Create_lock", "Read_people_page", "Upsert_receivers", "Release_lock"]));
      }, 400_000);
    }
  });
});
