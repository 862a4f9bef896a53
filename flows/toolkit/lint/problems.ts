/** One finding of the flow linter: which rule, where in the flow, and what is wrong. */
export interface LintProblem {
  rule: string;
  /** `<flow>/<action path>` or `<flow>/trigger <name>`. */
  where: string;
  message: string;
}

export const formatProblem = (p: LintProblem): string => `${p.where}: ${p.message} [${p.rule}]`;
