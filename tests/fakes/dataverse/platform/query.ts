import { DataverseError, badRequest, notSupportedByFake, unknownQueryProperty } from "../errors";
import type { PlatformTable } from "./tables";

export type PlatformValue = string | number | boolean | null;
export type PlatformRow = Record<string, PlatformValue>;

/** One `column eq literal` of a `$filter`; the fake models conjunctions of these and nothing else. */
export interface Equality {
  column: string;
  value: PlatformValue;
}

const OPTIONS = new Set(["$select", "$filter"]);

function literal(text: string): PlatformValue {
  // OData literals: 'text' with '' for a quote, numbers, true/false, null (OData URL conventions §5.1.1).
  const quoted = /^'((?:[^']|'')*)'$/.exec(text);
  if (quoted) return (quoted[1] ?? "").replace(/''/g, "'");
  if (text === "true" || text === "false") return text === "true";
  if (text === "null") return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) return text.toLowerCase();
  throw badRequest(`Syntax error: the literal '${text}' is not valid.`);
}

/** `$filter=a eq 'x' and b eq 2`, split on ` and ` outside quotes. */
export function parseFilter(table: PlatformTable, filter: string | undefined): Equality[] {
  if (filter === undefined) return [];
  const parts: string[] = [];
  let current = "";
  let inQuote = false;
  const words = filter.split(/(\s+)/);
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? "";
    for (const ch of w) if (ch === "'") inQuote = !inQuote;
    if (!inQuote && w === "and" && current.trim() !== "") {
      parts.push(current.trim());
      current = "";
      i++; // the whitespace after `and`
      continue;
    }
    current += w;
  }
  if (current.trim() !== "") parts.push(current.trim());
  return parts.map((p) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s+eq\s+(.+)$/.exec(p);
    if (!m) throw notSupportedByFake(`the filter '${p}' (only 'column eq literal' joined by 'and')`);
    const column = m[1] ?? "";
    if (!table.columns.includes(column)) throw unknownQueryProperty(column, table.logicalName);
    return { column, value: literal((m[2] ?? "").trim()) };
  });
}

export function parseSelect(table: PlatformTable, select: string | undefined): string[] | undefined {
  if (select === undefined) return undefined;
  const columns = select.split(",").map((c) => c.trim());
  for (const c of columns) if (!table.columns.includes(c)) throw unknownQueryProperty(c, table.logicalName);
  return columns;
}

/** Only $select and $filter are modelled; anything else is answered 501 rather than ignored. */
export function checkOptions(query: Record<string, string>): void {
  for (const k of Object.keys(query)) if (!OPTIONS.has(k)) throw notSupportedByFake(`the query option ${k} on platform tables`);
}

/** Text compares case-insensitively, as Dataverse's default collation does (Query data using the Web API, "Filter results"). */
export function matches(row: PlatformRow, filter: Equality[]): boolean {
  return filter.every((f) => {
    const v = row[f.column] ?? null;
    return typeof v === "string" && typeof f.value === "string" ? v.toLowerCase() === f.value.toLowerCase() : v === f.value;
  });
}

export function project(row: PlatformRow, table: PlatformTable, select: string[] | undefined): PlatformRow {
  const out: PlatformRow = {};
  for (const c of select ?? table.columns) out[c] = row[c] ?? null;
  out[table.key] = row[table.key] ?? null;
  return out;
}

export { DataverseError };
