import { buildFlows } from "../flows";
import { MAX_PAGE_SIZE, UPSERT_BATCH_LIMIT } from "../connector/src/definition/definitions";
import { syncGroupFlow } from "../flows/product/sync/syncGroupFlow";
import { CLEVERREACH_API, startFakes } from "../tests/sim/harness";
import { seedContacts, seedStaticList } from "../tests/sync/scenario";

/**
 * Full syncs of N eligible people in the simulator: calls to each service and actions executed,
 * beside the lower bound ceil(N/1000) upserts + ceil(N/5000) Dataverse pages (issue 6).
 */
export async function benchFullSync(n: number): Promise<Record<string, string | number>> {
  const fakes = await startFakes();
  try {
    const people = Array.from({ length: n }, (_, i) => ({ firstname: `P${i}`, email: `p${i}@example.com`, states: { 0: 1 as const } }));
    const ids = seedContacts(fakes, people);
    const listId = seedStaticList(fakes, `Bench ${n}`, { 0: 1 }, ids);
    fakes.dataverse.resetCalls();
    const started = process.hrtime.bigint();
    const r = await fakes.simulator(buildFlows()).run(syncGroupFlow().build(), { body: { table: "list", id: listId } });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== "Succeeded") throw new Error(`sync of ${n} failed: ${r.error?.message}`);
    const cr = r.counts.calls[CLEVERREACH_API] ?? 0;
    const dv = r.counts.calls.shared_commondataserviceforapps ?? 0;
    const bound = Math.ceil(n / UPSERT_BATCH_LIMIT) + Math.ceil(n / MAX_PAGE_SIZE);
    const second = await fakes.simulator(buildFlows()).run(syncGroupFlow().build(), { body: { table: "list", id: listId } });
    return {
      people: n,
      "CleverReach calls": cr,
      "Dataverse calls": dv,
      "lower bound": bound,
      "calls / bound": ((cr + dv) / bound).toFixed(2),
      actions: r.counts.actions,
      "2nd run writes": Object.keys(second.counts.operations).filter((k) => /:(Create|Update|Upsert|Delete)/.test(k)).length,
      "2nd run calls": (second.counts.calls[CLEVERREACH_API] ?? 0) + (second.counts.calls.shared_commondataserviceforapps ?? 0),
      "simulated in": `${(ms / 1000).toFixed(1)} s`,
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
    for (const n of sizes.length ? sizes : [1000]) console.log(JSON.stringify(await benchFullSync(n)));
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
