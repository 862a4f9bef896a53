import { buildFlows } from "../../flows";
import { isoFromUnix, RECEIVER_STATE, receiverStateId } from "../../flows/product/rules/receiverStates";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { updateSynchronisationFlows } from "../../flows/product/sync/updateSynchronisationFlows";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { COLUMNS, LOOKUPS, TABLES } from "../../solution/src/model/handles";
import type { Gate } from "../sim/gates";
import { selectedRows, closeRouted, openRouted, type TriggerRouter, type Fakes } from "../sim/harness";
import {
  checklist,
  groupContents,
  patchRow,
  personRow,
  seedContacts,
  seedStaticList,
  syncAndSettle,
  hourlyAndSettle,
  declinesOf as declinesOfRow,
} from "../sync/scenario";

/** A scenario with several flows and gates takes 2–5 s idle; ten times that on a busy machine. */
const BUDGET = 60_000;

/**
 * Issue 15 items 2, 7–9, 11–13 and issue 14 findings 6 and 7 (second half), as a user meets them:
 * what ends up in CleverReach and on the person after CleverReach reports a decline, whatever a
 * user, a forged row or the timing of the flows does meanwhile. The concurrency cases drive every
 * order of the runs' reads and writes with gates (tests/sim/gates.ts).
 */
