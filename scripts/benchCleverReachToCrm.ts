import { buildFlows } from "../flows";
import { cleverReachToCrmFlow } from "../flows/product/cleverreachToCrm/cleverReachToCrmFlow";
import { serializeChecklist } from "../pcf-checklist/src/checklist";
import { startFakes } from "../tests/sim/harness";
import type { RunResult } from "../flows/toolkit/sim/engine";
import { checklist, personRow } from "../tests/sync/scenario";
import { callsOf, failureOf, minutes, sizeText } from "./benchMeasures";

/**
 * The hourly CleverReachToCrm run for one synced list whose group holds `size` receivers: a first
 * run that takes in a mailing sent to all of them, then an hour with 1 % changes (unsubscribes,
 * bounces, blacklistings and new opens), then an hour with nothing new, then one with nothing new
 * in a group of which a fifth unsubscribed long ago (what the scan of every inactive receiver
 * costs). Returns table rows.
 */
export async function benchCleverReachToCrm(size = 100_000): Promise<Array<Record<string, string | number>>> {
  const fakes = await startFakes();
  try {
    const cr = fakes.cleverReach;
    const store = cr.server.store;
    const group = cr.seed.group("CRM - Big list");
    for (const name of ["salutation", "firstname", "lastname", "company", "crm_table", "crm_id"]) cr.seed.attribute(0, name);
    const people = Array.from({ length: size }, (_, i) => personRow({ firstname: `P${i}`, email: `p${i}@example.com`, states: { 0: 1 } }));
    const ids = fakes.dataverse.seed("contact", people);
    const [listId] = fakes.dataverse.seed("list", [
      {
        listname: "Big list",
        type: false,
        createdfromcode: 2,
        clvr_syncwithcleverreach: true,
        clvr_cleverreachgroupid: String(group.id),
        clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })),
      },
    ]);
    // The product created this group for the list (CleverReachToCrm reads only such groups).
    cr.seed.ownerMark(group.id, "list", listId!);
    const start = store.now();
    const receivers = ids.map((id, i) => ({
      email: `p${i}@example.com`,
      activated: start - 86400,
      registered: start - 86400,
      global_attributes: { firstname: `P${i}`, lastname: "Person", crm_table: "contact", crm_id: id },
    }));
    for (let i = 0; i < receivers.length; i += 1000) cr.seed.receivers(group.id, receivers.slice(i, i + 1000));
    const mailing = cr.seed.mailing("Big news", "finished", { started: start - 600 });
    const report = cr.seed.report(mailing, group.id, { sent: receivers.map((r) => ({ email: r.email, stamp: start - 600 })), opened: [] });

    const flow = cleverReachToCrmFlow().build();
    const sim = fakes.simulator(buildFlows());
    const row = async (what: string): Promise<Record<string, string | number>> => {
      const started = process.hrtime.bigint();
      const r: RunResult = await sim.run(flow, {});
      const wall = `${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`;
      if (r.status !== "Succeeded") return { run: what, result: failureOf(r), "simulated in": wall };
      const calls = callsOf(r);
      return {
        run: what,
        "CleverReach calls": calls.cleverReach,
        "Dataverse calls": calls.dataverse,
        "Dataverse writes": calls.dataverseWrites,
        actions: r.counts.actions,
        "largest value": sizeText(r.measures.largestValue),
        "largest variable": sizeText(r.measures.largestVariable),
        "virtual duration": minutes(r.measures.virtualMs),
        "simulated in": wall,
      };
    };
    const rows = [await row(`first run: a mailing sent to all ${size} receivers`)];

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
    rows.push(await row(`hourly, ${size}-receiver group, 1 % changed (${changed} state changes + ${changed} opens)`));
    rows.push(await row("hourly, nothing new"));
    // Issue 15, item 15: no order of CleverReach's answers is relied on, so every inactive and bounced
    // receiver is scanned each hour (5000 a call, without details): the cost grows with the group's
    // inactive receivers, not with the changes; the writes stay with the changes.
    const old = start - 30 * 86400;
    const members = [...store.groupReceivers(group.id).values()];
    const fifth = Math.round(size / 5);
    for (const r of members.slice(size - fifth)) r.deactivated = old;
    rows.push(await row(`hourly, nothing new, ${fifth} more receivers unsubscribed long ago (scanned, not written)`));
    return rows;
  } finally {
    await fakes.stop();
  }
}

if (require.main === module) {
  const size = Number(process.argv[2] ?? 100_000);
  benchCleverReachToCrm(size)
    .then((rows) => console.log(JSON.stringify(rows, null, 1)))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
