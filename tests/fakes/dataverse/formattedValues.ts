import { lookupByValueKey, LOOKUP_LOGICAL_NAME, TABLES, tableByName, type TableSpec } from "./metadata";
import type { RowStore } from "./store";
import type { FieldValue, Row } from "./values";

/**
 * Formatted values (select-columns.md, "Formatted values", MicrosoftDocs powerapps-docs): with
 * `Prefer: odata.include-annotations="OData.Community.Display.V1.FormattedValue"` (or "*", which the
 * Dataverse connector's List rows and Get a row always send: their `prefer` header's default in the
 * connector's swagger, commondataserviceforapps) each column that has one comes back twice:
 * `<column>` with the value and `<column>@OData.Community.Display.V1.FormattedValue` with a string
 * generated on the server. What the fake gives, per column type:
 *
 * - choice, status, status reason: the option's label ("customertypecode": 1 → "Competitor");
 * - Yes/No: the column's True or False label ("donotpostalmail": false → "Allow");
 * - Choices (multi-select): the selected options' labels, semicolon-separated ("Formatted values for
 *   this column are a semi-colon separated string containing the labels of the selected options",
 *   multi-select-picklist.md), here "Newsletter; Events" in the order of the stored values;
 * - lookups (`_x_value`): the related row's primary name ("_primarycontactid_value" → "Susanna
 *   Stubberod (sample)");
 * - whole and decimal numbers: the number with the user's digit grouping ("numberofemployees": 9500
 *   → "9,500" in Microsoft's own samples); dates: date and time in the user's time zone and format
 *   ("modifiedon": "2023-04-07T21:59:01Z" → "4/7/2023 2:59 PM"). Neither is a label: the fake gives
 *   them (en-US, UTC) so that a flow which took every formatted value would send "9,500";
 * - text, memo, unique identifiers, EntityName: none ("name": "Litware, Inc." → None).
 *
 * Language: Dataverse gives "the localized labels", in the language of the user who calls (the
 * flow's connection: the user's UI language, where that language is enabled in the environment).
 * The fake knows one language per label: the English label of the entity reference for system
 * columns and the model's English label (label().en) for the solution's own columns; it never gives
 * a German label. A choice column the fake has no labels for gets no formatted value (stricter:
 * a flow that needs the label must find its absence).
 *
 * Only the annotation requested is given: "*", the term itself or its namespace wildcard
 * ("OData.Community.Display.V1.*", OData 4.0 Part 1 §8.2.8.4 odata.include-annotations).
 */
export const FORMATTED_VALUE = "@OData.Community.Display.V1.FormattedValue";

/** Whether the Prefer header's odata.include-annotations asks for formatted values. */
export function wantsFormattedValues(includeAnnotations: string | undefined): boolean {
  if (includeAnnotations === undefined) return false;
  const wanted = includeAnnotations
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");
  return wanted.some((w) => w === "*" || w === "OData.Community.Display.V1.FormattedValue" || w === "OData.Community.Display.V1.*");
}

const grouped = (n: number, fractionDigits: number): string =>
  n.toLocaleString("en-US", { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });

const MONTH_DAY_YEAR = (d: Date): string => `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
function dateTime(iso: string): string {
  const d = new Date(iso);
  const hours = d.getUTCHours();
  const h12 = hours % 12 === 0 ? 12 : hours % 12;
  return `${MONTH_DAY_YEAR(d)} ${h12}:${String(d.getUTCMinutes()).padStart(2, "0")} ${hours < 12 ? "AM" : "PM"}`;
}

/** The formatted value of `property` of a stored row, or undefined where Dataverse gives none. */
export function formattedValue(store: RowStore, table: TableSpec, row: Row, property: string): string | undefined {
  const value: FieldValue = row[property] ?? null;
  if (value === null) return undefined;
  const lookup = lookupByValueKey(table, property);
  if (lookup) {
    // A FetchXML result row carries only the columns asked for: the target's table is read from the stored row.
    const stored = store.get(table, String(row[table.primaryId])) ?? row;
    const logical = stored[`${property}${LOOKUP_LOGICAL_NAME}`] ?? (lookup.targets.length === 1 ? lookup.targets[0]?.entity : undefined);
    if (typeof logical !== "string") return undefined;
    const target = tableByName(logical);
    const name = store.get(target, String(value))?.[target.primaryName];
    return typeof name === "string" ? name : undefined;
  }
  const spec = table.columns[property];
  if (!spec) return undefined;
  switch (spec.type) {
    case "choice":
      return typeof value === "number" ? spec.labels?.[value] : undefined;
    case "multichoice": {
      if (typeof value !== "string" || spec.labels === undefined) return undefined;
      const labels = value.split(",").map((v) => spec.labels?.[Number(v)]);
      return labels.every((l) => l !== undefined) ? labels.join("; ") : undefined;
    }
    case "bool":
      return typeof value === "boolean" && spec.yesNo ? (value ? spec.yesNo.yes : spec.yesNo.no) : undefined;
    case "int":
    case "bigint":
      return typeof value === "number" ? grouped(value, 0) : undefined;
    case "decimal":
      return typeof value === "number" ? grouped(value, 2) : undefined;
    case "datetime":
      return typeof value === "string" ? dateTime(value) : undefined;
    case "string":
    case "memo":
    case "guid":
    case "entityname":
    // No source shows a formatted value of a file or an image column: none (stricter).
    case "file":
    case "image":
      return undefined;
  }
}

/** English, the only language the fake has labels in. */
export const FAKE_LANGUAGE = 1033;

/** The String Map rows of every choice, status and status reason column that has labels (metadata.ts, stringmap). */
export function stringMapRows(): Array<Record<string, FieldValue>> {
  const rows: Array<Record<string, FieldValue>> = [];
  for (const table of TABLES) {
    for (const [attributename, spec] of Object.entries(table.columns)) {
      if (spec.type !== "choice" || spec.labels === undefined) continue;
      Object.entries(spec.labels).forEach(([value, label], i) => {
        rows.push({
          objecttypecode: table.logicalName,
          attributename,
          attributevalue: Number(value),
          value: label,
          langid: FAKE_LANGUAGE,
          displayorder: i + 1,
        });
      });
    }
  }
  return rows;
}
