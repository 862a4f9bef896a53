import { buildFlows } from "../flows";
import { cleverReachToCrmFlow } from "../flows/product/cleverreachToCrm/cleverReachToCrmFlow";
import { serializeChecklist } from "../pcf-checklist/src/checklist";
import { startFakes } from "../tests/sim/harness";
import type { RunResult } from "../flows/toolkit/sim/engine";
import { checklist, personRow } from "../tests/sync/scenario";

/**
 * The hourly CleverReachToCrm run for one synced list whose group holds `size` receivers: a first
 * run that takes in a mailing sent to all of them, then an hour with 1 % changes (unsubscribes,
 * bounces, blacklistings and new opens), then an hour with nothing new. Returns table rows.
 */
export async function benchCleverReachToCrm(size = 10_000): Promise<string[]> {
  const fakes = await startFakes();
  try {
    const cr = fakes.cleverReach;
    const store = cr.server.store;
    const group = cr.seed.group("CRM - Big list");
    for (const name of ["salutation", "firstname", "lastname", "company", "crm_table", "crm_id"]) cr.seed.attribute(0, name);
    const people = Array.from({ length: size }, (_, i) => personRow({ firstname: `P${i}`, email: `p${i}@example.com`, states: { 0: 1 } }));
    const ids = fakes.dataverse.seed("contact", people);
    fakes.dataverse.seed("list", [
      { listname: "Big list", type: false, createdfromcode: 2, clvr_syncwithcleverreach: true, clvr_cleverreachgroupid: String(group.id), clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })) },
    ]);
    const start = store.now();
    const receivers = ids.map((id, i) => ({ email: `p${i}@example.com`, activated: start - 86400, registered: start - 86400, global_attributes: { firstname: `P${i}`, lastname: "Person", crm_table: "contact", crm_id: id } }));
    for (let i = 0; i < receivers.length; i += 1000) cr.seed.receivers(group.id, receivers.slice(i, i + 1000));
    const mailing = cr.seed.mailing("Big news", "finished", { started: start - 600 });
    const report = cr.seed.report(mailing, group.id, { sent: receivers.map((r) => ({ email: r.email, stamp: start - 600 })), opened: [] });

    const flow = cleverReachToCrmFlow().build();
    const sim = fakes.simulator(buildFlows());
    const run = async (): Promise<RunResult> => {
      const r = await sim.run(flow, {});
      if (r.status !== "Succeeded") {
        const failed = [...r.actions.values()].reverse().find((a) => a.status === "Failed" && a.error && !/see the flow run/.test(a.error.message));
        throw new Error(`CleverReachToCrm failed at ${failed?.name ?? "?"}: ${(failed?.error ?? r.error)?.message ?? r.status}`);
      }
      return r;
    };
    const describe = (r: RunResult): string => {
      const cleverReach = Object.entries(r.counts.operations).filter(([k]) => !k.includes("commondataservice")).reduce((n, [, v]) => n + v, 0);
      const dataverse = Object.entries(r.counts.operations).filter(([k]) => k.includes("commondataservice")).reduce((n, [, v]) => n + v, 0);
      const writes = Object.entries(r.counts.operations).filter(([k]) => /UpdateRecord|UpdateOnlyRecord|CreateRecord/.test(k)).reduce((n, [, v]) => n + v, 0);
      return `${r.counts.actions} actions; ${cleverReach} CleverReach calls, ${dataverse} Dataverse calls (${writes} writes)`;
    };
    let first: RunResult;
    try {
      first = await run();
    } catch (e) {
      // The strict simulator fails the flows that outgrow the platform's limits: a row, not a crash.
      return [`| CleverReachToCrm, first run: mailing sent to ${size} receivers | ${e instanceof Error ? e.message : String(e)} |`];
    }

    // One hour later: 1 % of the group changes.
    store.now = () => start + 3600;
    const changed = Math.round(size / 100);
    for (let i = 0; i < changed; i++) {
      const email = `p${i}@example.com`;
      if (i % 4 === 0) cr.seed.bounce(group.id, email);
      else if (i % 4 === 1) store.blacklist.set(email, { email, comment: "complaint", stamp: store.now() });
      else cr.seed.unsubscribe(group.id, email);
      report.reactions.opened!.push({ email: `p${size - 1 - i}@example.com`, stamp: store.now() });
    }
    const hourly = await run();
    const quiet = await run();
    return [
      `| CleverReachToCrm, first run: mailing sent to ${size} receivers | ${describe(first)} |`,
      `| CleverReachToCrm, hourly run, ${size}-receiver group, 1 % changed (${changed} state changes + ${changed} opens) | ${describe(hourly)} |`,
      `| CleverReachToCrm, hourly run, nothing new | ${describe(quiet)} |`,
    ];
  } finally {
    await fakes.stop();
  }
}

if (require.main === module) {
  benchCleverReachToCrm()
    .then((rows) => console.log(rows.join("\n")))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
