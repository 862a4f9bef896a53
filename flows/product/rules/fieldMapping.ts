import { ENV } from "../../../solution/src/model/handles";
import { RECEIVER_ATTRIBUTES, RECEIVER_GROUP_ATTRIBUTES } from "../sync/groupOwners";
import { OWNER_MARK } from "../sync/groupOwnership";
import { SYNC_MARK } from "../sync/receivers";

/**
 * Field mapping (issue 18 item 1; README.md, "Field mapping"): the environment variable
 * ENV.fieldMapping maps CRM columns to CleverReach attributes per person table,
 * `{"contact": {"jobtitle": "position"}, "lead": {"jobtitle": "position"}}`, on top of the fixed
 * receiver fields. This is the rule (and the test oracle of the flows' reading of it,
 * patterns/fieldMapping.ts): what a value means, and the one error a value that is not valid gets.
 */

/** The tables a mapping can name, in the order the mapping is read and checked. */
export const FIELD_MAPPING_TABLES = ["contact", "lead"] as const;
export type FieldMappingTable = (typeof FIELD_MAPPING_TABLES)[number];

export interface MappedField {
  column: string;
  attribute: string;
}
export type FieldMapping = Record<FieldMappingTable, MappedField[]>;

/**
 * Columns per table: the flows build each receiver's mapped attributes in one expression with one
 * slot per field (an expression cannot loop), so the number is fixed at build time.
 */
export const MAX_MAPPED_FIELDS = 10;
/**
 * An attribute name's most characters. No CleverReach source states a limit; every name in its
 * integration core (AttributesSyncTask: customernumber, lastorderdate…) is far below it.
 */
export const MAX_ATTRIBUTE_NAME = 50;
/**
 * The most characters a mapped value keeps in CleverReach; a longer one is cut. No CleverReach
 * source states the length of a text attribute; 255 is the shortest plausible column (the stricter
 * choice: a value never fails the batch it is in).
 */
export const MAX_MAPPED_VALUE = 255;

/**
 * CleverReach's attribute names: lower-case letters, digits and underscores (every name in its API
 * fixtures and its integration core, AttributesSyncTask::$defaultAttributesMap; the fake refuses
 * any other, tests/fakes/cleverreach/store.ts). Starting with a letter is this product's stricter rule.
 */
export const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]*$/;
/** Dataverse logical names: lower-case letters, digits and underscores (a publisher prefix such as new_ included). */
export const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;
/** The characters both kinds of name are made of (the flows check names with XPath translate()). */
export const NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789_";

/** Attribute names the connector writes itself: the fixed receiver fields and its own group attributes. */
export const RESERVED_ATTRIBUTES: readonly string[] = [
  "email",
  ...RECEIVER_ATTRIBUTES.map((a) => a.name),
  ...RECEIVER_GROUP_ATTRIBUTES.map((a) => a.name),
  SYNC_MARK.name,
  OWNER_MARK.name,
];

const variable = ENV.fieldMapping.schemaName;
const EXPECTED =
  'a JSON object such as {"contact": {"jobtitle": "position"}, "lead": {"jobtitle": "position"}} ' + "(CRM column: CleverReach attribute), or nothing";
