import { product } from "../solution/src/model/product";
import { loadParts, packSolution } from "../solution/src/pack";
import { solutionParts } from "../solution/src/slots";
import { verifySolutionZip } from "../solution/src/verify/verifyZip";
import { resolve } from "node:path";

/**
 * `npm run bench`: performance figures, printed as a table. For now the packer itself; the PCF
 * control and the sync flows add their figures here as they land.
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
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
