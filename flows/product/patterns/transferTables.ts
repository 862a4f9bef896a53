import { ENV } from "../../../solution/src/model/handles";
import { body, call, outputs, tpl, type Ex } from "../../toolkit/expr/build";
import { compose } from "../../toolkit/builder/actions";
import { listRows } from "../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { coalesce, concat, createArray, equals, first, ifElse, intersection, json, length, not, startsWith, string, trim } from "../../toolkit/expr/functions";
import { TRANSFER_TABLES } from "../rules/eligibility";
import { NO_ID } from "./syncedOwners";

/** A name no table has: stands in for a setting that holds no array, so the check below fails. */
const NOT_AN_ARRAY = "(not an array)";

/**
 * The transfer-tables setting as the maker left it, read at run time from Dataverse (the
 * environment variable's current value, else its default) rather than as a flow parameter: the
 * setting holds `{"tables": [...]}`, but a value set before may still be the older bare array, and
 * a flow parameter of type Object refuses an array before the run starts
 * (WorkflowParametersValueTypeMismatch). Both forms are read, as transferTablesFrom() in
 * flows/product/rules/eligibility.ts does. Returns the tables (an array; a placeholder name when the
 * setting holds no array) and the condition that the setting is not valid.
 */
export function readTransferTables(s: ScopeBuilder): { tables: Ex; invalid: Ex } {
  s.add(
    "Transfer_setting_definition",
    listRows({
      entitySet: "environmentvariabledefinitions",
      select: ["environmentvariabledefinitionid", "defaultvalue"],
      filter: `schemaname eq '${ENV.transferTables.schemaName}'`,
    }),
  );
  const definition = first(body("Transfer_setting_definition").get("value"));
  s.add(
    "Transfer_setting_value",
    listRows({
      entitySet: "environmentvariablevalues",
      select: ["value"],
      filter: tpl`_environmentvariabledefinitionid_value eq ${coalesce(definition.get("environmentvariabledefinitionid"), NO_ID)}`,
    }),
  );
  s.add(
    "Transfer_setting_text",
    compose(trim(coalesce(first(body("Transfer_setting_value").get("value")).get("value"), definition.get("defaultvalue"), ENV.transferTables.defaultValue))),
  );
  const text = outputs("Transfer_setting_text");
  // The older form, a bare array, becomes the object form as text: no property is read from an array.
  s.add("Transfer_setting", compose(json(ifElse(startsWith(text, "["), concat('{"tables":', text, "}"), text))));
  const held = outputs("Transfer_setting").get("tables");
  s.add("Transfer_tables", compose(ifElse(startsWith(string(held), "["), held, createArray(NOT_AN_ARRAY))));
  const tables = outputs("Transfer_tables");
  return { tables, invalid: not(equals(length(intersection(tables, call("createArray", ...TRANSFER_TABLES))), length(tables))) };
}
