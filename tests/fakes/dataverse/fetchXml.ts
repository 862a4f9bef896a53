import { XMLParser, XMLValidator } from "fast-xml-parser";
import { badRequest, fetchAttributeMissing, notSupportedByFake } from "./errors";
import { lookupValueKey, tableByLogicalName, type TableSpec } from "./metadata";
import type { RowStore } from "./store";
import { compareValues, fromText, likeMatches, sortCompare, valuesEqual, type FieldValue, type Row } from "./values";

/**
 * The FetchXML subset that dynamic marketing lists (list.query) and the flows need: one entity with
 * attributes/all-attributes, nested and/or filters, the usual condition operators, link-entity
 * (inner/outer/any/not any/exists/in) with their own filters and nested links, order, top,
 * count/page and distinct. Anything else is refused loudly rather than answered wrongly.
 */

type LinkType = "inner" | "outer" | "any" | "not any" | "exists" | "in";

interface FetchCondition {
  attribute: string;
  operator: string;
  values: string[];
  /** Alias of a link-entity the condition reads from (condition on an outer-joined table). */
  entityName?: string;
}

interface FetchFilter {
  type: "and" | "or";
  conditions: FetchCondition[];
  filters: FetchFilter[];
}

interface FetchOrder {
  attribute: string;
  descending: boolean;
  alias: string;
}

interface FetchLink {
  table: TableSpec;
  from: string;
  to: string;
  linkType: LinkType;
  alias: string;
  attributes: string[] | "all";
  filter?: FetchFilter;
  links: FetchLink[];
}

export interface FetchQuery {
  table: TableSpec;
  attributes: string[] | "all";
  filter?: FetchFilter;
  links: FetchLink[];
  orders: FetchOrder[];
  distinct: boolean;
  top?: number;
  count?: number;
  page?: number;
  /** The `paging-cookie` attribute, XML-decoded. */
  pagingCookie?: string;
}

type XmlNode = Record<string, unknown>;

const ARRAY_ELEMENTS = new Set(["entity", "attribute", "order", "filter", "condition", "link-entity", "value"]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAY_ELEMENTS.has(name),
});

const BASE = "";

const nodes = (node: XmlNode, name: string): XmlNode[] => {
  const value = node[name];
  return Array.isArray(value) ? value.map((v) => (typeof v === "object" && v !== null ? (v as XmlNode) : {})) : [];
};
const attr = (node: XmlNode, name: string): string | undefined => {
  const v = node[`@_${name}`];
  return typeof v === "string" ? v : undefined;
};
const intAttr = (node: XmlNode, name: string): number | undefined => {
  const v = attr(node, name);
  return v === undefined ? undefined : Number.parseInt(v, 10);
};

function requireTable(name: string | undefined): TableSpec {
  const table = name ? tableByLogicalName(name) : undefined;
  if (!table) throw badRequest(`The entity with a name = '${name ?? ""}' with namemapping = 'Logical' was not found in the MetadataCache.`, "0x80041102");
  return table;
}

/** Storage key of a FetchXML attribute: a column as-is, a lookup as `_x_value`. */
function storageKey(table: TableSpec, attribute: string): string {
  if (table.columns[attribute]) return attribute;
  if (table.lookups.some((l) => l.name === attribute)) return lookupValueKey(attribute);
  throw fetchAttributeMissing(table.logicalName, attribute);
}

function parseAttributes(node: XmlNode, table: TableSpec): string[] | "all" {
  if ("all-attributes" in node) return "all";
  return nodes(node, "attribute").map((a) => {
    const name = attr(a, "name") ?? "";
    storageKey(table, name);
    return name;
  });
}

function parseFilter(node: XmlNode, table: TableSpec, aliases: Map<string, TableSpec>): FetchFilter {
  const type = attr(node, "type") ?? "and";
  if (type !== "and" && type !== "or") throw badRequest(`Invalid filter type '${type}'.`);
  return {
    type,
    conditions: nodes(node, "condition").map((c) => {
      const attribute = attr(c, "attribute") ?? "";
      const entityName = attr(c, "entityname");
      const owner = entityName === undefined ? table : aliases.get(entityName);
      if (!owner) throw badRequest(`No link-entity with alias '${entityName ?? ""}' for a condition.`);
      storageKey(owner, attribute);
      const single = attr(c, "value");
      const values = nodes(c, "value").length > 0 ? (c.value as unknown[]).map((v) => String(v)) : single === undefined ? [] : [single];
      return { attribute, operator: attr(c, "operator") ?? "", values, entityName };
    }),
    filters: nodes(node, "filter").map((f) => parseFilter(f, table, aliases)),
  };
}

/** Several <filter> elements side by side under an entity or link-entity all apply (AND). */
function combinedFilter(filterNodes: XmlNode[], table: TableSpec, aliases: Map<string, TableSpec>): FetchFilter | undefined {
  if (filterNodes.length === 0) return undefined;
  const parsed = filterNodes.map((f) => parseFilter(f, table, aliases));
  return parsed.length === 1 ? parsed[0] : { type: "and", conditions: [], filters: parsed };
}

