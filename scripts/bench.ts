import { benchCleverReachToCrm } from "./benchCleverReachToCrm";
import { product } from "../solution/src/model/product";
import { loadParts, packSolution } from "../solution/src/pack";
import { solutionParts } from "../solution/src/slots";
import { verifySolutionZip } from "../solution/src/verify/verifyZip";
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { benchFullSync, benchStaleIndex, constantSyncCalls } from "./benchSync";
import { LIMITS_TEXT, table } from "./benchMeasures";
import { benchOverlappingEvents } from "./benchOverlapping";
import { benchImport } from "./benchImport";
import { benchMappedSync, FIVE_MAPPED } from "./benchFieldMapping";
import { benchPersonSaves } from "./benchPerson";
import { benchDoubleOptInSync } from "./benchDoubleOptIn";

/** What pcf-checklist/harness/bench.ts prints (it runs in the workspace: DOM types, playwright). */
interface ControlBench {
  bundleBytes: number;
  bundleGzipBytes: number;
  types: number;
  firstRenderMs: number;
  medianRenderMs: number;
  runs: number;
}

/** The only other size measured here: the same kind of control with React and Fluent bundled in. */
// Measured once, not re-measured here: pcf-build.md (our shared reference notes on building PCF controls,
// 2026-11-24), row "the same ChoiceGroup in a standard control that bundles React 16 and @fluentui/react 8 itself".
const BUNDLED_ALTERNATIVE_BYTES = 193_349;

/** The PCF control's figures as table rows; the render time needs Debian's chromium. */
function controlRows(root: string): string[] {
  const bundle = join(root, "pcf-checklist", "out", "controls", "NewsletterChecklist", "bundle.js");
  if (!existsSync(bundle)) return ["| checklist control bundle.js | not built (npm run build:pcf) |"];
  const rows = [
    `| checklist control bundle.js (production, platform React + Fluent) | ${statSync(bundle).size} bytes (target < 30720) |`,
    `| same control kind bundling React 16 + Fluent 8 itself (pcf-build.md) | ${BUNDLED_ALTERNATIVE_BYTES} bytes |`,
  ];
  try {
    const out = execFileSync(join(root, "node_modules", ".bin", "tsx"), ["harness/bench.ts"], { cwd: join(root, "pcf-checklist"), encoding: "utf8" });
    const r = JSON.parse(out.trim().split("\n").pop() ?? "{}") as ControlBench;
    rows.push(
      `| checklist control bundle.js gzip | ${r.bundleGzipBytes} bytes |`,
      `| render ${r.types} types, Chromium, median of ${r.runs} mounts | ${r.medianRenderMs.toFixed(1)} ms (target < 16) |`,
      `| render ${r.types} types, first mount on a fresh page (cold JIT, style injection) | ${r.firstRenderMs.toFixed(1)} ms |`,
    );
  } catch (e) {
    rows.push(`| render 50 types | not measured: ${e instanceof Error ? e.message.split("\n")[0] : String(e)} |`);
  }
  return rows;
}

/**
 * `npm run bench`: performance figures, printed as a table: the packer and the PCF control; the
 * sync flows add their figures here as they land.
 */
