import { buildFlows } from "../../flows";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import type { RunResult } from "../../flows/toolkit/sim/engine";
import { COLUMNS, TABLES } from "../../solution/src/model/handles";
import { closeRouted, openRouted, type TriggerRouter, type Fakes } from "../sim/harness";
import {
  groupContents,
  patchRow,
  personRow,
  seedContacts,
  seedStaticList,
  syncAndSettle,
  hourlyAndSettle,
  declinesOf as declinesOfRow,
} from "../sync/scenario";

/** A scenario with several flows takes 1–3 s idle; ten times that on a busy machine. */
const BUDGET = 60_000;

/**
 * Declines belong to the address (SPEC §6.5; issue 15, "a contact or lead created later with an
 * unsubscribed address (or changed to it) gets no decline until another Receiver State run for
 * that address"): as a user meets it, a new list must not subscribe the address again, whichever
 * row carries it and however it is spelled (rules/addresses.ts).
 */
describe("declines belong to the address: a row that gets an address CleverReach has declines for gets them too", () => {
  let fakes: Fakes;
  let router: TriggerRouter;
  const flows = buildFlows();
  beforeEach(async () => ({ fakes, router } = await openRouted(flows)));
  afterEach(() => closeRouted(fakes, router));

  const failures = () => router.failures();
  const sync = (table: string, id: string) => syncAndSettle(fakes, router, flows, table, id);
  const hourly = () => hourlyAndSettle(fakes, router, flows);
  const declinesOf = (table: string, id: string) => declinesOfRow(fakes, table, id);
  const post = async (set: string, body: Record<string, unknown>): Promise<string> => {
    const answer = await fakes.dataverse.handle({
      method: "POST",
      path: `/api/data/v9.2/${set}`,
      query: {},
      headers: { Prefer: "return=representation" },
      body,
    });
    const id = (answer.body as Record<string, unknown> | undefined)?.contactid ?? (answer.body as Record<string, unknown> | undefined)?.leadid;
    expect(typeof id).toBe("string");
    return id as string;
  };
  const activeIn = (groupId: number, email: string) => groupContents(fakes, groupId).get(email)?.active ?? false;

  /** Bob unsubscribed from Offers (type 1) in CleverReach; the hourly back-sync gave him the decline. */
  async function bobUnsubscribed() {
    const [bob] = seedContacts(fakes, [{ firstname: "Bob", states: { 1: 1 } }]);
    const offers = seedStaticList(fakes, "Offers", { 1: 1 }, [bob!]);
    const offersGroup = await sync("list", offers);
    fakes.cleverReach.seed.unsubscribe(offersGroup, "bob@example.com");
    await hourly();
    expect(declinesOf("contact", bob!)).toEqual([[1, String(offersGroup)]]);
    router.runs.length = 0;
    return { bob: bob!, offersGroup };
  }

  const spellings = ["bob@example.com", " Bob@Example.COM ", "BOB@EXAMPLE.COM\t", "\u00a0bob@example.com"];

  test.each(spellings)(
    "a new contact with the address spelled %j joins a new list: not added, and the decline is on the new contact",
    async (email) => {
      const { offersGroup } = await bobUnsubscribed();
      const robert = await post("contacts", personRow({ firstname: "Robert", email, states: { 1: 1 } }));
      await router.settle();
      expect(failures()).toEqual([]);
      // What the checklist control shows beside Robert's own choices (the declines column).
      expect(declinesOf("contact", robert)).toEqual([[1, String(offersGroup)]]);
      const later = await sync("list", seedStaticList(fakes, "Later", { 1: 1 }, [robert]));
      expect(groupContents(fakes, later).get("bob@example.com")).toBeUndefined();
    },
    BUDGET,
  );

  test(
    "a new lead with the address: the decline reaches the lead too, and a new lead list does not subscribe it",
    async () => {
      const { offersGroup } = await bobUnsubscribed();
      const lea = await post("leads", personRow({ firstname: "Lea", email: "Bob@example.com", states: { 1: 1 } }));
      await router.settle();
      expect(failures()).toEqual([]);
      expect(declinesOf("lead", lea)).toEqual([[1, String(offersGroup)]]);
      const later = await sync("list", seedStaticList(fakes, "Later", { 1: 1 }, [lea], "lead"));
      expect(groupContents(fakes, later).get("bob@example.com")).toBeUndefined();
    },
    BUDGET,
  );

  test.each(spellings)(
    "an e-mail changed to the address spelled %j: the old receiver is removed and the address is not added",
    async (email) => {
      const { offersGroup } = await bobUnsubscribed();
      const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 1: 1 } }]);
      const letters = await sync("list", seedStaticList(fakes, "Letters", { 1: 1 }, [ann!]));
      expect(activeIn(letters, "ann@example.com")).toBe(true);
      await patchRow(fakes, "contacts", ann!, { emailaddress1: email });
      await router.settle();
      expect(failures()).toEqual([]);
      expect(declinesOf("contact", ann!)).toEqual([[1, String(offersGroup)]]);
      expect(activeIn(letters, "ann@example.com")).toBe(false);
      expect(activeIn(letters, "bob@example.com")).toBe(false);
      // A full sync of the list afterwards agrees.
      await sync("list", seedStaticList(fakes, "Letters again", { 1: 1 }, [ann!]));
      expect(activeIn(letters, "bob@example.com")).toBe(false);
    },
    BUDGET,
  );

  test(
    "a row of another address keeps its own declines only: nothing is copied to a row whose address differs",
    async () => {
      await bobUnsubscribed();
      const carl = await post("contacts", personRow({ firstname: "Carl", email: "bob@example.org", states: { 1: 1 } }));
      await router.settle();
      expect(failures()).toEqual([]);
      expect(declinesOf("contact", carl)).toEqual([]);
    },
    BUDGET,
  );

  describe("the window before the copy: a Sync group pass that read the new row without its declines", () => {
    /**
     * Robert is created with Bob's address and put in a list at once; the list's sync (run S) has
     * read him before his own run copied the declines, and is held at its k-th call; Robert's run
     * starts meanwhile. The sync his run starts for the list (if it does) has its first look at the
     * list's lock held until S is through.
     */
    async function interleaving(k: number): Promise<string> {
      const offersGroup = 4242;
      fakes.dataverse.seed("contact", [
        {
          ...personRow({ firstname: "Bob", states: { 1: 1 } }),
          [COLUMNS.cleverReachDeclines]: JSON.stringify([{ id: 1, group: String(offersGroup), on: "2026-11-30T10:00:00Z", state: "unsubscribed" }]),
        },
      ]);
      const [robert] = fakes.dataverse.seed("contact", [personRow({ firstname: "Robert", email: "Bob@example.com", states: { 1: 1 } })]);
      const later = seedStaticList(fakes, "Later", { 1: 1 }, [robert!]);
      let n = 0;
      const held = fakes.gates.hold({ where: () => ++n === k, at: "answer" });
      const sim = fakes.simulator(flows);
      const s = sim.run(syncGroupFlow().build(), { body: { table: "list", id: later } });
      const done = await Promise.race([held.reached.then(() => false), s.then(() => true)]);
      if (done) return "done";
      const { run: runS, action } = await held.reached;
      const look = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", where: (c) => c.run !== runS });
      const contactChanged = flows.find((f) => f.displayName.en === "CleverReach - Contact changed")!;
      const p: Promise<RunResult> = sim.run(contactChanged, { body: { ...fakes.dataverse.row("contact", robert!), SdkMessage: "Create" } });
      await Promise.race([look.reached, p]);
      held.release();
      const rs = await s;
      look.release();
      const rp = await p;
      expect([action, rs.error, rp.error]).toEqual([action, undefined, undefined]);
      const groupId = Number(fakes.dataverse.row("list", later)?.[COLUMNS.cleverReachGroupId]);
      expect([action, activeIn(groupId, "bob@example.com")]).toEqual([action, false]);
      expect(declinesOf("contact", robert!)).toEqual([[1, String(offersGroup)]]);
      expect(fakes.dataverse.rows(TABLES.syncLock.logicalName)).toEqual([]);
      return action;
    }

    test("the sync held after each of its calls in turn: the address is not subscribed", async () => {
      const held: string[] = [];
      for (let k = 1; ; k++) {
        await closeRouted(fakes, router);
        ({ fakes, router } = await openRouted([]));
        const action = await interleaving(k);
        if (action === "done") break;
        held.push(action);
      }
      expect(held).toEqual(expect.arrayContaining(["Read_people_page", "Upsert_receivers", "Release_lock"]));
    }, 300_000);
  });
});