const NOTHING = "Nothing was synced.";
/** The error texts, each naming the variable, what is wrong and what is expected; the flows write the same. */
export const FIELD_MAPPING_ERRORS = {
  unreadable: `${variable} cannot be read: its value is not JSON. Expected ${EXPECTED}. Nothing was synced.`,
  shape: `${variable} must be ${EXPECTED}, with no other keys than contact and lead, and each an object. Nothing was synced.`,
  notText: (table: string) =>
    `${variable}: in ${table}, every key must be a column's logical name and every value a CleverReach attribute name in quotes (text). Nothing was synced.`,
  column: (table: string, column: string) =>
    `${variable}: ${table} column "${column}" is not a column's logical name (lower-case letters, digits, underscores). Nothing was synced.`,
  attribute: (table: string, attribute: string) =>
    `${variable}: ${table} attribute "${attribute}" is not a CleverReach attribute name ` +
    `(a lower-case letter, then lower-case letters, digits or underscores, at most ${MAX_ATTRIBUTE_NAME}). ${NOTHING}`,
  reserved: (table: string, attribute: string) =>
    `${variable}: ${table} attribute "${attribute}" is written by the connector itself ` +
    `(${RESERVED_ATTRIBUTES.join(", ")}); choose another name. ${NOTHING}`,
  duplicate: (table: string, attribute: string) => `${variable}: ${table} maps two columns to attribute "${attribute}"; map each attribute once. ${NOTHING}`,
  tooMany: (table: string) => `${variable}: ${table} maps more than ${MAX_MAPPED_FIELDS} columns; map at most ${MAX_MAPPED_FIELDS}. Nothing was synced.`,
  /** Dataverse refused to read the column (unknown column): its own message follows. */
  unknownColumn: (table: string, column: string) =>
    `${variable}: ${table} column "${column}" cannot be read: the ${table} table has no such column. Correct the mapping. Nothing was synced. Dataverse said: `,
  /** The column is a lookup: Dataverse returns its id under another name (_column_value), never a value to send. */
  unsupported: (table: string, column: string) =>
    `${variable}: ${table} column "${column}" is a lookup, which the connector cannot send; ` +
    `map text, number, date and time, yes/no, choice or choices columns. ${NOTHING}`,
  /**
   * The column is a file or an image: Dataverse returns a file's id or an image's thumbnail bytes,
   * never a value to send (image-column-data.md); the flow finds its companion column (_name, _url).
   */
  fileOrImage: (table: string, column: string) =>
    `${variable}: ${table} column "${column}" is a file or an image, which the connector cannot send; ` +
    `map text, number, date and time, yes/no, choice or choices columns. ${NOTHING}`,
  /** Dataverse refused the check for another reason (rights, service): its own message follows. */
  uncheckedColumn: (table: string, column: string) => `${variable}: ${table} column "${column}" could not be checked. ${NOTHING} Dataverse said: `,
} as const;

export type FieldMappingResult = { mapping: FieldMapping; error?: undefined } | { mapping?: undefined; error: string };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
/**
 * A key that the flows' reading turns into something else: Json.NET's XML conversion gives "@", "#",
 * "$", "?" names a meaning of their own and refuses them in the simulator (flows/toolkit/sim/functions/xml.ts).
 */
const convertedKey = (k: string): boolean => /^[#?$!@]/.test(k) || k.includes(":");
/** A name that stays itself as an XML element name (XmlConvert.EncodeName leaves it unchanged). */
const xmlSafe = (k: string): boolean => /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k) && !/_x[0-9A-Fa-f]{4}_/.test(k);

/**
 * The mapping a value of ENV.fieldMapping stands for, or the one error it gets (checked in this
 * order, as the flows check it): not JSON; not an object of contact/lead objects; a value that is not
 * text (or a key that does not stay itself); a column, then an attribute name that is not valid, an
 * attribute the connector writes itself; an attribute mapped twice in a table; too many columns.
 * An empty value is no mapping (the behaviour before field mapping).
 */
