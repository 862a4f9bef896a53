import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import JSZip from "jszip";
import { verifySolutionZip } from "../solution/src/verify/verifyZip";
import { lintFlow } from "../flows/toolkit/lint";
import { defaultLintContext } from "../flows/product/lintContext";
import { formatProblem } from "../flows/toolkit/lint/problems";

/**
 * `npm run verify [zip]`: checks a built solution zip the way an importer would. Without an
 * argument it checks every zip in dist/. Exit code 1 and one line per problem when it fails.
 */
const repoRoot = resolve(__dirname, "..");

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const zips = args.length > 0 ? args : readdirSync(join(repoRoot, "dist")).filter((f) => f.endsWith(".zip")).map((f) => join(repoRoot, "dist", f));
  if (zips.length === 0) {
    console.error("verify: no zip given and none in dist/ (run npm run build first)");
    return 1;
  }
  let failed = false;
  for (const zip of zips) {
    if (!existsSync(zip)) {
      console.error(`verify: ${zip} does not exist`);
      failed = true;
      continue;
    }
    const buffer = readFileSync(zip);
    const problems = await verifySolutionZip(buffer, basename(zip));
    problems.push(...(await lintFlowsIn(buffer)));
    if (problems.length === 0) {
      console.log(`verify: ${zip} passed (including the CRM SDK XSD structure check)`);
    } else {
      failed = true;
      console.error(`verify: ${zip} has ${problems.length} problem(s):`);
      for (const p of problems) console.error(`  - ${p}`);
    }
  }
  return failed ? 1 : 0;
}

/** Every cloud flow in the zip through the flow linter (what the designer and runtime would reject). */
async function lintFlowsIn(zip: Buffer): Promise<string[]> {
  const files = Object.keys((await JSZip.loadAsync(zip)).files).filter((f) => f.startsWith("Workflows/") && f.endsWith(".json"));
  if (files.length === 0) return [];
  const ctx = defaultLintContext(repoRoot);
  const archive = await JSZip.loadAsync(zip);
  const problems: string[] = [];
  for (const f of files) {
    const json = JSON.parse((await archive.file(f)?.async("string")) ?? "null") as unknown;
    problems.push(...lintFlow(json, ctx, f).map(formatProblem));
  }
  return problems;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(`verify failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
