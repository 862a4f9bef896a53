import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { verifySolutionZip } from "../solution/src/verify/verifyZip";
import { lintFlowsInZip } from "../solution/src/verify/lintFlows";
import { defaultLintContext } from "../flows/product/lintContext";
import { formAdditionProblems } from "./setup/formCheck";

/**
 * `npm run verify [zip]`: checks a built solution zip the way an importer would. Without an
 * argument it checks every zip in dist/. Exit code 1 and one line per problem when it fails.
 */
const repoRoot = resolve(__dirname, "..");

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const zips =
    args.length > 0
      ? args
      : readdirSync(join(repoRoot, "dist"))
          .filter((f) => f.endsWith(".zip"))
          .map((f) => join(repoRoot, "dist", f));
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
    problems.push(...(await lintFlowsInZip(buffer, defaultLintContext(repoRoot))));
    problems.push(...(await formAdditionProblems(buffer)));
    if (problems.length === 0) {
      console.log(`verify: ${zip} passed (including the CRM SDK XSD structure check of the zip and of what setup adds to the forms)`);
    } else {
      failed = true;
      console.error(`verify: ${zip} has ${problems.length} problem(s):`);
      for (const p of problems) console.error(`  - ${p}`);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`verify failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
