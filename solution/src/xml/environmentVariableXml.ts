import type { EnvironmentVariable } from "../model/types";
import { el, tx, type XNode } from "../xml";
import { labels } from "./common";

/** Type codes of the environmentvariabledefinition table (Microsoft's table reference). */
export const ENVIRONMENT_VARIABLE_TYPE_CODE: Record<EnvironmentVariable["type"], number> = {
  string: 100000000,
  number: 100000001,
  boolean: 100000002,
  json: 100000003,
};

/** Memo columns of the definition hold at most 2,000 characters (table reference). */
export const ENVIRONMENT_VARIABLE_MAX_TEXT = 2000;

export const environmentVariablePath = (v: EnvironmentVariable): string => `environmentvariabledefinitions/${v.schemaName}/environmentvariabledefinition.xml`;

export function environmentVariableXml(v: EnvironmentVariable): XNode {
  return el(
    "environmentvariabledefinition",
    { schemaname: v.schemaName },
    tx("defaultvalue", v.defaultValue),
    el("description", { default: v.description.en }, labels("label", "label", v.description).children),
    el("displayname", { default: v.displayName.en }, labels("label", "label", v.displayName).children),
    tx("introducedversion", "1.0.0.0"),
    tx("iscustomizable", true),
    tx("isrequired", false),
    tx("secretstore", 0),
    tx("type", ENVIRONMENT_VARIABLE_TYPE_CODE[v.type]),
  );
}
