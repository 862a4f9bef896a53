import { buildFlows } from "../../flows";
import { lintFlow } from "../../flows/toolkit/lint";
import { defaultLintContext } from "../../flows/product/lintContext";
import { formatProblem } from "../../flows/toolkit/lint/problems";

test("every flow the repository generates is lint-clean", () => {
  const ctx = defaultLintContext();
  const flows = buildFlows();
  expect(flows.length).toBeGreaterThan(0);
  const problems = flows.flatMap((f) => lintFlow(f.clientData, ctx, f.displayName.en).map(formatProblem));
  expect(problems).toEqual([]);
  expect(new Set(flows.map((f) => f.id)).size).toBe(flows.length);
});
