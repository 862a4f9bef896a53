import { buildFlows } from "../flows";
import { ENV } from "../solution/src/model/handles";
import { openRouted, closeRouted } from "../tests/sim/harness";
import { patchRow, personRow, seedStaticList } from "../tests/sync/scenario";
import { syncGroupFlow } from "../flows/product/sync/syncGroupFlow";
import { FIVE_MAPPED } from "./benchFieldMapping";
import { minutes } from "./benchMeasures";

const DATAVERSE = "commondataservice";

/**
 * What one contact save costs now (issue 18; flows/product/events/README.md): the person flow takes
 * the person's lock, copies the declines of rows sharing the address (two `like` queries), calls
 * the child flow "CleverReach - Field mapping", looks for Sync group passes under way for each list
 * it reaches, then writes the person's receiver into each synced group. One contact on `lists`
 * synced lists, their groups made beforehand; then one save that changes the first name (a watched
 * column) or one that writes the same values again. Every run the save starts is counted, with its
 * child flows (their counts are merged into the caller's), and the simulator's virtual time until
 * the last of them ends.
 */
export async function benchPersonSave(lists: number, mapped: boolean, change: boolean): Promise<Record<string, string | number>> {
  const flows = buildFlows();
  const environment = { [ENV.fieldMapping.schemaName]: mapped ? JSON.stringify({ contact: FIVE_MAPPED }) : "{}" };
  const { fakes, router } = await openRouted(flows, environment);
  try {
    const [ann] = fakes.dataverse.seed("contact", [
      {
        ...personRow({ firstname: "Ann", email: "ann@example.com", states: { 0: 1 } }),
        jobtitle: "Editor",
        telephone1: "+49 30 1",
        mobilephone: "+49 170 1",
        address1_city: "Berlin",
        address1_country: "Germany",
      },
    ]);
    const ids = Array.from({ length: lists }, (_, i) => seedStaticList(fakes, `List ${i}`, { 0: 1 }, [ann!]));
    const sync = syncGroupFlow().build();
    for (const id of ids) {
      const r = await fakes.simulator(flows, environment).run(sync, { body: { table: "list", id } });
      if (r.status !== "Succeeded") throw new Error(`the first sync of list ${id} failed: ${r.error?.message ?? r.status}`);
    }
    await router.settle();
    const before = router.runs.length;
    fakes.dataverse.resetCalls();
    const started = process.hrtime.bigint();
    await patchRow(fakes, "contacts", ann!, { firstname: change ? "Anna" : "Ann" });
    await router.settle();
    const runs = router.runs.slice(before);
    const failed = runs.filter((r) => r.result?.status !== "Succeeded");
    let actions = 0;
    let cleverReach = 0;
    let dataverse = 0;
    const started_ = new Map<string, number>();
    for (const r of runs) {
      actions += r.result?.counts.actions ?? 0;
      for (const [key, n] of Object.entries(r.result?.counts.operations ?? {})) {
        if (key.startsWith("Workflow:")) started_.set(key.slice("Workflow:".length), (started_.get(key.slice("Workflow:".length)) ?? 0) + n);
        else if (key.includes(DATAVERSE)) dataverse += n;
        else cleverReach += n;
      }
    }
    const names = new Map(flows.flatMap((f) => [[f.id, f.displayName.en] as const, [f.displayName.en, f.displayName.en] as const]));
    const flowRuns = [...new Set(runs.map((r) => r.flow))].map((f) => `${runs.filter((r) => r.flow === f).length}× ${f}`);
    const childRuns = [...started_].map(([k, n]) => `${n}× ${names.get(k) ?? k}`);
    return {
      save: change ? "first name changed" : "nothing changed",
      "synced lists": lists,
      "mapped columns": mapped ? 5 : 0,
      runs: [...flowRuns, ...childRuns].join(", ") + (failed.length ? ` (${failed.length} FAILED: ${failed[0]?.result?.error?.message ?? ""})` : ""),
      "actions (with child flows)": actions,
      "Dataverse calls": dataverse,
      "CleverReach calls": cleverReach,
      "virtual time (longest run)": minutes(Math.max(0, ...runs.map((r) => r.result?.measures.virtualMs ?? 0))),
      "simulated in": `${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`,
    };
  } finally {
    await closeRouted(fakes, router);
  }
}

/** The rows `npm run bench` prints: 1, 3 and 10 lists with a change, 1 list with none; each with 0 and 5 mapped columns. */
export async function benchPersonSaves(): Promise<Array<Record<string, string | number>>> {
  const rows = [];
  for (const mapped of [false, true]) {
    for (const lists of [1, 3, 10]) rows.push(await benchPersonSave(lists, mapped, true));
    rows.push(await benchPersonSave(1, mapped, false));
  }
  return rows;
}

if (require.main === module) {
  (async () => {
    for (const r of await benchPersonSaves()) console.log(JSON.stringify(r));
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
