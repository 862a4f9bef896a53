import { buildFlows } from "../../flows";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { deleteGroupFlow } from "../../flows/product/events/deleteGroupFlow";
import { LEASE_HOURS } from "../../flows/product/patterns/recordLock";
import { COLUMNS, ENV, TABLES } from "../../solution/src/model/handles";
import type { FlowArtifact } from "../../solution/src/slots/flows";
import type { RunResult } from "../../flows/toolkit/sim/engine";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { checklist, groupContents, onLockTable, patchRow, personRow, seedContacts, seedStaticList } from "./scenario";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";

/**
 * Runs that overlap for one record (SPEC §6.6; issue 14 findings 3a and 4; flows/product/README.md,
 * "Overlapping runs"). Every test drives the overlap with gates (tests/sim/gates.ts) at a chosen
 * call, or enumerates every call of the first run, instead of hoping for a timing.
 */
describe("overlapping runs for one record", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const sync = syncGroupFlow().build();
  const del = deleteGroupFlow().build();
  const simulator = () => fakes.simulator([sync, del]);
  const runSync = (table: string, id: string): Promise<RunResult> => simulator().run(sync, { body: { table, id } });
  const lockRows = () => fakes.dataverse.rows(TABLES.syncLock.logicalName);
  const groupIdOf = (table: string, id: string) => Number(fakes.dataverse.row(table, id)?.[COLUMNS.cleverReachGroupId]);
  // Group names carry the default prefix (clvr_GroupPrefix).
  const groupsNamed = (name: string) => [...fakes.cleverReach.server.store.groups.values()].filter((g) => g.name === `CRM - ${name}`);
  const activeEmails = (groupId: number) =>
    [...groupContents(fakes, groupId)]
      .filter(([, r]) => r.active)
      .map(([e]) => e)
      .sort();
  /** Runs that made a pass of their own (the others answered coalesced: true). */
  const passes = (results: RunResult[]) => results.filter((r) => (r.response?.body as { coalesced?: boolean } | undefined)?.coalesced === false).length;
  const removeMember = (listId: string, contactId: string) =>
    fakes.dataverse.handle({ method: "DELETE", path: `/api/data/v9.1/lists(${listId})/listcontact_association(${contactId})/$ref`, query: {}, headers: {} });
  const addMember = (listId: string, contactId: string) => fakes.dataverse.relate("listcontact_association", listId, contactId);

  /** Settles a run that may be held at a gate that is never reached (then it ran to its end). */
  const reachedOrDone = (reached: Promise<unknown>, run: Promise<RunResult>): Promise<"reached" | "done"> =>
    Promise.race([reached.then(() => "reached" as const), run.then(() => "done" as const)]);

  describe("finding 3a: a list created with sync on and then given two members at once gets one group", () => {
    /**
     * The record event's run is held at one of its calls (`at` each of its CleverReach and
     * Dataverse calls in turn); the two membership runs start meanwhile, and their first look at the
     * lock is held until the first run is through, so that they cannot wait it out on the clock.
     */
    async function interleaving(k: number, at: "request" | "answer"): Promise<"done" | "checked"> {
      const [ann, ben] = seedContacts(fakes, [
        { firstname: "Ann", states: { 0: 1 } },
        { firstname: "Ben", states: { 0: 1 } },
      ]);
      const listId = seedStaticList(fakes, `New ${k}`, { 0: 1 }, []);
      let n = 0;
      const first = fakes.gates.hold({ where: () => ++n === k, at });
      const created = runSync("list", listId);
      if ((await reachedOrDone(first.reached, created)) === "done") return "done";
      const firstRun = (await first.reached).run;
      addMember(listId, ann!);
      addMember(listId, ben!);
      const looks = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", times: 2, where: (c) => c.run !== firstRun });
      const members = [runSync("list", listId), runSync("list", listId)];
      await Promise.all(members.map((m) => reachedOrDone(looks.reached, m)));
      first.release();
      const results = [await created];
      looks.release();
      results.push(...(await Promise.all(members)));
      expect(results.map((r) => r.status)).toEqual(["Succeeded", "Succeeded", "Succeeded"]);
      const groups = groupsNamed(`New ${k}`);
      expect(groups).toHaveLength(1);
      expect(groupIdOf("list", listId)).toBe(groups[0]?.id);
      expect(fakes.dataverse.row(TABLES.groupLink.logicalName, listId)?.[COLUMNS.groupId]).toBe(String(groups[0]?.id));
      expect(activeEmails(groups[0]!.id)).toEqual(["ann@example.com", "ben@example.com"]);
      expect(lockRows()).toEqual([]);
      return "checked";
    }

    for (const at of ["request", "answer"] as const) {
      test(`held at each call of the first run in turn (${at}): one group, linked, with both members`, async () => {
        let checked = 0;
        for (let k = 1; ; k++) {
          await fakes.stop();
          fakes = await startFakes();
          if ((await interleaving(k, at)) === "done") break;
          checked++;
        }
        expect(checked).toBeGreaterThan(20);
      }, 240_000);
    }

    test("the events themselves: a campaign created with sync on, then two leads given that campaign at once", async () => {
      const flows: FlowArtifact[] = buildFlows().filter((f) =>
        ["CleverReach - Sync group", "CleverReach - Campaign added or changed", "CleverReach - Lead campaign changed"].includes(f.displayName.en),
      );
      const router = new TriggerRouter(fakes, flows);
      try {
        const post = (set: string, body: Record<string, unknown>) =>
          fakes.dataverse.handle({ method: "POST", path: `/api/data/v9.1/${set}`, query: {}, headers: {}, body });
        const campaignId = "7a3e0f9e-5b1c-4d3a-9c1e-0a0b0c0d0e01";
        await post("campaigns", {
          campaignid: campaignId,
          name: "Spring",
          [COLUMNS.syncWithCleverReach]: true,
          [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: 1 })),
        });
        await Promise.all(
          ["Lea", "Leo"].map((firstname) =>
            post("leads", { ...personRow({ firstname, states: { 0: 1 } }), "campaignid@odata.bind": `/campaigns(${campaignId})` }),
          ),
        );
        await router.settle();
        expect(router.runs.map((r) => [r.flow, r.result?.status])).toEqual([
          ["CleverReach - Campaign added or changed", "Succeeded"],
          ["CleverReach - Lead campaign changed", "Succeeded"],
          ["CleverReach - Lead campaign changed", "Succeeded"],
        ]);
        const groups = groupsNamed("Spring");
        expect(groups).toHaveLength(1);
        expect(groupIdOf("campaign", campaignId)).toBe(groups[0]?.id);
        expect(activeEmails(groups[0]!.id)).toEqual(["lea@example.com", "leo@example.com"]);
        expect(lockRows()).toEqual([]);
      } finally {
        router.stop();
      }
    }, 60_000);
  });

  describe("finding 4: a member removed while another run's reading is delayed stays removed", () => {
    /**
     * Run A (a full sync) is held after each of its calls in turn (the call went through, its answer
     * waits, as a 429 with Retry-After makes it wait); meanwhile Ben leaves the list and run B (the
     * removal's sync) starts. B's first look at the lock waits until A is through.
     */
    async function interleaving(k: number): Promise<"done" | string> {
      const [ann, ben] = seedContacts(fakes, [
        { firstname: "Ann", states: { 0: 1 } },
        { firstname: "Ben", states: { 0: 1 } },
      ]);
      const listId = seedStaticList(fakes, "Members", { 0: 1 }, [ann!, ben!]);
      expect((await runSync("list", listId)).status).toBe("Succeeded");
      const groupId = groupIdOf("list", listId);
      expect(activeEmails(groupId)).toEqual(["ann@example.com", "ben@example.com"]);
      let n = 0;
      const held = fakes.gates.hold({ where: () => ++n === k, at: "answer" });
      const a = runSync("list", listId);
      if ((await reachedOrDone(held.reached, a)) === "done") return "done";
      const { run: runA, action } = await held.reached;
      await removeMember(listId, ben!);
      const look = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", where: (c) => c.run !== runA });
      const b = runSync("list", listId);
      await reachedOrDone(look.reached, b);
      held.release();
      expect((await a).status).toBe("Succeeded");
      look.release();
      expect((await b).status).toBe("Succeeded");
      expect([action, activeEmails(groupId)]).toEqual([action, ["ann@example.com"]]);
      expect(lockRows()).toEqual([]);
      return action;
    }

    test("held after each of run A's calls in turn: Ben is not in the group at the end", async () => {
      const held: string[] = [];
      for (let k = 1; ; k++) {
        await fakes.stop();
        fakes = await startFakes();
        const action = await interleaving(k);
        if (action === "done") break;
        held.push(action);
      }
      // Every call of A, its people reading and its upsert among them.
      expect(held).toEqual(expect.arrayContaining(["Create_lock", "Read_people_page", "Upsert_receivers", "Active_page", "Release_lock"]));
    }, 240_000);
  });

  test("finding 4 through the events: a lead leaves a campaign while the campaign's full sync has read its people and waits", async () => {
    const flows: FlowArtifact[] = buildFlows().filter((f) => ["CleverReach - Sync group", "CleverReach - Lead campaign changed"].includes(f.displayName.en));
    const post = (set: string, body: Record<string, unknown>) =>
      fakes.dataverse.handle({ method: "POST", path: `/api/data/v9.1/${set}`, query: {}, headers: {}, body });
    const campaignId = "7a3e0f9e-5b1c-4d3a-9c1e-0a0b0c0d0e02";
    const otherId = "7a3e0f9e-5b1c-4d3a-9c1e-0a0b0c0d0e03";
    await post("campaigns", {
      campaignid: campaignId,
      name: "Autumn",
      [COLUMNS.syncWithCleverReach]: true,
      [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: 1 })),
    });
    await post("campaigns", { campaignid: otherId, name: "Elsewhere" });
    const [leoId] = fakes.dataverse.seed("lead", [
      { ...personRow({ firstname: "Leo", states: { 0: 1 } }), "campaignid@odata.bind": `/campaigns(${campaignId})` },
    ]);
    fakes.dataverse.seed("lead", [{ ...personRow({ firstname: "Lea", states: { 0: 1 } }), "campaignid@odata.bind": `/campaigns(${campaignId})` }]);
    expect((await runSync("campaign", campaignId)).status).toBe("Succeeded");
    const groupId = groupIdOf("campaign", campaignId);
    expect(activeEmails(groupId)).toEqual(["lea@example.com", "leo@example.com"]);
    // The nightly sync of the campaign has read its people; its upsert waits (as a 429 makes it wait).
    const upsert = fakes.gates.hold({ connector: "cleverreach", operationId: "UpsertReceivers" });
    const nightly = runSync("campaign", campaignId);
    const { run: nightlyRun } = await upsert.reached;
    const router = new TriggerRouter(fakes, flows);
    try {
      const look = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", where: (c) => c.run !== nightlyRun });
      await patchRow(fakes, "leads", leoId!, { "campaignid@odata.bind": `/campaigns(${otherId})` });
      // The removal's own sync waits for the lock (or, without one, runs to its end).
      await Promise.race([look.reached, router.settle()]);
      upsert.release();
      expect((await nightly).status).toBe("Succeeded");
      look.release();
      await router.settle();
      expect(router.runs.map((r) => [r.flow, r.result?.status])).toEqual([["CleverReach - Lead campaign changed", "Succeeded"]]);
      expect(activeEmails(groupId)).toEqual(["lea@example.com"]);
      expect(lockRows()).toEqual([]);
    } finally {
      router.stop();
    }
  }, 60_000);

  describe("the lock: taking, waiting, coalescing, releasing", () => {
    const seedList = (name: string, names: string[]) =>
      seedStaticList(
        fakes,
        name,
        { 0: 1 },
        seedContacts(
          fakes,
          names.map((firstname) => ({ firstname, states: { 0: 1 } })),
        ),
      );

    test("N syncs started at once for one record make at most two passes; every run succeeds", async () => {
      const listId = seedList("Busy", ["Ann"]);
      expect((await runSync("list", listId)).status).toBe("Succeeded");
      const results = await Promise.all(Array.from({ length: 10 }, () => runSync("list", listId)));
      expect(results.map((r) => r.status)).toEqual(Array(10).fill("Succeeded"));
      expect(passes(results)).toBeLessThanOrEqual(2);
      expect(lockRows()).toEqual([]);
    }, 60_000);

    test("a change made while a pass runs is applied by one more pass after it (the waiting run promised it)", async () => {
      const [ann, ben] = seedContacts(fakes, [
        { firstname: "Ann", states: { 0: 1 } },
        { firstname: "Ben", states: { 0: 1 } },
      ]);
      const listId = seedStaticList(fakes, "Later", { 0: 1 }, [ann!]);
      expect((await runSync("list", listId)).status).toBe("Succeeded");
      const upsert = fakes.gates.hold({ connector: "cleverreach", operationId: "UpsertReceivers" });
      const a = runSync("list", listId);
      await upsert.reached;
      addMember(listId, ben!);
      const promised = fakes.gates.hold({ connector: "dataverse", action: "Claim_successor", at: "answer" });
      const b = runSync("list", listId);
      await promised.reached;
      promised.release();
      // A third event while the pass runs: a pass is promised already, so it stops at once.
      const c = await runSync("list", listId);
      expect(c.response?.body).toMatchObject({ coalesced: true });
      upsert.release();
      expect((await a).status).toBe("Succeeded");
      const rb = await b;
      expect(rb.response?.body).toMatchObject({ coalesced: false });
      expect(activeEmails(groupIdOf("list", listId))).toEqual(["ann@example.com", "ben@example.com"]);
      expect(lockRows()).toEqual([]);
    });

    // The promise (Commit_successor) and the holder's release race; each order ends with Ben added.
    for (const order of ["promise, then release", "release, then promise", "release, a new holder, then promise"] as const) {
      test(`waiting run and releasing holder: ${order}`, async () => {
        const [ann, ben, cy] = seedContacts(fakes, [
          { firstname: "Ann", states: { 0: 1 } },
          { firstname: "Ben", states: { 0: 1 } },
          { firstname: "Cy", states: { 0: 1 } },
        ]);
        const listId = seedStaticList(fakes, "Race", { 0: 1 }, [ann!]);
        expect((await runSync("list", listId)).status).toBe("Succeeded");
        const release = fakes.gates.hold({ connector: "dataverse", action: "Release_lock" });
        const a = runSync("list", listId);
        await release.reached;
        addMember(listId, ben!);
        const promise = fakes.gates.hold({ connector: "dataverse", action: "Claim_successor" });
        const b = runSync("list", listId);
        await promise.reached;
        if (order === "promise, then release") {
          promise.release();
          await new Promise((r) => setImmediate(r));
          release.release();
        } else {
          release.release();
          expect((await a).status).toBe("Succeeded");
          if (order === "release, a new holder, then promise") {
            addMember(listId, cy!);
            const newHolder = fakes.gates.hold({ connector: "cleverreach", operationId: "ListGroups" });
            const x = runSync("list", listId);
            await newHolder.reached;
            promise.release();
            expect((await b).response?.body).toMatchObject({ coalesced: true });
            newHolder.release();
            expect((await x).status).toBe("Succeeded");
          } else {
            promise.release();
          }
        }
        expect((await a).status).toBe("Succeeded");
        expect((await b).status).toBe("Succeeded");
        const wanted =
          order === "release, a new holder, then promise" ? ["ann@example.com", "ben@example.com", "cy@example.com"] : ["ann@example.com", "ben@example.com"];
        expect(activeEmails(groupIdOf("list", listId))).toEqual(wanted);
        expect(lockRows()).toEqual([]);
      });
    }

    test("a lost answer to the lock's own create: the retried create is refused, the run sees its own token and goes on", async () => {
      const listId = seedList("Lost", ["Ann"]);
      const create = fakes.gates.hold({ connector: "dataverse", action: "Create_lock", at: "answer" });
      const r = runSync("list", listId);
      await create.reached;
      create.lose();
      const result = await r;
      expect(result.status).toBe("Succeeded");
      expect(result.response?.body).toMatchObject({ coalesced: false });
      expect(fakes.dataverse.calls.filter((c) => c.operation === "CreateRecord" && c.path.includes(TABLES.syncLock.entitySet)).map((c) => c.status)).toEqual([
        201, 412,
      ]);
      expect(activeEmails(groupIdOf("list", listId))).toEqual(["ann@example.com"]);
      expect(lockRows()).toEqual([]);
    });

    test("a lost answer to the successor's claim: the retried claim is refused, the run finds its own token on it and stays the successor", async () => {
      const [ann, ben] = seedContacts(fakes, [
        { firstname: "Ann", states: { 0: 1 } },
        { firstname: "Ben", states: { 0: 1 } },
      ]);
      const listId = seedStaticList(fakes, "Claimed", { 0: 1 }, [ann!]);
      expect((await runSync("list", listId)).status).toBe("Succeeded");
      const upsert = fakes.gates.hold({ connector: "cleverreach", operationId: "UpsertReceivers" });
      const a = runSync("list", listId);
      await upsert.reached;
      addMember(listId, ben!);
      const claim = fakes.gates.hold({ connector: "dataverse", action: "Claim_successor", at: "answer" });
      const b = runSync("list", listId);
      const { run: runB } = await claim.reached;
      const poll = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", where: (c) => c.run === runB });
      claim.lose();
      await poll.reached;
      upsert.release();
      expect((await a).status).toBe("Succeeded");
      poll.release();
      const rb = await b;
      expect(rb.response?.body).toMatchObject({ coalesced: false });
      expect(fakes.dataverse.calls.filter((c) => c.operation === "CreateRecord" && c.status >= 400).map((c) => c.status)).toEqual([412, 412]);
      expect(activeEmails(groupIdOf("list", listId))).toEqual(["ann@example.com", "ben@example.com"]);
      expect(lockRows()).toEqual([]);
    });

    test("an invalid transfer setting stops the run before it takes the lock", async () => {
      const listId = seedList("Unset", ["Ann"]);
      const r = await fakes.simulator([sync], { [ENV.transferTables.schemaName]: '"contacts"' }).run(sync, { body: { table: "list", id: listId } });
      expect(r.status).toBe("Failed");
      expect(fakes.dataverse.calls.filter(onLockTable)).toEqual([]);
    });

    test("the lock is released when the run fails, and when it stops at a Terminate inside its work", async () => {
      const listId = seedList("Failing", ["Ann"]);
      fakes.cleverReach.server.injectFault({ kind: "status", status: 500, times: 5, operationId: "ListGroups" });
      const failed = await runSync("list", listId);
      expect(failed.status).toBe("Failed");
      expect(lockRows()).toEqual([]);
      expect((await runSync("list", listId)).status).toBe("Succeeded");
      // A removal that keeps failing stops the sweep at its Terminate (Check_removals).
      const listRow = fakes.dataverse.rows("contact")[0]!;
      await removeMember(listId, String(listRow.contactid));
      fakes.cleverReach.server.injectFault({ kind: "status", status: 500, times: 5, operationId: "DeleteGroupReceiver" });
      const stopped = await runSync("list", listId);
      expect(stopped.status).toBe("Failed");
      expect(stopped.error?.message).toMatch(/Remove_receiver/);
      expect(lockRows()).toEqual([]);
    });

    const deadHolder = (listId: string, leaseUntil: string) =>
      fakes.dataverse.seed(TABLES.syncLock.logicalName, [
        {
          [TABLES.syncLock.idColumn]: listId,
          [COLUMNS.name]: `sync list ${listId}`,
          [COLUMNS.lockToken]: "0d0d0d0d-0000-4000-8000-00000000dead",
          [COLUMNS.lockKind]: "sync",
          [COLUMNS.leaseUntil]: leaseUntil,
        },
      ]);

    test("a holder that stopped without releasing: after its lease a run takes the lock over and syncs", async () => {
      const listId = seedList("Orphaned", ["Ann"]);
      deadHolder(listId, "2020-01-01T00:00:00Z");
      const [one, two] = await Promise.all([runSync("list", listId), runSync("list", listId)]);
      expect([one.status, two.status]).toEqual(["Succeeded", "Succeeded"]);
      expect(activeEmails(groupIdOf("list", listId))).toEqual(["ann@example.com"]);
      // Only one claim on the dead holder's lease was won; it stays as the record of the takeover.
      expect(lockRows().map((r) => r[COLUMNS.lockKind])).toEqual(["takeover"]);
      expect(groupsNamed("Orphaned")).toHaveLength(1);
    });

    test(`a holder within its lease that never finishes: a waiting run gives up after ${LEASE_HOURS + 1} hours, saying so on the record`, async () => {
      const listId = seedList("Stuck", ["Ann"]);
      deadHolder(listId, "2999-01-01T00:00:00Z");
      const r = await runSync("list", listId);
      expect(r.status).toBe("Failed");
      expect(r.measures.virtualMs).toBeGreaterThanOrEqual((LEASE_HOURS + 1) * 3_600_000);
      expect(fakes.dataverse.row("list", listId)?.[COLUMNS.lastSyncError]).toMatch(/waited 7 hours for another run on this record to finish and gave up/);
      expect(lockRows()).toHaveLength(1);
    }, 60_000);

    test("a run whose lease ran out and was taken over leaves the new holder's lock alone", async () => {
      const listId = seedList("Slow", ["Ann"]);
      const slow = fakes.gates.hold({ connector: "cleverreach", operationId: "UpsertReceivers" });
      const a = runSync("list", listId);
      await slow.reached;
      // A's lease runs out while it waits (as if hours passed).
      const [row] = lockRows();
      fakes.dataverse.change(TABLES.syncLock.logicalName, listId, { [COLUMNS.leaseUntil]: "2020-01-01T00:00:00Z" });
      const taker = fakes.gates.hold({ connector: "cleverreach", operationId: "ListGroups" });
      const b = runSync("list", listId);
      await taker.reached;
      slow.release();
      expect((await a).status).toBe("Succeeded");
      const now = lockRows().find((r) => r[TABLES.syncLock.idColumn] === listId);
      expect(now?.[COLUMNS.lockToken]).not.toBe(row?.[COLUMNS.lockToken]);
      taker.release();
      expect((await b).status).toBe("Succeeded");
      expect(lockRows().map((r) => r[COLUMNS.lockKind])).toEqual(["takeover"]);
    });

    test("Delete group waits for a sync under way; a sync that arrives while the deletion holds the lock runs after it", async () => {
      const listId = seedList("Going", ["Ann"]);
      expect((await runSync("list", listId)).status).toBe("Succeeded");
      const groupId = groupIdOf("list", listId);
      const upsert = fakes.gates.hold({ connector: "cleverreach", operationId: "UpsertReceivers" });
      const a = runSync("list", listId);
      const syncRun = (await upsert.reached).run;
      await patchRow(fakes, "lists", listId, { [COLUMNS.syncWithCleverReach]: false });
      const environment = { [ENV.deleteGroupOnSyncOff.schemaName]: true, [ENV.deletionProtection.schemaName]: false };
      const look = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", where: (c) => c.run !== syncRun });
      const deletion = fakes.simulator([sync, del], environment).run(del, { body: { table: "list", id: listId, cause: "syncTurnedOff" } });
      await look.reached;
      upsert.release();
      expect((await a).status).toBe("Succeeded");
      // The deletion's create was refused while the sync held the lock.
      expect(fakes.dataverse.calls.filter((c) => c.operation === "CreateRecord" && c.path.includes(TABLES.syncLock.entitySet)).map((c) => c.status)).toContain(
        412,
      );
      const deleting = fakes.gates.hold({ connector: "cleverreach", operationId: "DeleteGroup" });
      look.release();
      const deletionRun = (await deleting.reached).run;
      // Sync is turned on again while the group is being deleted: that sync waits for the deletion
      // (its second look is held here), and is not served by it.
      await patchRow(fakes, "lists", listId, { [COLUMNS.syncWithCleverReach]: true });
      let looks = 0;
      const second = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", where: (c) => c.run !== deletionRun && ++looks === 2 });
      const c = runSync("list", listId);
      await second.reached;
      deleting.release();
      const d = await deletion;
      expect(d.status).toBe("Succeeded");
      expect(d.response?.body).toEqual({ groupId: String(groupId), deleted: true });
      expect(fakes.cleverReach.server.store.groups.has(groupId)).toBe(false);
      second.release();
      const rc = await c;
      expect(rc.status).toBe("Succeeded");
      expect(rc.response?.body).toMatchObject({ coalesced: false });
      const newGroup = groupIdOf("list", listId);
      expect(newGroup).not.toBe(groupId);
      expect(activeEmails(newGroup)).toEqual(["ann@example.com"]);
      expect(lockRows()).toEqual([]);
    });
  });
});
