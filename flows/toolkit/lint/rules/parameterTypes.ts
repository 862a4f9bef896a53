import { parameterValueProblem } from "../../wdl";
import type { Rule } from "./types";

/**
 * parameter-type: a parameter's default value must be of its declared type; the engine type-checks
 * parameters and refuses a mismatch (WorkflowParametersValueTypeMismatch, Azure/LogicAppsUX#2962).
 * Every JSON environment variable a real export reads holds an object
 * (microsoft/powercat-automation-kit CalculateROISavingPotential…json, autocoe_DefaultFrequencyValues).
 */
export const parameterTypes: Rule = (flow, report) => {
  for (const [name, p] of Object.entries(flow.definition.parameters)) {
    const problem = parameterValueProblem(p.type, p.defaultValue);
    if (problem) report("parameter-type", `parameters/${name}`, problem.replace("the value is", "its default value is"));
  }
};
