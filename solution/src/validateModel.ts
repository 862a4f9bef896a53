import { MAX_ENVVAR_NAME, MAX_RELATIONSHIP_NAME, MAX_TABLE_OR_COLUMN_NAME, prefixProblem, schemaNameProblem } from "./naming";
import type { SolutionModel } from "./model/types";
import { ENVIRONMENT_VARIABLE_MAX_TEXT } from "./xml/environmentVariableXml";

/**
 * Problems in the solution model, found before anything is written, each naming the component.
 * The same rules run again over the built zip in `verify`.
 */
export function modelProblems(model: SolutionModel): string[] {
  const problems: string[] = [];
  const { prefix, optionValuePrefix } = model.publisher;
  const p = prefixProblem(prefix);
  if (p) problems.push(p);
  if (!Number.isInteger(optionValuePrefix) || optionValuePrefix < 10000 || optionValuePrefix > 99999) {
    problems.push(`publisher option value prefix ${optionValuePrefix} must be a number from 10000 to 99999`);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(model.solution.uniqueName)) {
    problems.push(`solution unique name "${model.solution.uniqueName}" may only contain letters, digits and underscores`);
  }
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(model.solution.version)) {
    problems.push(`solution version "${model.solution.version}" must have four numeric parts`);
  }
  const check = (what: string, name: string, max: number): void => {
    const problem = schemaNameProblem(name, prefix, max);
    if (problem) problems.push(`${what}: ${problem}`);
  };
  for (const x of model.extensions) {
    const seen = new Set<string>();
    for (const c of x.columns) {
      check(`column on ${x.table.logicalName}`, c.schemaName, MAX_TABLE_OR_COLUMN_NAME);
      if (seen.has(c.schemaName.toLowerCase())) problems.push(`column ${c.schemaName} is defined twice on ${x.table.logicalName}`);
      seen.add(c.schemaName.toLowerCase());
    }
  }
  for (const t of model.tables) {
    check("table", t.schemaName, MAX_TABLE_OR_COLUMN_NAME);
    const seen = new Set<string>();
    for (const c of [t.primaryName, ...t.columns]) {
      check(`column on ${t.schemaName}`, c.schemaName, MAX_TABLE_OR_COLUMN_NAME);
      if (seen.has(c.schemaName.toLowerCase())) problems.push(`column ${c.schemaName} is defined twice on ${t.schemaName}`);
      seen.add(c.schemaName.toLowerCase());
      if (c.kind === "lookup") check(`relationship of ${c.schemaName}`, c.relationshipName, MAX_RELATIONSHIP_NAME);
    }
  }
  const envNames = new Set<string>();
  for (const v of model.environmentVariables) {
    check("environment variable", v.schemaName, MAX_ENVVAR_NAME);
    if (envNames.has(v.schemaName.toLowerCase())) problems.push(`environment variable ${v.schemaName} is defined twice`);
    envNames.add(v.schemaName.toLowerCase());
    problems.push(...defaultValueProblems(v.schemaName, v.type, v.defaultValue));
    if (v.description.en.length > ENVIRONMENT_VARIABLE_MAX_TEXT || v.description.de.length > ENVIRONMENT_VARIABLE_MAX_TEXT) {
      problems.push(`environment variable ${v.schemaName}: description is longer than ${ENVIRONMENT_VARIABLE_MAX_TEXT} characters`);
    }
  }
  for (const c of model.connectionReferences) check("connection reference", c.logicalName, MAX_ENVVAR_NAME);
  return problems;
}

/** Whether a default value is what Dataverse stores for the variable's type. */
export function defaultValueProblems(name: string, type: string, value: string): string[] {
  const where = `environment variable ${name}`;
  if (value.length > ENVIRONMENT_VARIABLE_MAX_TEXT) return [`${where}: default is longer than ${ENVIRONMENT_VARIABLE_MAX_TEXT} characters`];
  switch (type) {
    case "boolean":
      return value === "yes" || value === "no" ? [] : [`${where}: Boolean default must be "yes" or "no", not "${value}"`];
    case "number":
      return /^-?\d+(\.\d+)?$/.test(value) ? [] : [`${where}: Number default "${value}" is not a number`];
    case "json":
      try {
        JSON.parse(value);
        return [];
      } catch (e) {
        return [`${where}: JSON default is not valid JSON (${(e as Error).message})`];
      }
    default:
      return [];
  }
}
