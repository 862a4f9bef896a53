import { customTableEntitySetName, customTablePrimaryKey } from "../naming";
import { COLUMN_NAMES, LOOKUP_TARGETS, type ColumnKey, type LookupKey } from "./columns";
import { TABLE_NAMES } from "./customTables";
import type { SystemTable } from "./types";

/**
 * Typed handles on the solution model for the flows (and tests): a name is written once, in the
 * model, and everything else refers to it through these, so that a misspelt column fails to
 * compile and a fork's PREFIX reaches every flow.
 */

export { ENV, type EnvironmentVariableKey } from "./environmentVariables";
export { DATAVERSE_CONNECTION } from "./connectionReferences";

const mapValues = <K extends string, A, B>(o: Record<K, A>, f: (a: A, key: K) => B): Record<K, B> =>
  // Object.entries types its keys as string; they are o's keys, K.
  Object.fromEntries(Object.entries<A>(o).map(([k, v]) => [k, f(v, k as K)])) as Record<K, B>;

/** Logical names of the product's columns, as the Web API, FetchXML and trigger filters use them. */
export const COLUMNS: Readonly<Record<ColumnKey, string>> = mapValues(COLUMN_NAMES, (schemaName) => schemaName.toLowerCase());

export interface LookupHandle {
  /** The lookup column's logical name (FetchXML, $select on the column itself). */
  logicalName: string;
  /** The read-only value property a Web API read returns for it: `_<logical name>_value`. */
  value: string;
  /** The navigation property a write binds through (`<schema name>@odata.bind`). */
  navigation: string;
  target: SystemTable;
}

/** The product's lookup columns. */
export const LOOKUPS: Readonly<Record<LookupKey, LookupHandle>> = mapValues<LookupKey, SystemTable, LookupHandle>(LOOKUP_TARGETS, (target, key) => {
  const logicalName = COLUMNS[key];
  return { logicalName, value: `_${logicalName}_value`, navigation: COLUMN_NAMES[key], target };
});

export interface TableHandle {
  schemaName: string;
  logicalName: string;
  entitySet: string;
  /** The primary key column. */
  idColumn: string;
}

/** The tables the product creates. */
export const TABLES: Readonly<Record<keyof typeof TABLE_NAMES, TableHandle>> = mapValues(TABLE_NAMES, (schemaName) => ({
  schemaName,
  logicalName: schemaName.toLowerCase(),
  entitySet: customTableEntitySetName(schemaName),
  idColumn: customTablePrimaryKey(schemaName),
}));