const LINK_TYPES = new Set<string>(["inner", "outer", "any", "not any", "exists", "in"]);

function parseLinks(node: XmlNode, parentTable: TableSpec, aliases: Map<string, TableSpec>, counter: { n: number }): FetchLink[] {
  return nodes(node, "link-entity").map((l) => {
    const table = requireTable(attr(l, "name"));
    const linkType = attr(l, "link-type") ?? "inner";
    if (!LINK_TYPES.has(linkType)) throw notSupportedByFake(`link-type '${linkType}'`);
    const from = attr(l, "from") ?? table.primaryId;
    const to = attr(l, "to") ?? parentTable.primaryId;
    storageKey(table, from);
    storageKey(parentTable, to);
    counter.n++;
    // Unaliased link-entities get `<name><n>` as the Web API names their columns.
    const alias = attr(l, "alias") ?? `${table.logicalName}${counter.n}`;
    aliases.set(alias, table);
    const links = parseLinks(l, table, aliases, counter);
    const filters = nodes(l, "filter");
    return {
      table,
      from,
      to,
      linkType: linkType as LinkType,
      alias,
      attributes: parseAttributes(l, table),
      filter: combinedFilter(filters, table, aliases),
      links,
    };
  });
}

export function parseFetchXml(xml: string): FetchQuery {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw badRequest(`Invalid FetchXML: ${valid.err.msg} (line ${valid.err.line}).`, "0x80041130");
  const doc = parser.parse(xml) as XmlNode;
  const fetch = doc.fetch;
  if (typeof fetch !== "object" || fetch === null) throw badRequest("Invalid FetchXML: the root element must be <fetch>.", "0x80041130");
  const fetchNode = fetch as XmlNode;
  if (attr(fetchNode, "aggregate") === "true") throw notSupportedByFake("aggregate FetchXML");
  const [entity] = nodes(fetchNode, "entity");
  if (!entity) throw badRequest("Invalid FetchXML: <fetch> needs an <entity>.", "0x80041130");
  const table = requireTable(attr(entity, "name"));
  const aliases = new Map<string, TableSpec>([[BASE, table]]);
  const links = parseLinks(entity, table, aliases, { n: 0 });
  const filters = nodes(entity, "filter");
  const orders = nodes(entity, "order").map((o) => {
    const attribute = attr(o, "attribute") ?? "";
    storageKey(table, attribute);
    return { attribute, descending: attr(o, "descending") === "true", alias: BASE };
  });
  return {
    table,
    attributes: parseAttributes(entity, table),
    filter: combinedFilter(filters, table, aliases),
    links,
    orders,
    distinct: attr(fetchNode, "distinct") === "true",
    top: intAttr(fetchNode, "top"),
    count: intAttr(fetchNode, "count"),
    page: intAttr(fetchNode, "page"),
    pagingCookie: attr(fetchNode, "paging-cookie"),
  };
}

/** One result candidate: the base row and, per link alias, the joined row (null for outer misses). */
type Tuple = Map<string, Row | null>;

const day = (iso: string): string => iso.slice(0, 10);

function conditionHolds(table: TableSpec, condition: FetchCondition, row: Row | null): boolean {
  const key = storageKey(table, condition.attribute);
  const value: FieldValue = row?.[key] ?? null;
  const type = table.columns[condition.attribute]?.type ?? "guid";
  const typed = condition.values.map((v) => fromText(v, type));
  const [first = null] = typed;
  const text = condition.values[0] ?? "";
  switch (condition.operator) {
    case "eq":
      return valuesEqual(value, first);
    case "ne":
    case "neq":
      return value !== null && !valuesEqual(value, first);
    case "gt":
    case "ge":
    case "lt":
    case "le": {
      const order = compareValues(value, first);
      if (order === undefined) return false;
      return { gt: order > 0, ge: order >= 0, lt: order < 0, le: order <= 0 }[condition.operator];
    }
    case "null":
      return value === null;
    case "not-null":
      return value !== null;
    case "in":
      return value !== null && typed.some((t) => valuesEqual(value, t));
    case "not-in":
      return value !== null && !typed.some((t) => valuesEqual(value, t));
    case "like":
      return likeMatches(value, text);
    case "not-like":
      return value !== null && !likeMatches(value, text);
    case "begins-with":
      return likeMatches(value, `${text}%`);
    case "not-begin-with":
      return value !== null && !likeMatches(value, `${text}%`);
    case "ends-with":
      return likeMatches(value, `%${text}`);
    case "not-end-with":
      return value !== null && !likeMatches(value, `%${text}`);
    case "on":
      return typeof value === "string" && day(value) === day(text);
    case "on-or-after":
      return typeof value === "string" && day(value) >= day(text);
    case "on-or-before":
      return typeof value === "string" && day(value) <= day(text);
    default:
      throw notSupportedByFake(`the FetchXML condition operator '${condition.operator}'`);
  }
}

