import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { product } from "../solution/src/model/product";
import { loadParts, packSolution, zipFileName } from "../solution/src/pack";
import { solutionParts } from "../solution/src/slots";

/** Builds dist/<UniqueName>_<version>.zip from the solution model and whatever parts are built. */
export async function buildSolutionZip(
  repoRoot: string,
  outDir = join(repoRoot, "dist"),
  log: (line: string) => void = console.log,
): Promise<string> {
  const parts = loadParts(solutionParts(product), repoRoot, log);
  const zip = await packSolution(product, parts);
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, zipFileName(product));
  writeFileSync(out, zip);
  log(`wrote ${out} (${zip.length} bytes)`);
  return out;
}

if (require.main === module) {
  buildSolutionZip(resolve(__dirname, "..")).catch((e: unknown) => {
    console.error(`build failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
