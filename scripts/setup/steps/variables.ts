import { SetupError } from "../errors";
import * as odata from "../../../flows/toolkit/builder/odataFilter";
import { shown, within, type StepContext } from "../context";

/**
 * Sets each environment variable the settings file names: a current value (environmentvariablevalue
 * row, bound to its definition through EnvironmentVariableDefinitionId) is created or updated only
 * when it differs. A variable the file leaves out, or sets to its default with no current value,
 * keeps the default.
 */
export async function setVariables(ctx: StepContext): Promise<void> {
  const { api, zip, settings, report } = ctx;
  const wanted = new Map(settings.EnvironmentVariables.map((v) => [v.SchemaName, v.Value]));
  for (const variable of zip.environmentVariables) {
    const component = `environment variable ${variable.schemaName}`;
    const value = wanted.get(variable.schemaName);
    if (value === undefined) {
      report.unchanged(`${variable.schemaName} keeps its default (the settings file leaves it out)`);
      continue;
    }
    await within("variables", component, async () => {
      const definition = (
        await api.list("environmentvariabledefinitions", {
          select: ["environmentvariabledefinitionid", "defaultvalue"],
          filter: odata.filter(odata.eq("schemaname", odata.str(variable.schemaName))),
        })
      )[0];
      if (!definition) {
        if (!ctx.solutionPresent) {
          if (value !== variable.defaultValue) report.changed(`set ${variable.schemaName} to ${shown(value)} (after the import)`);
          else report.unchanged(`${variable.schemaName} keeps its default`);
          return;
        }
        throw new SetupError(
          "variables",
          component,
          "its definition is not in the environment although the solution is",
          "import the solution again: npm run setup -- --reimport …",
        );
      }
      const definitionId = String(definition.environmentvariabledefinitionid);
      const current = (
        await api.list("environmentvariablevalues", {
          select: ["environmentvariablevalueid", "value"],
          filter: odata.filter(odata.eq("_environmentvariabledefinitionid_value", odata.guid(definitionId))),
        })
      )[0];
      if (current) {
        if (current.value === value) return report.unchanged(`${variable.schemaName} = ${shown(value)}`);
        report.changed(`set ${variable.schemaName} to ${shown(value)} (was ${shown(String(current.value ?? ""))})`);
        if (!ctx.dryRun) await api.update("environmentvariablevalues", String(current.environmentvariablevalueid), { value });
        return;
      }
      if (value === definition.defaultvalue) return report.unchanged(`${variable.schemaName} keeps its default ${shown(value)}`);
      report.changed(`set ${variable.schemaName} to ${shown(value)} (default ${shown(String(definition.defaultvalue ?? ""))})`);
      if (!ctx.dryRun) {
        await api.create("environmentvariablevalues", {
          value,
          "EnvironmentVariableDefinitionId@odata.bind": `/environmentvariabledefinitions(${definitionId})`,
        });
      }
    });
  }
}