describe("CleverReach's declines hold (issue 15 items 2, 7–9, 11–13; issue 14 findings 6, 7)", () => {
  let fakes: Fakes;
  let router: TriggerRouter;
  const flows = buildFlows();
  beforeEach(async () => ({ fakes, router } = await openRouted(flows)));
  afterEach(() => closeRouted(fakes, router));

  const store = () => fakes.cleverReach.server.store;
  const failures = () => router.failures();
  const sync = (table: string, id: string) => syncAndSettle(fakes, router, flows, table, id);
  const hourly = () => hourlyAndSettle(fakes, router, flows);
  const declinesOf = (table: string, id: string) => declinesOfRow(fakes, table, id);
  /** A list made later that sends `types`: the user-visible question is whether it subscribes the person again. */
  const newListWith = async (types: Record<number, 1>, members: string[], table: "contact" | "lead" = "contact") => {
    const list = seedStaticList(fakes, `Later ${Object.keys(types).join("+")}`, types, members, table);
    return groupContents(fakes, await sync("list", list));
  };

  /**
   * A Receiver State row as CleverReachToCrm writes it (an upsert by the row id made from group and
   * receiver), which fires Create ReceiverState. Without `receiverId` the row names a receiver id
   * of the attacker's choosing.
   */
  const writeReceiverState = (o: { groupId: number; email: string; list: string; contact?: string; lead?: string; state?: number; receiverId?: number }) => {
    const receiverId = o.receiverId ?? store().groupReceivers(o.groupId).get(o.email.toLowerCase())?.id ?? 999;
    return fakes.dataverse.handle({
      method: "PATCH",
      // The connector's upsert ("Update a row"): PATCH on v9.1 without If-Match creates a missing row.
      path: `/api/data/v9.1/${TABLES.receiverState.entitySet}(${receiverStateId(o.groupId, receiverId)})`,
      query: {},
      headers: {},
      body: {
        [COLUMNS.name]: o.email,
        [COLUMNS.email]: o.email,
        [COLUMNS.groupId]: String(o.groupId),
        [COLUMNS.receiverId]: String(receiverId),
        [COLUMNS.state]: o.state ?? RECEIVER_STATE.unsubscribed,
        [COLUMNS.lastEvent]: "unsubscribed",
        [COLUMNS.lastEventOn]: isoFromUnix(store().now()),
        [`${LOOKUPS.marketingList.navigation}@odata.bind`]: `/lists(${o.list})`,
        ...(o.contact ? { [`${LOOKUPS.contact.navigation}@odata.bind`]: `/contacts(${o.contact})` } : {}),
        ...(o.lead ? { [`${LOOKUPS.lead.navigation}@odata.bind`]: `/leads(${o.lead})` } : {}),
      },
    });
  };

  /** Ann in two lists (News sends type 0, Offers type 1), synced, and unsubscribed from both groups in CleverReach. */
  async function annUnsubscribedTwice() {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1, 1: 1, 2: 1 } }]);
    const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const offers = seedStaticList(fakes, "Offers", { 1: 1 }, [ann!]);
    const newsGroup = await sync("list", news);
    const offersGroup = await sync("list", offers);
    fakes.cleverReach.seed.unsubscribe(newsGroup, "ann@example.com");
    fakes.cleverReach.seed.unsubscribe(offersGroup, "ann@example.com");
    router.runs.length = 0;
    return { ann: ann!, news, offers, newsGroup, offersGroup };
  }

  /** The Receiver State flows' write of the person (the declines; before issue 15 the checklist). */
  const holdWrites = (times: number): Gate =>
    fakes.gates.hold({
      connector: "dataverse",
      operationId: "UpdateOnlyRecord",
      where: (c) => c.action === "Write_declines" || c.action === "Write_checklist",
      times,
    });

  async function expectBothDeclinesHold(s: Awaited<ReturnType<typeof annUnsubscribedTwice>>) {
    await router.settle();
    expect(failures()).toEqual([]);
    // What a user meets: a new list sending either type does not subscribe Ann again.
    expect((await newListWith({ 0: 1 }, [s.ann])).get("ann@example.com")).toBeUndefined();
    expect((await newListWith({ 1: 1 }, [s.ann])).get("ann@example.com")).toBeUndefined();
    expect(declinesOf("contact", s.ann).sort()).toEqual([
      [0, String(s.newsGroup)],
      [1, String(s.offersGroup)],
    ]);
  }

  describe("item 7: two Receiver State runs for one person lose no decline: the second waits at the person's lock while the first is between its read and its write", () => {
    /**
     * Since the Receiver State flows read and write a person's declines under the person's lock
     * (patterns/lockEach.ts), the second run cannot read Ann between the first run's read and its
     * write: it waits at the lock (its looks are held there, so that it cannot wait the first run
     * out on the virtual clock) until the first write has landed. Before the lock, both runs read
     * and both wrote, in either order; the rounds of each run kept both declines then, and the lock
     * keeps them now.
     */
    async function secondWaitsAtTheLock(secondRowLater: boolean) {
      const s = await annUnsubscribedTwice();
      const first = holdWrites(1);
      // Every read of Ann's declines goes through, and is noted with the run that made it.
      const reads = fakes.gates.hold({ connector: "dataverse", action: "Get_declines", times: 1000 });
      reads.release();
      await writeReceiverState({ groupId: s.newsGroup, email: "ann@example.com", list: s.news, contact: s.ann });
      if (secondRowLater) await first.reached;
      const look = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", times: 1000 });
      await writeReceiverState({ groupId: s.offersGroup, email: "ann@example.com", list: s.offers, contact: s.ann });
      const { run: firstRun } = await first.reached;
      const waiting = await look.reached;
      expect(waiting.run).not.toBe(firstRun);
      // The waiting run has not read Ann's declines: the first run holds her between its read and write.
      expect(reads.caught.filter((c) => c.run === waiting.run)).toEqual([]);
      first.release();
      look.release();
      await expectBothDeclinesHold(s);
    }

    test.each([
      ["both rows there before either run reads", false],
      ["the second row written after the first run read", true],
    ] as const)("%s: the second run waits at Ann's lock until the first run's write has landed", async (_name, later) => secondWaitsAtTheLock(later), BUDGET);

    test(
      "one after the other",
      async () => {
        const s = await annUnsubscribedTwice();
        await writeReceiverState({ groupId: s.newsGroup, email: "ann@example.com", list: s.news, contact: s.ann });
        await router.settle();
        await writeReceiverState({ groupId: s.offersGroup, email: "ann@example.com", list: s.offers, contact: s.ann });
        await expectBothDeclinesHold(s);
      },
      BUDGET,
    );
  });

  test(
    "item 8: a user's checklist save between the Receiver State flow's read and write is kept, and the decline holds",
    async () => {
      const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
      const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
      const group = await sync("list", news);
      fakes.cleverReach.seed.unsubscribe(group, "ann@example.com");
      const write = holdWrites(1);
      await writeReceiverState({ groupId: group, email: "ann@example.com", list: news, contact: ann! });
      await write.reached;
      // Meanwhile the user ticks type 3 on Ann's form and saves.
      const saved = serializeChecklist(checklist({ 0: 1, 3: 1 }));
      await patchRow(fakes, "contacts", ann!, { [COLUMNS.newsletterChecklist]: saved });
      write.release();
      await router.settle();
      expect(failures()).toEqual([]);
      expect(fakes.dataverse.row("contact", ann!)?.[COLUMNS.newsletterChecklist]).toBe(saved);
      expect(declinesOf("contact", ann!)).toEqual([[0, String(group)]]);
      const later = await newListWith({ 0: 1, 3: 1 }, [ann!]);
      // Type 0 is declined, type 3 accepted: the later list may send type 3, so Ann is in it (active).
      expect(later.get("ann@example.com")?.active).toBe(true);
      const onlyZero = await newListWith({ 0: 1 }, [ann!]);
      expect(onlyZero.get("ann@example.com")).toBeUndefined();
    },
    BUDGET,
  );

  test(
    "item 9: a form opened before the unsubscribe came back and saved after it does not turn the decline green; a new list does not subscribe her",
    async () => {
      const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1, 1: 1 } }]);
      const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
      const group = await sync("list", news);
      // The form loads the checklist JSON …
      const loaded = fakes.dataverse.row("contact", ann!)?.[COLUMNS.newsletterChecklist] as string;
      fakes.cleverReach.seed.unsubscribe(group, "ann@example.com");
      await hourly();
      expect(failures()).toEqual([]);
      // … and the user saves what it loaded (with one more type ticked) after the unsubscribe came back.
      const rows = JSON.parse(loaded) as Array<Record<string, unknown>>;
      await patchRow(fakes, "contacts", ann!, { [COLUMNS.newsletterChecklist]: JSON.stringify([...rows, { ...rows[0], id: 4, position: 2 }]) });
      await router.settle();
      expect(failures()).toEqual([]);
      expect((await newListWith({ 0: 1 }, [ann!])).get("ann@example.com")).toBeUndefined();
      expect(store().groupReceivers(group).get("ann@example.com")?.deactivated).toBeGreaterThan(0);
      expect(declinesOf("contact", ann!)).toEqual([[0, String(group)]]);
    },
    BUDGET,
  );

  describe("item 2: a forged Receiver State row changes nobody", () => {
    test(
      "a row saying unsubscribed for a person who is active in CleverReach",
      async () => {
        const [victim] = seedContacts(fakes, [{ firstname: "Vera", states: { 0: 1 } }]);
        const news = seedStaticList(fakes, "News", { 0: 1 }, [victim!]);
        const group = await sync("list", news);
        const before = fakes.dataverse.row("contact", victim!)?.[COLUMNS.newsletterChecklist];
        await writeReceiverState({ groupId: group, email: "vera@example.com", list: news, contact: victim! });
        await router.settle();
        expect(fakes.dataverse.row("contact", victim!)?.[COLUMNS.newsletterChecklist]).toBe(before);
        expect(declinesOf("contact", victim!)).toEqual([]);
        expect(groupContents(fakes, group).get("vera@example.com")?.active).toBe(true);
        expect((await newListWith({ 0: 1 }, [victim!])).get("vera@example.com")?.active).toBe(true);
      },
      BUDGET,
    );

    test(
      "a row naming someone who really unsubscribed, but with the victim's contact lookup",
      async () => {
        const [victim, mallory] = seedContacts(fakes, [
          { firstname: "Vera", states: { 0: 1 } },
          { firstname: "Mallory", states: { 0: 1 } },
        ]);
        const news = seedStaticList(fakes, "News", { 0: 1 }, [victim!, mallory!]);
        const group = await sync("list", news);
        fakes.cleverReach.seed.unsubscribe(group, "mallory@example.com");
        await writeReceiverState({ groupId: group, email: "mallory@example.com", list: news, contact: victim! });
        await router.settle();
        expect((await newListWith({ 0: 1 }, [victim!])).get("vera@example.com")?.active).toBe(true);
        expect(declinesOf("contact", victim!)).toEqual([]);
        // The decline is true for Mallory's address, so Mallory's row shows it.
        expect(declinesOf("contact", mallory!)).toEqual([[0, String(group)]]);
      },
      BUDGET,
    );

    test(
      "a row pointing a list at another group (a group id the list does not own)",
      async () => {
        const [victim] = seedContacts(fakes, [{ firstname: "Vera", states: { 0: 1, 1: 1 } }]);
        const news = seedStaticList(fakes, "News", { 0: 1 }, [victim!]);
        const other = seedStaticList(fakes, "Other", { 1: 1 }, [victim!]);
        const group = await sync("list", news);
        const otherGroup = await sync("list", other);
        fakes.cleverReach.seed.unsubscribe(otherGroup, "vera@example.com");
        // Vera left Other's group (type 1); the row claims News's types (type 0) for it.
        await writeReceiverState({ groupId: otherGroup, email: "vera@example.com", list: news, contact: victim! });
        await router.settle();
        expect(declinesOf("contact", victim!)).toEqual([]);
        expect(groupContents(fakes, group).get("vera@example.com")?.active).toBe(true);
      },
      BUDGET,
    );
  });

  test(
    "issue 14 finding 6 and item 13: an unsubscribe reaches every contact and lead with the address (any case, white space around it); a lead list made later does not subscribe the lead whose address differs only in case",
    async () => {
      const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
      const [lead, spaced] = fakes.dataverse.seed("lead", [
        personRow({ firstname: "Ann", email: "ANN@Example.com", states: { 0: 1 } }),
        personRow({ firstname: "Ann", email: " ann@example.com\u00a0", states: { 0: 1 } }),
      ]);
      const [other] = seedContacts(fakes, [{ firstname: "Annette", email: "xann@example.com", states: { 0: 1 } }]);
      const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!, other!]);
      const group = await sync("list", news);
      fakes.cleverReach.seed.unsubscribe(group, "ann@example.com");
      await hourly();
      expect(failures()).toEqual([]);
      const leads = await newListWith({ 0: 1 }, [lead!], "lead");
      expect([...leads.keys()]).toEqual([]);
      expect(declinesOf("contact", ann!)).toEqual([[0, String(group)]]);
      expect(declinesOf("lead", lead!)).toEqual([[0, String(group)]]);
      expect(declinesOf("lead", spaced!)).toEqual([[0, String(group)]]);
      // Only the same address: xann@ contains ann@… but is someone else.
      expect(declinesOf("contact", other!)).toEqual([]);
      expect((await newListWith({ 0: 1 }, [other!])).get("xann@example.com")?.active).toBe(true);
    },
    BUDGET,
  );

  test(
    "issue 14 finding 7 and item 18: a decline that arrives while the person's checklist is invalid JSON or has a non-integer id is kept, and holds once the checklist is fixed",
    async () => {
      const [ann, ben] = seedContacts(fakes, [
        { firstname: "Ann", states: { 0: 1 } },
        { firstname: "Ben", states: { 0: 1 } },
      ]);
      const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!, ben!]);
      const group = await sync("list", news);
      // Written while the flows were off (an import): one invalid, one with a text id.
      fakes.dataverse.change("contact", ann!, { [COLUMNS.newsletterChecklist]: '[{"id":0,"state":1' });
      fakes.dataverse.change("contact", ben!, { [COLUMNS.newsletterChecklist]: '[{"id":0,"state":1},{"id":"x","state":1}]' });
      fakes.cleverReach.seed.unsubscribe(group, "ann@example.com");
      fakes.cleverReach.seed.unsubscribe(group, "ben@example.com");
      await hourly();
      // The user fixes both checklists: the declines still hold, in this group and a new one.
      for (const id of [ann!, ben!]) await patchRow(fakes, "contacts", id, { [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: 1 })) });
      await router.settle();
      expect(store().groupReceivers(group).get("ann@example.com")?.deactivated).toBeGreaterThan(0);
      const later = await newListWith({ 0: 1 }, [ann!, ben!]);
      expect([...later.keys()]).toEqual([]);
      expect(router.runs.filter((r) => r.flow.includes("ReceiverState") && r.result?.status !== "Succeeded")).toEqual([]);
      expect(declinesOf("contact", ann!)).toEqual([[0, String(group)]]);
      expect(declinesOf("contact", ben!)).toEqual([[0, String(group)]]);
    },
    BUDGET,
  );

  test(
    "item 12: an e-mail change keeps the old, unsubscribed receiver; the unsubscribe still comes back to the person, and a new list does not subscribe them",
    async () => {
      const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
      const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
      const group = await sync("list", news);
      fakes.cleverReach.seed.unsubscribe(group, "ann@example.com");
      // Before the hourly run reads it back, Ann's address changes.
      await patchRow(fakes, "contacts", ann!, { emailaddress1: "ann.new@example.com" });
      await router.settle();
      expect(failures()).toEqual([]);
      expect(store().groupReceivers(group).get("ann@example.com")?.deactivated).toBeGreaterThan(0);
      await hourly();
      expect(failures()).toEqual([]);
      expect(declinesOf("contact", ann!)).toEqual([[0, String(group)]]);
      expect((await newListWith({ 0: 1 }, [ann!])).get("ann.new@example.com")).toBeUndefined();
    },
    BUDGET,
  );

  test(
    "item 11: an e-mail change the event flow missed, then Update Synchronisation: the unsubscribed person stays unsubscribed under the new address",
    async () => {
      const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
      const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
      const group = await sync("list", news);
      fakes.cleverReach.seed.unsubscribe(group, "ann@example.com");
      await hourly();
      // The flows were off while the address changed (an import).
      fakes.dataverse.change("contact", ann!, { emailaddress1: "ann.new@example.com" });
      const menu = updateSynchronisationFlows(syncGroupFlow().id)
        .map((f) => f.build())
        .find((f) => f.displayName.en.includes("Marketing List"));
      const [r] = await fakes.simulator(flows).fire(menu!, selectedRows({ listid: news }));
      expect(r?.error).toBeUndefined();
      await router.settle();
      const inGroup = groupContents(fakes, group);
      expect(inGroup.get("ann.new@example.com")?.active ?? false).toBe(false);
      expect(inGroup.get("ann@example.com")?.active).toBe(false);
      expect((await newListWith({ 0: 1 }, [ann!])).get("ann.new@example.com")).toBeUndefined();
    },
    BUDGET,
  );
  test(
    "item 13: two contacts whose addresses differ only in case share one receiver: one declining keeps it for the other, a full sync agrees, both declining remove it",
    async () => {
      const [bob, robert] = seedContacts(fakes, [
        { firstname: "Bob", email: "Bob@Example.com", states: { 0: 1 } },
        { firstname: "Robert", email: "bob@example.com", states: { 0: 1 } },
      ]);
      const news = seedStaticList(fakes, "News", { 0: 1 }, [bob!, robert!]);
      const group = await sync("list", news);
      expect(groupContents(fakes, group).get("bob@example.com")?.active).toBe(true);
      await patchRow(fakes, "contacts", bob!, { [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: 2 })) });
      await router.settle();
      expect(failures()).toEqual([]);
      // Robert still accepts type 0 with the same address: the address stays, and nothing flips later.
      expect(groupContents(fakes, group).get("bob@example.com")?.active).toBe(true);
      await sync("list", news);
      expect(groupContents(fakes, group).get("bob@example.com")?.active).toBe(true);
      await patchRow(fakes, "contacts", robert!, { [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: 2 })) });
      await router.settle();
      expect(failures()).toEqual([]);
      expect(groupContents(fakes, group).get("bob@example.com")).toBeUndefined();
    },
    BUDGET,
  );
  describe("item 10: two quick saves leave the derived column and the groups as the last save says, in every order of the two person runs' writes", () => {
    /** Ann declined type 0; she ticks it (save 1) and unticks it again at once (save 2). */
    async function twoQuickSaves(order: "stale write last" | "stale write first") {
      const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 2 } }]);
      const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
      const group = await sync("list", news);
      expect(groupContents(fakes, group).get("ann@example.com")).toBeUndefined();
      // The run of save 1 computes ",0," (accepted); hold its write of the derived column.
      const stale = fakes.gates.hold({
        connector: "dataverse",
        operationId: "UpdateOnlyRecord",
        where: (c) => c.action === "Write_accepted_types" && JSON.stringify(c.request.body).includes(",0,"),
      });
      await patchRow(fakes, "contacts", ann!, { [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: 1 })) });
      await stale.reached;
      // Since the person flows take the person's lock, save 2's run cannot end before save 1's run
      // (personEventFlows/personLock.ts): "stale write last" now means save 2's run has started and
      // looks at the lock (held there, so that it cannot wait save 1's run out on the virtual clock)
      // when the stale write lands.
      const firstRun = (await stale.reached).run;
      const look = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", where: (c) => c.run !== firstRun });
      await patchRow(fakes, "contacts", ann!, { [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: 2 })) });
      if (order === "stale write last") await look.reached;
      else look.release();
      stale.release();
      look.release();
      await router.settle();
      expect(failures()).toEqual([]);
      return { ann: ann!, news, group };
    }

    test.each(["stale write last", "stale write first"] as const)(
      "%s",
      async (order) => {
        const s = await twoQuickSaves(order);
        expect(fakes.dataverse.row("contact", s.ann)?.[COLUMNS.acceptedTypes]).toBe("");
        // What the user meets: a full sync (and a new list) leaves Ann out, as her last save says.
        await sync("list", s.news);
        expect(groupContents(fakes, s.group).get("ann@example.com")?.active ?? false).toBe(false);
        expect((await newListWith({ 0: 1 }, [s.ann])).get("ann@example.com")).toBeUndefined();
      },
      BUDGET,
    );
  });
});
