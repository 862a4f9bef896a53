import { body, Ex, triggerBody } from "../../toolkit/expr/build";
import type { Value } from "../../toolkit/builder/actions";
import { embed, type Embedded } from "../../toolkit/builder/fetchXml";
import {
  coalesce,
  concat,
  contains,
  createArray,
  equals,
  ifElse,
  json,
  or,
  removeProperty,
  setProperty,
  string,
  take,
  union,
} from "../../toolkit/expr/functions";
import { MAX_MAPPED_FIELDS, MAX_MAPPED_VALUE } from "../rules/fieldMapping";

/**
 * The mapped fields in the receivers (README.md, "Field mapping"): the answer of "CleverReach -
 * Field mapping" (sync/fieldMappingFlow.ts), called once per run as FIELD_MAPPING_STEP, gives per
 * table the FetchXML of the mapped columns and MAX_MAPPED_FIELDS slots `{column, attribute}`, the
 * unused ones with empty names. An expression cannot loop over the mapping, so a receiver's mapped
 * attributes are one expression with a slot each: `{attribute: value}` per slot, merged, and the
 * unused slots' empty name removed.
 *
 * Mapped attributes are global attributes, as salutation, names and company are: CleverReach keeps
 * them once per address for the whole account, every group's mailings can use them, and the
 * attributes a CleverReach account already has (the suggestion's source: README.md, "Field
 * mapping") are global ones. A group attribute of the same name as a global one is refused (the
 * fake answers 409, tests/fakes/cleverreach/store.ts). As for the company (SPEC §6.2), a person who
 * is a contact in one group and a lead in another gets each table's value from that table's
 * mapping; map the same attribute to columns that agree.
 */

/** Ensure group's input with the mapped attributes to create when missing: JSON text of `[{name, description}]`. */
export const MAPPED_ATTRIBUTES_INPUT = "mappedAttributes";
/** In Ensure group: the mapped attributes it was given. */
export const mappedAttributesGiven = (): Ex => json(coalesce(triggerBody().get(MAPPED_ATTRIBUTES_INPUT), "[]"));

/** The step of a flow that calls "CleverReach - Field mapping". */
export const FIELD_MAPPING_STEP = "Field_mapping";
/** The answer of that step. */
export const fieldMapping = (): Ex => body(FIELD_MAPPING_STEP);
/** The error in words ("" when the mapping is valid). */
export const fieldMappingError = (): Ex => fieldMapping().get("error");
/** The mapped columns of `table` as FetchXML attributes, for a query of that table's people. */
export const mappedColumns = (table: "contact" | "lead"): Embedded => embed(coalesce(fieldMapping().get("fetch").get(table), ""));
/** The slots of `table` (or of the table an expression names). */
export const mappedSlots = (table: string | Ex): Ex => fieldMapping().get("slots").get(table);

const slotsOf = (slots: Ex, value: (slot: Ex) => Ex): Ex => {
  const each = Array.from({ length: MAX_MAPPED_FIELDS }, (_, i) => setProperty(json("{}"), slots.get(i).get("attribute"), value(slots.get(i))));
  const [a, b, ...more] = each;
  return removeProperty(union(a!, b!, ...more), "");
};

/**
 * The annotation with a column's formatted value, `<column>@OData.Community.Display.V1.FormattedValue`:
 * the Dataverse connector's List rows asks for every annotation (its Prefer header's default,
 * odata.include-annotations=*), and Dataverse gives a choice's, status's, yes/no's and Choices'
 * label in it (select-columns.md, "Formatted values"; tests/fakes/dataverse/formattedValues.ts).
 */
export const FORMATTED_VALUE = "@OData.Community.Display.V1.FormattedValue";

/** A yes/no value, told by its JSON text, not by string(), whose spelling of a boolean the sources do not settle ("true" or .NET's "True"). */
export const isYesNo = (v: Ex): Ex => contains("|[true]|[false]|", concat("|", string(createArray(v)), "|"));

/**
 * The person's mapped attributes (mappedValue() in rules/fieldMapping.ts): a column the field
 * mapping flow found to have options (slot.label) and every yes/no value go as Dataverse's
 * formatted value, their label ("" when there is none); any other value as text. Cut to
 * MAX_MAPPED_VALUE characters.
 */
export const mappedAttributes = (person: Ex, slots: Ex): Ex =>
  slotsOf(slots, (slot) => {
    const value = person.get(slot.get("column"));
    const asLabel = or(equals(slot.get("label"), true), isYesNo(value));
    return take(ifElse(asLabel, coalesce(person.get(concat(slot.get("column"), FORMATTED_VALUE)), ""), string(coalesce(value, ""))), MAX_MAPPED_VALUE);
  });

/** The same attributes as a receiver read from CleverReach holds them ("" where it has none). */
export const mappedAttributesInCleverReach = (receiver: Ex, slots: Ex): Ex =>
  slotsOf(slots, (slot) => coalesce(receiver.get("global_attributes").get(slot.get("attribute")), ""));

/** `receiver` (as receiverFromPerson() or receiverFromCleverReach() give it) with `mapped` after its own global attributes. */
export function withMappedAttributes(receiver: Value, mapped: Ex): Value {
  const isObject = (v: Value): v is { [key: string]: Value } => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Ex);
  const own = isObject(receiver) ? receiver.global_attributes : undefined;
  if (!isObject(receiver) || own === undefined || !isObject(own)) throw new Error("withMappedAttributes: a receiver object with global attributes is expected");
  const ownObject = Object.entries(own).reduce<Ex>((o, [k, v]) => {
    if (isObject(v) || Array.isArray(v)) throw new Error(`withMappedAttributes: attribute ${k} is not a single value`);
    return setProperty(o, k, v);
  }, json("{}"));
  return { ...receiver, global_attributes: union(ownObject, mapped) };
}
