import JSZip from "jszip";
import type { LintContext } from "../../../flows/toolkit/lint";
import { lintFlow } from "../../../flows/toolkit/lint";
import { formatProblem } from "../../../flows/toolkit/lint/problems";

/** Every cloud flow in a solution zip through the flow linter (what the designer and runtime would reject), one line per problem. */
export async function lintFlowsInZip(zip: Buffer, ctx: LintContext): Promise<string[]> {
  const archive = await JSZip.loadAsync(zip);
  const files = Object.keys(archive.files).filter((f) => f.startsWith("Workflows/") && f.endsWith(".json"));
  const problems: string[] = [];
  for (const f of files) {
    const json = JSON.parse((await archive.file(f)?.async("string")) ?? "null") as unknown;
    problems.push(...lintFlow(json, ctx, f).map(formatProblem));
  }
  return problems;
}
