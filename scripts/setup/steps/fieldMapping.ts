import * as odata from "../../../flows/toolkit/builder/odataFilter";
import { FIELD_MAPPING_TABLES, fieldMappingText, suggestedMapping, type FieldMappingTable } from "../../../flows/product/rules/fieldMapping";
import { ENV } from "../../../solution/src/model/handles";
import { loadSwagger } from "../../../connector/src/operations";
import { ConnectorClient } from "../../../connector/src/client";
import { SetupError } from "../errors";
import { shown, within, type StepContext } from "../context";

/**
 * The column types the connector sends (README.md, "Field mapping"), as EntityDefinitions/Attributes
 * names them (Web API AttributeTypeCode): text, numbers, money, dates, yes/no and choices (these
 * three as their labels). Choices (multi-select) columns are Virtual and told apart by their
 * AttributeTypeName (SENDABLE_VIRTUAL_TYPES). Lookups (Lookup, Customer, Owner), ids, files and
 * images (Virtual too) are not offered.
 */
export const SENDABLE_COLUMN_TYPES = [
  "String",
  "Memo",
  "Integer",
  "BigInt",
  "Decimal",
  "Double",
  "Money",
  "DateTime",
  "Boolean",
  "Picklist",
  "State",
  "Status",
];
/** The AttributeTypeName (AttributeTypeDisplayName) of the Virtual columns the connector sends: Choices (multi-select-picklist.md). */
export const SENDABLE_VIRTUAL_TYPES = ["MultiSelectPicklistType"];
const sendable = (r: Record<string, unknown>): boolean => {
  const typeName = (r.AttributeTypeName as { Value?: unknown } | null | undefined)?.Value;
  return SENDABLE_COLUMN_TYPES.includes(String(r.AttributeType)) || SENDABLE_VIRTUAL_TYPES.includes(String(typeName));
};

/** The names of the CleverReach account's global attributes; the real one asks the API with a token. */
export type CleverReachAttributes = () => Promise<string[]>;

/**
 * CleverReach's global attributes through the connector's own definition (GET /v3/attributes),
 * with the token from CLEVERREACH_TOKEN (as `npm run smoke`): setup never sees the OAuth app's secret.
 */
export function cleverReachAttributesFromEnvironment(env: NodeJS.ProcessEnv): CleverReachAttributes {
  return async () => {
    const token = env.CLEVERREACH_TOKEN;
    if (!token) {
      throw new SetupError(
        "fieldMapping",
        "CleverReach's attributes",
        "CLEVERREACH_TOKEN is not set",
        "set CLEVERREACH_TOKEN to an access token of the CleverReach account (My Account → Extras → REST API) for this run only",
      );
    }
    const client = new ConnectorClient(loadSwagger(), env.CLEVERREACH_ORIGIN ?? "https://rest.cleverreach.com", token);
    const answer = await client.call<Array<{ name?: unknown }>>("ListAttributes");
    if (answer.status !== 200 || !Array.isArray(answer.body)) {
      throw new SetupError(
        "fieldMapping",
        "CleverReach's attributes",
        `CleverReach answered ${answer.status}: ${JSON.stringify(answer.body)}`,
        "check the token (401: sign in again) and run again",
      );
    }
    return answer.body.map((a) => a.name).filter((n): n is string => typeof n === "string");
  };
}

/**
 * `npm run setup -- --suggest-field-mapping` (README.md, "Field mapping"): reads the columns of
 * contact and lead (their metadata) and the CleverReach account's global attributes, and suggests
 * mapping each column of a type the connector sends to the attribute of the same name. It prints the
 * suggestion; without --dry-run it sets the variable only while the variable has no value of its own
 * (or "{}"), never over a mapping a maker wrote.
 */
export async function suggestFieldMapping(ctx: StepContext, attributes: CleverReachAttributes): Promise<void> {
  const { api, report } = ctx;
  const variable = ENV.fieldMapping.schemaName;
  const columns = {} as Record<FieldMappingTable, string[]>;
  for (const table of FIELD_MAPPING_TABLES) {
    const rows = await within("fieldMapping", `the columns of ${table}`, () =>
      api.related("EntityDefinitions", `LogicalName='${table}'`, "Attributes", ["LogicalName", "AttributeType", "AttributeTypeName"]),
    );
    columns[table] = rows.filter(sendable).map((r) => String(r.LogicalName));
  }
  const names = await attributes();
  const suggestion = suggestedMapping(columns, names);
  const text = fieldMappingText(suggestion);
  const count = suggestion.contact.length + suggestion.lead.length;
  report.note(`CleverReach has ${names.length} global attribute(s); ${count} column(s) of contact and lead are named like one`);
  if (count === 0) return report.unchanged(`no suggestion: no column of a type the connector sends is named like a CleverReach attribute`);
  report.note(`suggested ${variable}: ${text}`);
  await within("fieldMapping", `environment variable ${variable}`, async () => {
    const definition = (
      await api.list("environmentvariabledefinitions", {
        select: ["environmentvariabledefinitionid", "defaultvalue"],
        filter: odata.filter(odata.eq("schemaname", odata.str(variable))),
      })
    )[0];
    if (!definition) {
      throw new SetupError(
        "fieldMapping",
        `environment variable ${variable}`,
        "the solution is not in this environment",
        "run npm run setup first (without --suggest-field-mapping)",
      );
    }
    const definitionId = String(definition.environmentvariabledefinitionid);
    const current = (
      await api.list("environmentvariablevalues", {
        select: ["environmentvariablevalueid", "value"],
        filter: odata.filter(odata.eq("_environmentvariabledefinitionid_value", odata.guid(definitionId))),
      })
    )[0];
    const currentText = String(current?.value ?? "").trim();
    if (current && currentText !== "" && currentText !== "{}") {
      if (currentText === text) return report.unchanged(`${variable} = ${shown(text, 2000)}`);
      return report.unchanged(
        `${variable} keeps its value ${shown(currentText)}: a mapping is set already; to use the suggestion, put it into the settings file and run setup`,
      );
    }
    report.changed(`set ${variable} to ${shown(text, 2000)}`);
    if (ctx.dryRun) return;
    if (current) await api.update("environmentvariablevalues", String(current.environmentvariablevalueid), { value: text });
    else
      await api.create("environmentvariablevalues", {
        value: text,
        "EnvironmentVariableDefinitionId@odata.bind": `/environmentvariabledefinitions(${definitionId})`,
      });
  });
}
