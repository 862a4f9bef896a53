import type { Rule } from "./types";

/**
 * definition-outputs: the definition carries `outputs`, as the designer writes it (`{}` in 42 of 142
 * real exports, never anything else; Workflow Definition Language lists it among the definition's
 * elements).
 */
export const definitionOutputs: Rule = (flow, report) => {
  const o = flow.definition.outputs;
  if (typeof o !== "object" || o === null || Array.isArray(o))
    report("definition-outputs", "definition", "the definition has no outputs object (the designer writes outputs: {})");
};
