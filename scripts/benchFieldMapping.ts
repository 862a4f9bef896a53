import { buildFlows } from "../flows";
import { syncGroupFlow } from "../flows/product/sync/syncGroupFlow";
import { ENV } from "../solution/src/model/handles";
import { startFakes } from "../tests/sim/harness";
import { personRow, seedStaticList } from "../tests/sync/scenario";
import { callsOf, failureOf, minutes, sizeText } from "./benchMeasures";

/** Five mapped contact columns (README.md, "Field mapping"), each with a value on every person. */
export const FIVE_MAPPED = { jobtitle: "position", telephone1: "phone", mobilephone: "mobile", address1_city: "city", address1_country: "country" };

/**
 * What field mapping costs a full sync (issue 18 item 1): N eligible contacts synced into a new
 * group, without a mapping and with five mapped columns. The mapping is read once per run by
 * "CleverReach - Field mapping" (one Dataverse query per mapped column) and the columns come with
 * the people's own query, so calls should not grow with N; the receivers (and the upsert batches)
 * grow by the five values.
 */
export async function benchMappedSync(n: number, mapped: boolean): Promise<Record<string, string | number>> {
  const fakes = await startFakes();
  try {
    const rows = Array.from({ length: n }, (_, i) => ({
      ...personRow({ firstname: `P${i}`, email: `p${i}@example.com`, states: { 0: 1 } }),
      jobtitle: `Job ${i}`,
      telephone1: `+49 30 ${i}`,
      mobilephone: `+49 170 ${i}`,
      address1_city: "Berlin",
      address1_country: "Germany",
    }));
    const ids = fakes.dataverse.seed("contact", rows);
    const listId = seedStaticList(fakes, `Bench ${n}`, { 0: 1 }, ids);
    fakes.dataverse.resetCalls();
    const environment = { [ENV.fieldMapping.schemaName]: mapped ? JSON.stringify({ contact: FIVE_MAPPED }) : "{}" };
    const flow = syncGroupFlow().build();
    const started = process.hrtime.bigint();
    const r = await fakes.simulator(buildFlows(), environment).run(flow, { body: { table: "list", id: listId } });
    if (r.status !== "Succeeded") return { people: n, "mapped columns": mapped ? 5 : 0, result: failureOf(r) };
    const calls = callsOf(r);
    return {
      people: n,
      "mapped columns": mapped ? 5 : 0,
      "CleverReach calls": calls.cleverReach,
      "Dataverse calls (all runs)": fakes.dataverse.calls.length,
      actions: r.counts.actions,
      "largest value": sizeText(r.measures.largestValue),
      "virtual duration": minutes(r.measures.virtualMs),
      "simulated in": `${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`,
    };
  } finally {
    await fakes.stop();
  }
}

if (require.main === module) {
  (async () => {
    for (const n of [1000]) for (const m of [false, true]) console.log(JSON.stringify(await benchMappedSync(n, m)));
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
