import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { buildFlows } from "../flows/index";
import { DEPLOYMENT_SETTINGS_PATH, deploymentSettingsJson } from "../solution/src/deploymentSettings";
import { product } from "../solution/src/model/product";
import { loadParts, packSolution, PACKAGE_TYPES, zipFileName, type PackageType } from "../solution/src/pack";
import type { PartContribution, ZipFile } from "../solution/src/parts";
import { GENERATED_DIR, reviewFiles, writeFiles } from "../solution/src/review";
import { solutionParts } from "../solution/src/slots";

/**
 * Builds dist/<UniqueName>_<version>.zip (or, for the managed package, …_managed.zip) from the
 * solution model and whatever parts are built.
 */
export async function buildSolutionZip(
  repoRoot: string,
  outDir = join(repoRoot, "dist"),
  log: (line: string) => void = console.log,
  parts: PartContribution[] = loadParts(solutionParts(product), repoRoot, log),
  packageType: PackageType = "unmanaged",
): Promise<string> {
  const zip = await packSolution(product, parts, packageType);
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, zipFileName(product, packageType));
  writeFileSync(out, zip);
  log(`wrote ${out} (${zip.length} bytes)`);
  return out;
}

/** The files the build keeps in the repository for review and pipelines (committed, checked by tests). */
export function committedFiles(parts: PartContribution[]): ZipFile[] {
  return [...reviewFiles(buildFlows()), { path: DEPLOYMENT_SETTINGS_PATH, content: deploymentSettingsJson(product, parts) }];
}

/** The folders that hold nothing but generated files, so that a file left over there is removed. */
export const GENERATED_FOLDERS = [GENERATED_DIR];

if (require.main === module) {
  const root = resolve(__dirname, "..");
  const run = async (): Promise<void> => {
    const parts = loadParts(solutionParts(product), root, console.log);
    for (const packageType of PACKAGE_TYPES) await buildSolutionZip(root, undefined, console.log, parts, packageType);
    const start = performance.now();
    const r = writeFiles(root, committedFiles(parts), GENERATED_FOLDERS);
    const ms = Math.round(performance.now() - start);
    console.log(`wrote ${GENERATED_DIR}/ and ${DEPLOYMENT_SETTINGS_PATH}: ${r.written} written, ${r.removed} removed, ${r.unchanged} unchanged (${ms} ms)`);
  };
  run().catch((e: unknown) => {
    console.error(`build failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