export function fieldMappingFrom(value: string | null | undefined): FieldMappingResult {
  const text = (value ?? "").trim();
  const none: FieldMapping = { contact: [], lead: [] };
  if (text === "") return { mapping: none };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { error: FIELD_MAPPING_ERRORS.unreadable };
  }
  if (!isPlainObject(parsed) || Object.keys(parsed).some((k) => !(FIELD_MAPPING_TABLES as readonly string[]).includes(k))) {
    return { error: FIELD_MAPPING_ERRORS.shape };
  }
  const tables: Array<[FieldMappingTable, Record<string, unknown>]> = [];
  for (const t of FIELD_MAPPING_TABLES) {
    const v = parsed[t];
    if (v === undefined || v === null) continue;
    if (!isPlainObject(v)) return { error: FIELD_MAPPING_ERRORS.shape };
    tables.push([t, v]);
  }
  if (tables.some(([, v]) => Object.keys(v).some(convertedKey))) return { error: FIELD_MAPPING_ERRORS.unreadable };
  for (const [t, v] of tables) {
    // The flows find each pair as `"column":"attribute"` in the JSON text: a value that JSON writes with escapes is not found.
    const plain = (a: string) => JSON.stringify(a) === `"${a}"`;
    if (Object.entries(v).some(([k, a]) => typeof a !== "string" || !xmlSafe(k) || !plain(a))) return { error: FIELD_MAPPING_ERRORS.notText(t) };
  }
  const mapping: FieldMapping = { contact: [], lead: [] };
  for (const [t, v] of tables) mapping[t] = Object.entries(v).map(([column, attribute]) => ({ column, attribute: attribute as string }));
  for (const t of FIELD_MAPPING_TABLES) {
    for (const f of mapping[t]) {
      if (!COLUMN_NAME.test(f.column)) return { error: FIELD_MAPPING_ERRORS.column(t, f.column) };
      if (!ATTRIBUTE_NAME.test(f.attribute) || f.attribute.length > MAX_ATTRIBUTE_NAME) return { error: FIELD_MAPPING_ERRORS.attribute(t, f.attribute) };
      if (RESERVED_ATTRIBUTES.includes(f.attribute)) return { error: FIELD_MAPPING_ERRORS.reserved(t, f.attribute) };
    }
  }
  for (const t of FIELD_MAPPING_TABLES) {
    const seen = new Set<string>();
    for (const f of mapping[t]) {
      if (seen.has(f.attribute)) return { error: FIELD_MAPPING_ERRORS.duplicate(t, f.attribute) };
      seen.add(f.attribute);
    }
  }
  for (const t of FIELD_MAPPING_TABLES) if (mapping[t].length > MAX_MAPPED_FIELDS) return { error: FIELD_MAPPING_ERRORS.tooMany(t) };
  return { mapping };
}

/**
 * A value as CleverReach receives it (README.md, "Field mapping"): a choice, status, status reason
 * or Choices (multi-select) column (`hasOptions`: the field mapping flow finds the column's options)
 * and every yes/no value go as Dataverse's formatted value, their label ("E-Mail", "Do Not Allow",
 * "Newsletter; Events"; "" when empty); text as it is; a number with a point as decimal separator
 * (JSON's digits, no locale: CleverReach compares and sorts text); a date and time as Dataverse
 * returns it (ISO 8601, UTC); empty as "". Cut to MAX_MAPPED_VALUE characters.
 */
export function mappedValue(v: unknown, formatted?: string | null, hasOptions = false): string {
  if (hasOptions || typeof v === "boolean") return (formatted ?? "").slice(0, MAX_MAPPED_VALUE);
  if (v === null || v === undefined) return "";
  const text = typeof v === "string" ? v : typeof v === "number" ? String(v) : JSON.stringify(v);
  return text.slice(0, MAX_MAPPED_VALUE);
}

/**
 * The default mapping `npm run setup` suggests (README.md, "Field mapping"): each column whose
 * logical name is the name of an existing CleverReach attribute that the connector does not
 * write itself, per table, at most MAX_MAPPED_FIELDS.
 */
export function suggestedMapping(columns: Record<FieldMappingTable, readonly string[]>, attributes: readonly string[]): FieldMapping {
  const usable = new Set(attributes.filter((a) => ATTRIBUTE_NAME.test(a) && a.length <= MAX_ATTRIBUTE_NAME && !RESERVED_ATTRIBUTES.includes(a)));
  const out: FieldMapping = { contact: [], lead: [] };
  for (const t of FIELD_MAPPING_TABLES) {
    out[t] = [...columns[t]]
      .filter((c) => COLUMN_NAME.test(c) && usable.has(c))
      .sort()
      .slice(0, MAX_MAPPED_FIELDS)
      .map((c) => ({ column: c, attribute: c }));
  }
  return out;
}

/** The mapping as the variable's JSON value. */
export function fieldMappingText(m: FieldMapping): string {
  const o: Record<string, Record<string, string>> = {};
  for (const t of FIELD_MAPPING_TABLES) if (m[t].length > 0) o[t] = Object.fromEntries(m[t].map((f) => [f.column, f.attribute]));
  return JSON.stringify(o);
}
