import { buildFlows } from "../flows";
import { syncGroupFlow } from "../flows/product/sync/syncGroupFlow";
import { ENV } from "../solution/src/model/handles";
import { startFakes } from "../tests/sim/harness";
import { personRow, seedStaticList } from "../tests/sync/scenario";
import { failureOf, minutes, sizeText } from "./benchMeasures";

/**
 * What double opt-in costs a full sync (issue 18 item 4; README.md, "Double opt-in"): the first sync
 * of a new list of N people who all newly qualify, with the setting off (each added active) and on
 * (each added inactive with the mark, then one confirmation mail asked for each). The setting names
 * a model form in another group, so the run with it on also finds none in the new group and creates
 * the group's own form once. Expected: one send per new person, plus a few constant calls for the form.
 */
export async function benchDoubleOptInSync(n: number, on: boolean): Promise<Record<string, string | number>> {
  const fakes = await startFakes();
  try {
    const ids = fakes.dataverse.seed(
      "contact",
      Array.from({ length: n }, (_, i) => personRow({ firstname: `P${i}`, email: `p${i}@example.com`, states: { 0: 1 } })),
    );
    const listId = seedStaticList(fakes, `Bench ${n}`, { 0: 1 }, ids);
    const modelGroup = fakes.cleverReach.seed.group("Model");
    const model = fakes.cleverReach.seed.form("Newsletter double opt-in", modelGroup.id);
    fakes.dataverse.resetCalls();
    const before = fakes.cleverReach.server.requests.length;
    const environment = { [ENV.doubleOptInForm.schemaName]: on ? String(model.id) : "0" };
    const started = process.hrtime.bigint();
    const r = await fakes.simulator(buildFlows(), environment).run(syncGroupFlow().build(), { body: { table: "list", id: listId } });
    const label = { people: n, "double opt-in": on ? "on" : "off" };
    if (r.status !== "Succeeded") return { ...label, result: failureOf(r) };
    const requests = fakes.cleverReach.server.requests.slice(before);
    const mails = fakes.cleverReach.server.store.sentFormMails.filter((m) => m.kind === "activate").length;
    const forms = requests.filter((q) => q.operationId === "CreateFormFromTemplate").length;
    return {
      ...label,
      "CleverReach calls (all runs)": requests.length,
      "of them sends": requests.filter((q) => q.operationId === "SendDoubleOptInMail").length,
      "mails, forms created": `${mails}, ${forms}`,
      "Dataverse calls (all runs)": fakes.dataverse.calls.length,
      "actions (all runs)": r.counts.actions,
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
    for (const on of [false, true]) console.log(JSON.stringify(await benchDoubleOptInSync(Number(process.argv[2] ?? 1000), on)));
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
