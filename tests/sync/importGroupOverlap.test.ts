import { buildFlows } from "../../flows";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import type { RunResult } from "../../flows/toolkit/sim/engine";
import { CHECKLIST_STATE } from "../../pcf-checklist/src/checklist";
import { COLUMNS, TABLES } from "../../solution/src/model/handles";
import { ADMINISTRATOR_PROFILE } from "../../solution/src/model/security";
import type { FlowArtifact } from "../../solution/src/slots/flows";
import { selectedRowsBy, startFakes, type Fakes } from "../sim/harness";
import { groupContents, seedContacts, seedStaticList } from "./scenario";

/**
 * Import from CleverReach holds the list's lock (flows/product/README.md, "Import a CleverReach group",
 * 3): a sync that starts while the import is adding members (as the membership events of those
 * members start one) waits for it, so its sweep never removes a receiver the import is about to make
 * a member. Driven with gates: the import is held at its AddListMembersList call, the sync at each of
 * its looks at the lock.
 */
jest.setTimeout(120_000);

const ADMIN = "admin@contoso.example";
const DAY = 86_400;

describe("Import from CleverReach and a sync that starts meanwhile", () => {
  let fakes: Fakes;
  let flows: FlowArtifact[];
  beforeEach(async () => {
    fakes = await startFakes();
    flows = buildFlows();
    fakes.dataverse.grantProfile(ADMIN, ADMINISTRATOR_PROFILE.name);
  });
  afterEach(() => fakes.stop());

  const importFlow = () => flows.find((x) => x.displayName.en === "Import from CleverReach (Marketing List)") as FlowArtifact;
  const runImport = async (listId: string): Promise<RunResult> => {
    const [run] = await fakes.simulator(flows).fire(importFlow(), selectedRowsBy(ADMIN, { listid: listId }));
    if (!run) throw new Error("no run");
    return run;
  };
  const sync = syncGroupFlow().build();
  const runSync = (listId: string): Promise<RunResult> => fakes.simulator(flows).run(sync, { body: { table: "list", id: listId } });
  const reachedOrDone = (reached: Promise<unknown>, run: Promise<RunResult>): Promise<"reached" | "done"> =>
    Promise.race([reached.then(() => "reached" as const), run.then(() => "done" as const)]);
  const removals = () => fakes.cleverReach.server.requests.filter((r) => r.method === "DELETE" && r.path.includes("/receivers/"));
  const active = (groupId: number) =>
    [...groupContents(fakes, groupId)]
      .filter(([, r]) => r.active)
      .map(([e]) => e)
      .sort();

  test("a re-import of a synced list: the sync started while members are being added waits, and removes nobody the import brings in", async () => {
    const now = Math.floor(Date.now() / 1000);
    const g = fakes.cleverReach.seed.group("Newsletter");
    fakes.cleverReach.seed.receivers(g.id, [{ email: "ann@example.com", activated: now - DAY, registered: now - DAY }]);
    const [ann, bob] = seedContacts(fakes, [
      { firstname: "Ann", email: "ann@example.com" },
      { firstname: "Bob", email: "bob@example.com" },
    ]) as [string, string];
    const listId = seedStaticList(fakes, "Newsletter", { 0: CHECKLIST_STATE.accepted }, []);
    fakes.dataverse.change("list", listId, { [COLUMNS.syncWithCleverReach]: false, [COLUMNS.importGroup]: "Newsletter" });
    expect((await runImport(listId)).status).toBe("Succeeded");
    expect(active(g.id)).toEqual(["ann@example.com"]);
    // Synced, the group carries the list's name now (clvr_GroupPrefix + list name), so the re-import names it by id.
    expect(fakes.cleverReach.server.store.groups.get(g.id)?.name).toBe("CRM - Newsletter");
    fakes.dataverse.change("list", listId, { [COLUMNS.importGroup]: String(g.id) });
    // Bob subscribed in CleverReach since (a web form); the list is synced and linked, Bob is no member yet.
    fakes.cleverReach.seed.receivers(g.id, [{ email: "bob@example.com", activated: now, registered: now }]);
    const removalsBefore = removals().length;

    const held = fakes.gates.hold({ connector: "dataverse", action: "Add_list_members", at: "request" });
    const importing = runImport(listId);
    if ((await reachedOrDone(held.reached, importing)) === "done") {
      const r = await importing;
      throw new Error(`the import ended first: ${r.status} ${JSON.stringify(r.error)}`);
    }
    const { run: importRun } = await held.reached;
    // The sync a membership event starts now: it finds the import's lock and waits (held at its first look).
    const look = fakes.gates.hold({ connector: "dataverse", action: "Read_lock", where: (c) => c.run !== importRun });
    const syncing = runSync(listId);
    // Held at its look at the lock (without the import's lock it would have run its sweep already).
    const syncState = await reachedOrDone(look.reached, syncing);
    const importHeldLock = fakes.dataverse.rows(TABLES.syncLock.logicalName).some((r) => r[COLUMNS.lockKind] === "import");
    held.release();
    const imported = await importing;
    expect(imported.status).toBe("Succeeded");
    look.release();
    expect((await syncing).status).toBe("Succeeded");

    expect(removals().length).toBe(removalsBefore);
    expect([syncState, importHeldLock]).toEqual(["reached", true]);
    expect(active(g.id)).toEqual(["ann@example.com", "bob@example.com"]);
    expect(
      fakes.dataverse
        .rows("listmember")
        .filter((m) => m._listid_value === listId)
        .map((m) => m._entityid_value)
        .sort(),
    ).toEqual([ann, bob].sort());
    expect(fakes.dataverse.rows(TABLES.syncLock.logicalName)).toEqual([]);
  });
});
