import { badRequest, notSupportedByFake, unknownQueryProperty } from "./errors";
import { LOOKUP_LOGICAL_NAME, RELATIONSHIPS, lookupByNavigation, lookupValueKey, propertyType, tableByLogicalName, type TableSpec } from "./metadata";
import { comparisons, filterProperties, parseFilter, type ComparisonOp, type FilterExpr, type LiteralType, type PropertyResolver } from "./odataFilter";
import type { RowStore } from "./store";
import type { FieldValue, Row } from "./values";

/** Parsed `$select`, `$expand`, `$orderby` and `$filter` of a request, validated against metadata. */

export interface ExpandItem {
  navigation: string;
  /** The lookup value key on the parent (`_parentcustomerid_value`) and the table it must point at. */
  valueKey: string;
  target: TableSpec;
  select?: string[];
}

export interface OrderItem {
  property: string;
  descending: boolean;
}

const splitTopLevel = (text: string, separator: string): string[] => {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === separator && depth === 0) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
};

function checkProperty(table: TableSpec, property: string): void {
  if (!propertyType(table, property)) throw unknownQueryProperty(property, table.logicalName);
}

export function parseSelect(table: TableSpec, text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const props = splitTopLevel(text, ",");
  for (const p of props) checkProperty(table, p);
  return props;
}

export function parseOrderBy(table: TableSpec, text: string | undefined): OrderItem[] {
  if (text === undefined || text.trim() === "") return [];
  return splitTopLevel(text, ",").map((part) => {
    const [property = "", direction = "asc", ...rest] = part.split(/\s+/);
    if (rest.length > 0 || (direction !== "asc" && direction !== "desc")) throw badRequest(`Invalid $orderby item '${part}'.`);
    checkProperty(table, property);
    return { property, descending: direction === "desc" };
  });
}

export function parseExpand(table: TableSpec, text: string | undefined): ExpandItem[] {
  if (text === undefined || text.trim() === "") return [];
  return splitTopLevel(text, ",").map((item) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\((.*)\))?$/s.exec(item);
    if (!m?.[1]) throw badRequest(`Invalid $expand item '${item}'.`);
    const navigation = m[1];
    const found = lookupByNavigation(table, navigation);
    if (!found) {
      if (RELATIONSHIPS.some((r) => r.name === navigation)) throw notSupportedByFake(`collection-valued $expand (${navigation})`);
      throw unknownQueryProperty(navigation, table.logicalName);
    }
    const target = tableByLogicalName(found.target.entity);
    if (!target) throw new Error(`metadata: ${navigation} points at an unknown table`);
    const expand: ExpandItem = { navigation, valueKey: lookupValueKey(found.lookup.name), target };
    for (const option of splitTopLevel(m[2] ?? "", ";")) {
      const eq = option.indexOf("=");
      const name = option.slice(0, eq);
      const value = option.slice(eq + 1);
      if (name === "$select") expand.select = parseSelect(target, value);
      else throw notSupportedByFake(`the nested $expand option ${name}`);
    }
    return expand;
  });
}

/** Validates every property the filter reads; nav paths must go through a single-valued navigation. */
export function parseCheckedFilter(table: TableSpec, text: string | undefined): FilterExpr | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const expr = parseFilter(text);
  for (const path of filterProperties(expr)) {
    const [first = "", second, ...rest] = path;
    if (rest.length > 0) throw notSupportedByFake(`property paths deeper than one navigation ('${path.join("/")}')`);
    if (second === undefined) {
      checkProperty(table, first);
      continue;
    }
    const found = lookupByNavigation(table, first);
    if (!found) throw unknownQueryProperty(first, table.logicalName);
    const target = tableByLogicalName(found.target.entity);
    if (target) checkProperty(target, second);
  }
  for (const c of comparisons(expr)) {
    const [only, nav] = c.path;
    if (only === undefined || nav !== undefined) continue;
    const column = propertyType(table, only);
    const operand = column === "guid" ? "Edm.Guid" : column === "string" || column === "memo" || column === "entityname" ? "Edm.String" : undefined;
    const bad = (operand === "Edm.Guid" && c.literal === "string") || (operand === "Edm.String" && (c.literal === "guid" || c.literal === "number"));
    if (operand && bad) throw incompatibleTypes(operand, LITERAL_EDM[c.literal], c.op);
  }
  return expr;
}

const LITERAL_EDM: Record<LiteralType, string> = {
  string: "Edm.String",
  guid: "Edm.Guid",
  number: "Edm.Int32",
  bool: "Edm.Boolean",
  null: "null",
  date: "Edm.DateTimeOffset",
};
const OPERATOR_KIND: Record<ComparisonOp, string> = {
  eq: "Equal",
  ne: "NotEqual",
  gt: "GreaterThan",
  ge: "GreaterThanOrEqual",
  lt: "LessThan",
  le: "LessThanOrEqual",
};

/**
 * A GUID column compared with a quoted string (or a text column with a GUID or number) is refused
 * before any row is read: "A binary operator with incompatible types was detected. Found operand
 * types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'." (a Dynamics Web API answer quoted in
 * context-and-oss/XrmDefinitelyTyped#35; GUIDs are unquoted in OData v4: guidValue = 8HEXDIG "-" …).
 * AlexaCRM/dynamics-webapi-toolkit#4 reports v9.1 accepting both forms: the fake is the stricter.
 */
const incompatibleTypes = (a: string, b: string, op: ComparisonOp) =>
  badRequest(`A binary operator with incompatible types was detected. Found operand types '${a}' and '${b}' for operator kind '${OPERATOR_KIND[op]}'.`);

/** Reads filter paths on a stored row, following a navigation property through the store. */
export function rowResolver(store: RowStore, table: TableSpec, row: Row): PropertyResolver {
  return (path: string[]): FieldValue => {
    const [first = "", second] = path;
    if (second === undefined) return row[first] ?? null;
    const found = lookupByNavigation(table, first);
    if (!found) return null;
    const key = lookupValueKey(found.lookup.name);
    const id = row[key];
    if (typeof id !== "string" || row[`${key}${LOOKUP_LOGICAL_NAME}`] !== found.target.entity) return null;
    const target = tableByLogicalName(found.target.entity);
    const related = target ? store.get(target, id) : undefined;
    return related?.[second] ?? null;
  };
}
