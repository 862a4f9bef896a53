import type { Json, WdlParameter } from "../../wdl";
import type { Rule } from "./types";

const isObject = (v: Json): boolean => typeof v === "object" && v !== null && !Array.isArray(v);

/** What each parameter type holds (Workflow Definition Language, "Parameters"). */
const HOLDS: Record<WdlParameter["type"], { what: string; test: (v: Json) => boolean }> = {
  String: { what: "a string", test: (v) => typeof v === "string" },
  SecureString: { what: "a string", test: (v) => typeof v === "string" },
  Int: { what: "an integer", test: (v) => Number.isInteger(v) },
  Float: { what: "a number", test: (v) => typeof v === "number" },
  Bool: { what: "true or false", test: (v) => typeof v === "boolean" },
  Object: { what: "an object", test: isObject },
  SecureObject: { what: "an object", test: isObject },
  Array: { what: "an array", test: (v) => Array.isArray(v) },
};

/**
 * parameter-type: a parameter's value must be of its declared type; the engine type-checks
 * parameters and refuses a mismatch (WorkflowParametersValueTypeMismatch, Azure/LogicAppsUX#2962).
 * Every JSON environment variable a real export reads holds an object
 * (microsoft/powercat-automation-kit CalculateROISavingPotential…json, autocoe_DefaultFrequencyValues).
 */
export const parameterTypes: Rule = (flow, report) => {
  for (const [name, p] of Object.entries(flow.definition.parameters)) {
    const holds = HOLDS[p.type];
    if (!holds) {
      report("parameter-type", `parameters/${name}`, `"${String(p.type)}" is not a parameter type`);
      continue;
    }
    if (!holds.test(p.defaultValue)) {
      const got = Array.isArray(p.defaultValue) ? "an array" : p.defaultValue === null ? "null" : typeof p.defaultValue;
      report(
        "parameter-type",
        `parameters/${name}`,
        `a ${p.type} parameter holds ${holds.what}, its default value is ${got} (WorkflowParametersValueTypeMismatch)`,
      );
    }
  }
};
