import { syncGroupFlow } from "../flows/product/sync/syncGroupFlow";
import type { RunResult } from "../flows/toolkit/sim/engine";
import { TABLES } from "../solution/src/model/handles";
import { startFakes } from "../tests/sim/harness";
import { groupContents, onLockTable, seedContacts, seedStaticList } from "../tests/sync/scenario";
import { minutes } from "./benchMeasures";

/**
 * N members added to a list at once (an import, a bulk add), each starting a Sync group run for the
 * list as a membership event does: how many full passes the N runs make (the lock coalesces them:
 * flows/product/patterns/recordLock.ts), what the waiting costs in calls on the Sync Lock table and
 * in actions, and the virtual time until the group is complete. (Events spread over time cost one
 * more pass per pass they overlap; the simulator's calls take no time, so it cannot pace them.)
 */
export async function benchOverlappingEvents(n: number): Promise<Record<string, string | number>> {
  const fakes = await startFakes();
  try {
    const ids = seedContacts(
      fakes,
      Array.from({ length: n }, (_, i) => ({ firstname: `P${i}`, email: `p${i}@example.com`, states: { 0: 1 as const } })),
    );
    const listId = seedStaticList(fakes, `Filled ${n}`, { 0: 1 }, []);
    fakes.dataverse.resetCalls();
    const flow = syncGroupFlow().build();
    const simulator = fakes.simulator([flow]);
    const started = process.hrtime.bigint();
    const runs: Array<Promise<RunResult>> = [];
    for (const id of ids) fakes.dataverse.relate("listcontact_association", listId, id);
    for (let i = 0; i < n; i++) runs.push(simulator.run(flow, { body: { table: "list", id: listId } }));
    const results = await Promise.all(runs);
    const failed = results.filter((r) => r.status !== "Succeeded").length;
    const passes = results.filter((r) => (r.response?.body as { coalesced?: boolean } | undefined)?.coalesced === false).length;
    const groupId = Number(fakes.dataverse.row("list", listId)?.clvr_cleverreachgroupid);
    const lockCalls = fakes.dataverse.calls.filter(onLockTable).length;
    const sum = (f: (r: RunResult) => number) => results.reduce((a, r) => a + f(r), 0);
    return {
      events: n,
      "failed runs": failed,
      "full passes": passes,
      "runs served by another pass": n - passes - failed,
      "group complete": groupContents(fakes, groupId).size === n ? "yes" : `no (${groupContents(fakes, groupId).size})`,
      "Sync Lock calls (all runs)": lockCalls,
      "Sync Lock calls / event": (lockCalls / n).toFixed(1),
      "CleverReach calls (all runs)": sum((r) => Object.entries(r.counts.calls).reduce((a, [api, c]) => (api.includes("commondataservice") ? a : a + c), 0)),
      "actions (all runs)": sum((r) => r.counts.actions),
      "lock rows left": fakes.dataverse.rows(TABLES.syncLock.logicalName).length,
      "virtual duration (longest run)": minutes(Math.max(...results.map((r) => r.measures.virtualMs))),
      "simulated in": `${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`,
    };
  } finally {
    await fakes.stop();
  }
}

if (require.main === module) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((x) => x > 0);
  (async () => {
    for (const n of sizes.length ? sizes : [10, 100]) console.log(JSON.stringify(await benchOverlappingEvents(n)));
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