function filterHolds(filter: FetchFilter, tuple: Tuple, aliases: Map<string, TableSpec>): boolean {
  const results = [
    ...filter.conditions.map((c) => {
      const alias = c.entityName ?? BASE;
      const table = aliases.get(alias);
      if (!table) return false;
      return conditionHolds(table, c, tuple.get(alias) ?? null);
    }),
    ...filter.filters.map((f) => filterHolds(f, tuple, aliases)),
  ];
  return filter.type === "and" ? results.every(Boolean) : results.some(Boolean);
}

const joinKey = (v: FieldValue): string => String(v).toLowerCase();

function applyLinks(store: RowStore, tuples: Tuple[], parentAlias: string, parentTable: TableSpec, links: FetchLink[]): Tuple[] {
  let current = tuples;
  for (const link of links) {
    const fromKey = storageKey(link.table, link.from);
    const toKey = storageKey(parentTable, link.to);
    const ownAliases = new Map<string, TableSpec>([[BASE, link.table]]);
    const index = new Map<string, Row[]>();
    for (const row of store.table(link.table).values()) {
      const v = row[fromKey];
      if (v === null || v === undefined) continue;
      if (link.filter && !filterHolds(link.filter, new Map([[BASE, row]]), ownAliases)) continue;
      const k = joinKey(v);
      index.set(k, [...(index.get(k) ?? []), row]);
    }
    const next: Tuple[] = [];
    for (const tuple of current) {
      const parentValue = tuple.get(parentAlias)?.[toKey];
      const matches = parentValue === null || parentValue === undefined ? [] : (index.get(joinKey(parentValue)) ?? []);
      if (link.linkType === "not any") {
        if (matches.length === 0) next.push(tuple);
      } else if (link.linkType === "any" || link.linkType === "exists" || link.linkType === "in") {
        if (matches.length > 0) next.push(tuple);
      } else if (matches.length === 0) {
        if (link.linkType === "outer") next.push(new Map(tuple).set(link.alias, null));
      } else {
        for (const match of matches) next.push(new Map(tuple).set(link.alias, match));
      }
    }
    current =
      link.links.length > 0 && (link.linkType === "inner" || link.linkType === "outer") ? applyLinks(store, next, link.alias, link.table, link.links) : next;
  }
  return current;
}

function collectAliases(links: FetchLink[], into: Map<string, TableSpec>): Map<string, TableSpec> {
  for (const link of links) {
    into.set(link.alias, link.table);
    collectAliases(link.links, into);
  }
  return into;
}

function projectTuple(query: FetchQuery, tuple: Tuple): Row {
  const base = tuple.get(BASE) ?? {};
  const out: Row = {};
  const baseAttributes = query.attributes === "all" ? Object.keys(query.table.columns).concat(query.table.lookups.map((l) => l.name)) : query.attributes;
  for (const attribute of new Set([query.table.primaryId, ...baseAttributes, "versionnumber"])) {
    const key = storageKey(query.table, attribute);
    out[key] = base[key] ?? null;
  }
  const addLinks = (links: FetchLink[]): void => {
    for (const link of links) {
      const row = tuple.get(link.alias);
      const names = link.attributes === "all" ? Object.keys(link.table.columns) : link.attributes;
      for (const name of names) out[`${link.alias}.${name}`] = row?.[storageKey(link.table, name)] ?? null;
      addLinks(link.links);
    }
  };
  addLinks(query.links);
  return out;
}

/** All result rows of the query in order (paging is the caller's job), in Web API column naming. */
export function runFetch(store: RowStore, query: FetchQuery): Row[] {
  const aliases = collectAliases(query.links, new Map([[BASE, query.table]]));
  let tuples: Tuple[] = [...store.table(query.table).values()].map((row) => new Map([[BASE, row]]));
  tuples = applyLinks(store, tuples, BASE, query.table, query.links);
  if (query.filter) {
    const filter = query.filter;
    tuples = tuples.filter((t) => filterHolds(filter, t, aliases));
  }
  if (query.orders.length > 0) {
    tuples.sort((a, b) => {
      for (const order of query.orders) {
        const key = storageKey(query.table, order.attribute);
        const c = sortCompare(a.get(order.alias)?.[key] ?? null, b.get(order.alias)?.[key] ?? null);
        if (c !== 0) return order.descending ? -c : c;
      }
      return 0;
    });
  }
  let rows = tuples.map((t) => projectTuple(query, t));
  if (query.distinct) {
    const seen = new Set<string>();
    rows = rows.filter((r) => {
      const k = JSON.stringify(r);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  return query.top !== undefined ? rows.slice(0, query.top) : rows;
}
