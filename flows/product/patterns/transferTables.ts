import { ENV } from "../../../solution/src/model/handles";
import * as odata from "../../toolkit/builder/odataFilter";
import { actions, body, call, outputs, variables, type Ex } from "../../toolkit/expr/build";
import { compose, initializeVariable, setVariable } from "../../toolkit/builder/actions";
import { listRows } from "../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import {
  coalesce,
  setProperty,
  createArray,
  equals,
  first,
  ifElse,
  intersection,
  json,
  length,
  not,
  or,
  startsWith,
  string,
  trim,
} from "../../toolkit/expr/functions";
import { TRANSFER_TABLES } from "../rules/eligibility";
import { NO_ID } from "./syncedOwners";

/** A name no table has: stands in for a setting that holds no array, so the check below fails. */
const NOT_AN_ARRAY = "(not an array)";
/** The variable that holds the tables read. */
const TRANSFER_TABLES_VARIABLE = "transferTables";

/**
 * The transfer-tables setting as the maker left it, read at run time from Dataverse (the
 * environment variable's current value, else its default) rather than as a flow parameter: the
 * setting holds `{"tables": [...]}`, but a value set before may still be the older bare array, and
 * a flow parameter of type Object refuses an array before the run starts
 * (WorkflowParametersValueTypeMismatch). Both forms are read, as transferTablesFrom() in
 * flows/product/rules/eligibility.ts does. Returns the tables (an array; a placeholder name when the
 * setting holds no array or no JSON), the condition that the setting is not valid (also: no table
 * at all), and the step the check must run after (also when the reading failed). Call it at the
 * top level of a flow (it initializes a variable).
 */
export function readTransferTables(s: ScopeBuilder): { tables: Ex; invalid: Ex; after: string; unread: Ex; failedRead: Ex } {
  s.add(
    "Transfer_setting_definition",
    listRows({
      entitySet: "environmentvariabledefinitions",
      select: ["environmentvariabledefinitionid", "defaultvalue"],
      filter: odata.filter(odata.eq("schemaname", odata.str(ENV.transferTables.schemaName))),
    }),
  );
  const definition = first(body("Transfer_setting_definition").get("value"));
  s.add(
    "Transfer_setting_value",
    listRows({
      entitySet: "environmentvariablevalues",
      select: ["value"],
      filter: odata.filter(odata.eq("_environmentvariabledefinitionid_value", odata.guid(coalesce(definition.get("environmentvariabledefinitionid"), NO_ID)))),
    }),
  );
  s.add(
    "Transfer_setting_text",
    compose(trim(coalesce(first(body("Transfer_setting_value").get("value")).get("value"), definition.get("defaultvalue"), ENV.transferTables.defaultValue))),
  );
  const text = outputs("Transfer_setting_text");
  // Held in a variable that starts as "no array", so that a value json() cannot read (not JSON at
  // all) leaves it so: the parsing may fail, the check below then names the variable on the record.
  // Also when the setting could not be read (the connection refused it): the variable then says "no
  // array", and `unread` tells the caller why.
  s.add("Init_transfer_tables", initializeVariable(TRANSFER_TABLES_VARIABLE, "array", createArray(NOT_AN_ARRAY)), {
    Transfer_setting_text: ["Succeeded", "Failed", "Skipped"],
  });
  s.scope("Read_transfer_setting", (r) => {
    // The older form, a bare array, becomes the object form: no property is read from an array. Built
    // as an object, not as text: spliced into '{"tables":' … '}', a value such as
    // `["contact"], "tables": ["lead"]` made an object whose later "tables" won (issue 15: no JSON by
    // splicing text). json() of the value itself fails for anything but one JSON value.
    r.add("Transfer_setting", compose(ifElse(startsWith(text, "["), setProperty(json("{}"), "tables", json(text)), json(text))));
    const held = outputs("Transfer_setting").get("tables");
    r.add("Transfer_tables", compose(ifElse(startsWith(string(held), "["), held, createArray(NOT_AN_ARRAY))));
    r.add("Keep_transfer_tables", setVariable(TRANSFER_TABLES_VARIABLE, outputs("Transfer_tables")));
  });
  const tables = variables(TRANSFER_TABLES_VARIABLE);
  const unknownTable = not(equals(length(intersection(tables, call("createArray", ...TRANSFER_TABLES))), length(tables)));
  const definitionRead = equals(actions("Transfer_setting_definition").get("status"), "Succeeded");
  return {
    tables,
    invalid: or(equals(length(tables), 0), unknownTable),
    after: "Read_transfer_setting",
    unread: not(equals(actions("Transfer_setting_text").get("status"), "Succeeded")),
    failedRead: ifElse(definitionRead, actions("Transfer_setting_value"), actions("Transfer_setting_definition")),
  };
}
