import { buildFlows } from "../flows";
import { COLUMNS, ENV } from "../solution/src/model/handles";
import { ADMINISTRATOR_PROFILE } from "../solution/src/model/security";
import { CHECKLIST_STATE } from "../pcf-checklist/src/checklist";
import { selectedRowsBy, startFakes } from "../tests/sim/harness";
import { seedContacts, seedStaticList } from "../tests/sync/scenario";
import { callsOf, failureOf, minutes, sizeText } from "./benchMeasures";

const ADMIN = "admin@contoso.example";

/**
 * Import from CleverReach (flows/product/README.md, "Import a CleverReach group") of a group of N
 * active receivers into an empty static contact list, in the strict simulator: half of them are
 * contacts already (their checklists get the list's type), half are not (created with
 * clvr_ImportUnmatched create, only listed with log). The figures include the one Sync group run
 * that follows the import (a child flow: its calls and actions count in the import's run).
 */
export async function benchImport(n: number, mode: "create" | "log" = "create"): Promise<Record<string, string | number>> {
  const fakes = await startFakes();
  try {
    const now = Math.floor(Date.now() / 1000);
    for (const a of ["firstname", "lastname", "salutation"]) fakes.cleverReach.seed.attribute(0, a);
    const group = fakes.cleverReach.seed.group(`Import ${n}`);
    const emails = Array.from({ length: n }, (_, i) => `r${i}@example.com`);
    fakes.cleverReach.seed.receivers(
      group.id,
      emails.map((email, i) => ({ email, activated: now - 86_400, registered: now - 86_400, global_attributes: { firstname: `R${i}`, lastname: "Bench" } })),
    );
    seedContacts(
      fakes,
      emails.filter((_, i) => i % 2 === 0).map((email, i) => ({ firstname: `C${i}`, email })),
    );
    const listId = seedStaticList(fakes, `Import ${n}`, { 0: CHECKLIST_STATE.accepted }, []);
    fakes.dataverse.change("list", listId, { [COLUMNS.syncWithCleverReach]: false, [COLUMNS.importGroup]: String(group.id) });
    fakes.dataverse.grantProfile(ADMIN, ADMINISTRATOR_PROFILE.name);
    fakes.dataverse.resetCalls();
    const flows = buildFlows();
    const flow = flows.find((f) => f.displayName.en === "Import from CleverReach (Marketing List)");
    if (!flow) throw new Error("no import flow");
    const started = process.hrtime.bigint();
    const [r] = await fakes.simulator(flows, { [ENV.importUnmatched.schemaName]: mode }).fire(flow, selectedRowsBy(ADMIN, { listid: listId }));
    if (!r || r.status !== "Succeeded") return { receivers: n, mode, result: r ? failureOf(r) : "no run" };
    const calls = callsOf(r);
    const members = fakes.dataverse.rows("listmember").filter((m) => m._listid_value === listId).length;
    const ops = r.counts.operations;
    const op = (suffix: string) =>
      Object.entries(ops)
        .filter(([k]) => k.endsWith(`:${suffix}`))
        .reduce((s, [, v]) => s + v, 0);
    return {
      receivers: n,
      mode,
      members: members,
      "CleverReach calls": calls.cleverReach,
      "Dataverse calls": calls.dataverse,
      "of them creates": op("CreateRecord"),
      "checklist writes": op("UpdateOnlyRecord"),
      "AddListMembersList calls": op("PerformUnboundAction"),
      actions: r.counts.actions,
      "largest value": sizeText(r.measures.largestValue),
      "largest variable": sizeText(r.measures.largestVariable),
      "virtual duration": minutes(r.measures.virtualMs),
      "simulated in": `${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`,
    };
  } finally {
    await fakes.stop();
  }
}
