import type { ColumnType } from "./metadata";

/** A stored cell. Dates are ISO 8601 UTC strings, GUIDs lower-case strings, lookups `_x_value` GUIDs. */
export type FieldValue = string | number | boolean | null;
export type Row = Record<string, FieldValue>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isDate = (v: FieldValue): boolean => typeof v === "string" && ISO_DATE.test(v);

/** Dataverse compares text case-insensitively (SQL Server collation); GUIDs too. */
function normalise(v: FieldValue): FieldValue {
  if (typeof v === "string") return isDate(v) ? v : v.toLowerCase();
  return v;
}

export function valuesEqual(a: FieldValue, b: FieldValue): boolean {
  if (a === null || b === null) return a === b;
  if (isDate(a) && isDate(b)) return Date.parse(String(a)) === Date.parse(String(b));
  if (typeof a === "number" && typeof b === "string" && b.trim() !== "" && !Number.isNaN(Number(b))) return a === Number(b);
  if (typeof b === "number" && typeof a === "string" && a.trim() !== "" && !Number.isNaN(Number(a))) return b === Number(a);
  return normalise(a) === normalise(b);
}

/** Order of two non-null values, or undefined when either is null (comparisons with null are false). */
export function compareValues(a: FieldValue, b: FieldValue): number | undefined {
  if (a === null || b === null) return undefined;
  if (isDate(a) && isDate(b)) return Math.sign(Date.parse(String(a)) - Date.parse(String(b)));
  if (typeof a === "number" || typeof b === "number") return Math.sign(Number(a) - Number(b));
  if (typeof a === "boolean" || typeof b === "boolean") return Math.sign(Number(a) - Number(b));
  const x = String(normalise(a));
  const y = String(normalise(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Sort order with nulls first ascending, as SQL Server sorts them. */
export function sortCompare(a: FieldValue, b: FieldValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return compareValues(a, b) ?? 0;
}

/** `SQL LIKE` with % and _ wildcards, case-insensitive ([...] classes are not supported). */
export function likeMatches(value: FieldValue, pattern: string): boolean {
  if (value === null) return false;
  const re = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(/%/g, ".*")
    .replace(/_/g, ".");
  return new RegExp(`^${re}$`, "is").test(String(value));
}

/** Text from FetchXML (always a string) converted to the column's type for comparison. */
export function fromText(text: string, type: ColumnType): FieldValue {
  switch (type) {
    case "int":
    case "bigint":
    case "decimal":
    case "choice":
      return Number(text);
    case "bool":
      return text === "1" || text.toLowerCase() === "true";
    case "guid":
      return text.replace(/[{}]/g, "").toLowerCase();
    default:
      return text;
  }
}