async function main(): Promise<void> {
  const root = resolve(__dirname, "..");
  const parts = loadParts(solutionParts(product), root);
  const runs = 5;
  let zip: Buffer = Buffer.alloc(0);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) zip = await packSolution(product, parts);
  const packMs = Number(process.hrtime.bigint() - t0) / 1e6 / runs;
  const t1 = process.hrtime.bigint();
  await verifySolutionZip(zip);
  const verifyMs = Number(process.hrtime.bigint() - t1) / 1e6;
  console.log("| measure | value |\n|---|---|");
  console.log(`| solution zip size | ${zip.length} bytes |`);
  console.log(`| pack time (mean of ${runs}) | ${packMs.toFixed(1)} ms |`);
  console.log(`| verify time | ${verifyMs.toFixed(1)} ms |`);
  for (const row of controlRows(root)) console.log(row);

  // Issue 11: full syncs and the hourly CleverReachToCrm in the strict simulator (platform limits on).
  // BENCH_MILLION=1 adds a full sync of 1,000,000 people (minutes of wall time, several GB of memory).
  const benchStarted = process.hrtime.bigint();
  const sizes = (process.env.BENCH_SYNC_SIZES ?? "1000,10000,100000")
    .split(",")
    .map(Number)
    .filter((n) => n > 0);
  if (process.env.BENCH_MILLION === "1") sizes.push(1_000_000);
  const rows = [];
  const constant = await constantSyncCalls();
  for (const n of sizes) rows.push(await benchFullSync(n, constant));
  console.log(`\nFull sync of N eligible people into a new group, then again with nothing changed; the constant is ${constant} calls (${LIMITS_TEXT}).\n`);
  if (rows.length > 0) console.log(table(rows));
  // Issue 18 item 1: the same full sync with five mapped columns.
  const mappedSizes = (process.env.BENCH_MAPPED_SIZES ?? "1000,10000")
    .split(",")
    .map(Number)
    .filter((n) => n > 0);
  const mappedRows = [];
  for (const n of mappedSizes) for (const mapped of [false, true]) mappedRows.push(await benchMappedSync(n, mapped));
  console.log(
    `\nField mapping: a full sync of N contacts into a new group without a mapping and with five mapped columns (${Object.keys(FIVE_MAPPED).join(", ")}).\n`,
  );
  if (mappedRows.length > 0) console.log(table(mappedRows));
  // Issue 18 item 4: double opt-in off and on, the first sync of N people who all newly qualify.
  const doiSizes = (process.env.BENCH_DOI_SIZES ?? "1000,10000")
    .split(",")
    .map(Number)
    .filter((n) => n > 0);
  const doiRows = [];
  for (const n of doiSizes) for (const on of [false, true]) doiRows.push(await benchDoubleOptInSync(n, on));
  console.log(
    "\nDouble opt-in: the first sync of a new list of N people who all newly qualify, clvr_DoubleOptInForm off and on (the model form in another group: the new group's form is created once).\n",
  );
  if (doiRows.length > 0) console.log(table(doiRows));
  // Issue 14: N events for one record at once are folded into passes by the record's lock.
  const bursts = (process.env.BENCH_EVENT_BURSTS ?? "10,100,1000")
    .split(",")
    .map(Number)
    .filter((n) => n > 0);
  const overlapping = [];
  for (const n of bursts) overlapping.push(await benchOverlappingEvents(n));
  console.log(`\nN membership events for one list at once, each starting Sync group (flows/product/README.md, "Overlapping runs").\n`);
  if (overlapping.length > 0) console.log(table(overlapping));
  const staleSizes = (process.env.BENCH_STALE_SIZES ?? "1000")
    .split(",")
    .map(Number)
    .filter((n) => n > 0);
  console.log("\nThe same sync of N people imported with their checklists and an empty derived column (Sync group corrects each).\n");
  const staleRows = [];
  for (const n of staleSizes) staleRows.push(await benchStaleIndex(n));
  console.log(table(staleRows));
  // Issue 18.3: importing a CleverReach group into a marketing list (half the receivers are contacts already).
  const imports = (process.env.BENCH_IMPORT_SIZES ?? "1000,10000")
    .split(",")
    .map(Number)
    .filter((n) => n > 0);
  const importRows = [];
  for (const n of imports) importRows.push(await benchImport(n, "create"));
  if (imports.length > 0) importRows.push(await benchImport(imports[imports.length - 1] as number, "log"));
  console.log(
    "\nImport of a CleverReach group of N active receivers into an empty static list, half of them contacts already; the sync that follows included.\n",
  );
  if (importRows.length > 0) console.log(table(importRows));
  // Issue 18: one contact save as the person flows handle it now (lock, address declines, field mapping child flow, lock look).
  console.log(
    "\nOne contact save (Contact changed with its child flows), the contact on N synced lists; the simulator's calls take no virtual time, so the virtual time is retries and waits only.\n",
  );
  console.log(table(await benchPersonSaves()));
  const receivers = Number(process.env.BENCH_CRM_RECEIVERS ?? 100_000);
  console.log(`\nCleverReachToCrm over one synced list whose group holds ${receivers} receivers.\n`);
  console.log(table(await benchCleverReachToCrm(receivers)));
  console.log(`\nflow benches took ${(Number(process.hrtime.bigint() - benchStarted) / 1e9).toFixed(0)} s of wall time`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
