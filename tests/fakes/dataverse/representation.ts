import { LOOKUP_LOGICAL_NAME, lookupByValueKey, readableProperties, type TableSpec } from "./metadata";
import type { ExpandItem } from "./queryOptions";
import { etagOf, type RowStore } from "./store";
import { FORMATTED_VALUE, formattedValue } from "./formattedValues";
import type { Row } from "./values";

/** How a row is written into a response, as decided by the request's query options and headers. */
export interface RepresentationOptions {
  select?: string[];
  expand?: ExpandItem[];
  /** `Prefer: odata.include-annotations=*` (the connector always sends it): lookup logical names. */
  annotations: boolean;
  /** The Prefer header asks for OData.Community.Display.V1.FormattedValue (formattedValues.ts). */
  formattedValues: boolean;
  /** `Accept: application/json;odata.metadata=full`: @odata.id and @odata.type on every row. */
  fullMetadata: boolean;
  serviceRoot: string;
}

export type JsonObject = Record<string, unknown>;

export const rowUrl = (serviceRoot: string, table: TableSpec, id: string): string => `${serviceRoot}/${table.entitySetName}(${id})`;

export function representRow(store: RowStore, table: TableSpec, row: Row, options: RepresentationOptions): JsonObject {
  const id = String(row[table.primaryId]);
  const out: JsonObject = { "@odata.etag": etagOf(row) };
  if (options.fullMetadata) {
    out["@odata.type"] = `#Microsoft.Dynamics.CRM.${table.logicalName}`;
    out["@odata.id"] = rowUrl(options.serviceRoot, table, id);
  }
  const properties = options.select ? [...new Set([...options.select, table.primaryId])] : readableProperties(table);
  for (const property of properties) {
    const value = row[property] ?? null;
    if (options.annotations && value !== null && lookupByValueKey(table, property)) {
      const logical = row[`${property}${LOOKUP_LOGICAL_NAME}`];
      if (typeof logical === "string") out[`${property}${LOOKUP_LOGICAL_NAME}`] = logical;
    }
    const shown = options.formattedValues ? formattedValue(store, table, row, property) : undefined;
    if (shown !== undefined) out[`${property}${FORMATTED_VALUE}`] = shown;
    out[property] = value;
  }
  for (const expand of options.expand ?? []) {
    const relatedId = row[expand.valueKey];
    const pointsAtTarget = row[`${expand.valueKey}${LOOKUP_LOGICAL_NAME}`] === expand.target.logicalName;
    const related = typeof relatedId === "string" && pointsAtTarget ? store.get(expand.target, relatedId) : undefined;
    out[expand.navigation] = related ? representRow(store, expand.target, related, { ...options, select: expand.select, expand: [] }) : null;
  }
  return out;
}
