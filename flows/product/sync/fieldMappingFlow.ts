import { stableId } from "../../../solution/src/ids";
import { label } from "../../../solution/src/labels";
import { ENV } from "../../../solution/src/model/handles";
import { actions, body, item, outputs, triggerBody, variables, type Ex } from "../../toolkit/expr/build";
import { appendToArrayVariable, compose, filterArray, initializeVariable, response, select, setVariable, type Value } from "../../toolkit/builder/actions";
import { listRows } from "../../toolkit/builder/dataverse";
import { attribute, condition, entity, fetch, fetchXmlExpression, filter } from "../../toolkit/builder/fetchXml";
import * as odata from "../../toolkit/builder/odataFilter";
import { childFlowTrigger, designerInputs } from "../../toolkit/builder/triggers";
import {
  add,
  and,
  coalesce,
  concat,
  contains,
  createArray,
  empty,
  equals,
  first,
  greater,
  ifElse,
  int,
  join,
  json,
  length,
  not,
  or,
  removeProperty,
  replace,
  split,
  startsWith,
  string,
  substring,
  take,
  trim,
  union,
} from "../../toolkit/expr/functions";
import { call } from "../../toolkit/expr/build";
import { ProductFlow } from "../patterns/productFlow";
import { FORMATTED_VALUE, isYesNo } from "./mappedFields";
import {
  FIELD_MAPPING_ERRORS,
  FIELD_MAPPING_TABLES,
  MAX_ATTRIBUTE_NAME,
  MAX_MAPPED_FIELDS,
  MAX_MAPPED_VALUE,
  NAME_CHARACTERS,
  RESERVED_ATTRIBUTES,
  type FieldMappingTable,
} from "../rules/fieldMapping";

/** The variable the reading keeps its result in: what a value that cannot be read at all leaves. */
const MAPPING = "fieldMapping";
/** The variable with the mapped columns that go as their label, each as labelKey() gives it. */
const LABEL_COLUMNS = "labelColumns";
/** The variable with the mapped columns found to be a file or an image, each as labelKey() gives it. */
const FILES_OR_IMAGES = "filesOrImages";
const labelKey = (table: Ex | string, column: Ex): Ex => concat(table, ":", column);
/** The group attributes' label in CleverReach for a mapped attribute. */
export const MAPPED_ATTRIBUTE_DESCRIPTION = "From the CRM (field mapping)";
/** Dataverse's code for a FetchXML attribute the table does not have (0x80041103, QueryBuilderNoAttribute). */
export const NO_SUCH_ATTRIBUTE = "0x80041103";

const xpathOf = (xml: Ex, path: Ex | string): Ex => call("xpath", xml, path);
/** A value that is a JSON object: string(createArray(x)) starts with "[{" only for one. */
const isObject = (v: Ex): Ex => startsWith(string(createArray(v)), "[{");
const LETTERS = NAME_CHARACTERS.replace(/[0-9_]/g, "");

/**
 * "CleverReach - Field mapping" (README.md, "Field mapping"): reads the setting ENV.fieldMapping as
 * fieldMappingFrom() in flows/product/rules/fieldMapping.ts does (the oracle of the test that runs
 * this flow), then asks Dataverse for each mapped column of the tables asked for (input `tables`,
 * "contact", "lead" or both, comma-separated) one row where it has a value: a column the table
 * does not have is refused (0x80041103), a lookup comes back under another name. Either is an error
 * naming the variable. Answers `{fields, slots, fetch, attributes, error}`: `error` is "" or the
 * text for the record, and the rest is empty unless it is "".
 *
 * An expression cannot list an object's keys, so the mapping is read as XML (xml() of the JSON:
 * one element per column, its text the attribute) and XPath counts, names and checks the columns;
 * that the JSON said exactly what the XML shows (every value text, every name itself) is checked by
 * finding each `"column":"attribute"` in the JSON text.
 *
 * Cost per run: one Dataverse query per mapped column of the tables asked for (none without a mapping).
 */
const FIELD_MAPPING_KEY = "field-mapping";
/** The child flow's workflow id, for the flows that call it. */
export const FIELD_MAPPING_ID = stableId(`flow:${FIELD_MAPPING_KEY}`);

export function fieldMappingFlow(): ProductFlow {
  const f = new ProductFlow({
    key: FIELD_MAPPING_KEY,
    displayName: label("CleverReach - Field mapping", "CleverReach - Feldzuordnung"),
    purpose: "Reads and checks the field mapping setting for Sync group and the person flows.",
  });
  f.useDataverse();
  const setting = f.environmentVariable(ENV.fieldMapping);
  f.trigger(
    "manual",
    childFlowTrigger(
      designerInputs({
        tables: { title: "Tables", type: "string", description: "contact, lead, or contact,lead: the tables whose mapped columns are checked" },
      }),
    ),
  );
  const a = f.actions;
  const unread: Value = { contact: [], lead: [], error: FIELD_MAPPING_ERRORS.unreadable };
  a.add("Init_mapping", initializeVariable(MAPPING, "object", unread));
  a.add("Init_probe_error", initializeVariable("probeError", "string", ""));
  a.add("Init_label_columns", initializeVariable(LABEL_COLUMNS, "array", []));
  a.add("Init_files_or_images", initializeVariable(FILES_OR_IMAGES, "array", []));
  a.scope("Read_mapping", (r) => {
    const text = trim(coalesce(setting, ""));
    r.add("Mapping_json", compose(json(ifElse(equals(text, ""), "{}", text))));
    const parsed = outputs("Mapping_json");
    const asObject = ifElse(isObject(parsed), parsed, json("{}"));
    const tableOk = (t: FieldMappingTable) => or(equals(asObject.get(t), null), isObject(asObject.get(t)));
    const others = string(FIELD_MAPPING_TABLES.reduce<Ex>((o, t) => removeProperty(o, t), asObject));
    r.add("Mapping_shape_ok", compose(and(isObject(parsed), equals(others, "{}"), ...FIELD_MAPPING_TABLES.map(tableOk))));
    const shapeOk = equals(outputs("Mapping_shape_ok"), true);
    // The tables' objects (none when the shape is wrong), under one root for xml().
    const tableObject = (t: FieldMappingTable) => ifElse(and(shapeOk, isObject(asObject.get(t))), asObject.get(t), json("{}"));
    const tablesJson = FIELD_MAPPING_TABLES.flatMap((t, i) => [i > 0 ? "," : "", `"${t}":`, string(tableObject(t))]);
    r.add("Mapping_tables", compose(json(concat('{"m":{', ...tablesJson, "}}"))));
    r.add("Mapping_xml", compose(call("xml", outputs("Mapping_tables"))));
    const x = outputs("Mapping_xml");
    const node = concat("(/m/*/*)[", string(add(item(), 1)), "]");
    const nameOf = xpathOf(x, concat("name(", node, ")"));
    const textOf = xpathOf(x, concat("string(", node, ")"));
    const onlyNameCharacters = (of: Ex) => concat("translate(", of, ", '", NAME_CHARACTERS, "', '') = ''");
    r.add(
      "Mapping_pairs",
      select(call("range", 0, int(xpathOf(x, "string(count(/m/*/*))"))), {
        table: xpathOf(x, concat("name(", node, "/..)")),
        column: nameOf,
        attribute: textOf,
        inText: contains(
          string(
            outputs("Mapping_tables")
              .get("m")
              .get(xpathOf(x, concat("name(", node, "/..)"))),
          ),
          concat('"', nameOf, '":"', textOf, '"'),
        ),
        columnOk: xpathOf(x, onlyNameCharacters(concat("name(", node, ")"))),
        attributeOk: xpathOf(
          x,
          concat(
            onlyNameCharacters(concat("string(", node, ")")),
            ` and string-length(string(`,
            node,
            `)) <= ${MAX_ATTRIBUTE_NAME} and string-length(string(`,
            node,
            `)) > 0 and contains('${LETTERS}', substring(string(`,
            node,
            "), 1, 1))",
          ),
        ),
        reserved: contains(call("createArray", ...RESERVED_ATTRIBUTES), textOf),
        // The same attribute earlier in the same table (the name is put in quotes without any quote of its own).
        repeated: xpathOf(x, concat("count(", node, "/preceding-sibling::*[string(.) = '", replace(textOf, "'", ""), "']) > 0")),
      }),
    );
    const pairs = body("Mapping_pairs");
    r.add("Not_text", filterArray(pairs, not(equals(item().get("inText"), true))));
    const namesOk = and(equals(item().get("columnOk"), true), equals(item().get("attributeOk"), true), not(item().get("reserved")));
    r.add("Bad_names", filterArray(pairs, not(namesOk)));
    r.add("Repeated", filterArray(pairs, equals(item().get("repeated"), true)));
    const ofTable = (t: FieldMappingTable) => filterArray(pairs, equals(item().get("table"), t));
    r.add("Contact_fields", ofTable("contact"));
    r.add("Lead_fields", ofTable("lead"));
    const fieldsOf: Record<FieldMappingTable, Ex> = { contact: body("Contact_fields"), lead: body("Lead_fields") };
    const badName = first(body("Bad_names"));
    const repeated = first(body("Repeated"));
    const notText = first(body("Not_text"));
    // The first problem in the order fieldMappingFrom() checks them.
    const error = coalesce(
      ifElse(shapeOk, null, FIELD_MAPPING_ERRORS.shape),
      // Json.NET's XML conversion makes "@name" an attribute and "#text" text: a key the pairs would not show.
      ifElse(equals(xpathOf(x, "string(count(/m/*/@*) + count(/m/*/text()))"), "0"), null, FIELD_MAPPING_ERRORS.unreadable),
      ifElse(empty(body("Not_text")), null, textWith(FIELD_MAPPING_ERRORS.notText("\u0000"), notText.get("table"), "")),
      ifElse(
        empty(body("Bad_names")),
        null,
        ifElse(
          not(equals(badName.get("columnOk"), true)),
          textWith(FIELD_MAPPING_ERRORS.column("\u0000", "\u0001"), badName.get("table"), badName.get("column")),
          ifElse(
            not(equals(badName.get("attributeOk"), true)),
            textWith(FIELD_MAPPING_ERRORS.attribute("\u0000", "\u0001"), badName.get("table"), badName.get("attribute")),
            textWith(FIELD_MAPPING_ERRORS.reserved("\u0000", "\u0001"), badName.get("table"), badName.get("attribute")),
          ),
        ),
      ),
      ifElse(empty(body("Repeated")), null, textWith(FIELD_MAPPING_ERRORS.duplicate("\u0000", "\u0001"), repeated.get("table"), repeated.get("attribute"))),
      ...FIELD_MAPPING_TABLES.map((t) => ifElse(greater(length(fieldsOf[t]), MAX_MAPPED_FIELDS), FIELD_MAPPING_ERRORS.tooMany(t), null)),
      "",
    );
    r.add("Mapping_error", compose(error));
    const ok = equals(outputs("Mapping_error"), "");
    r.add(
      "Keep_mapping",
      setVariable(MAPPING, { contact: ifElse(ok, fieldsOf.contact, json("[]")), lead: ifElse(ok, fieldsOf.lead, json("[]")), error: outputs("Mapping_error") }),
    );
  });
  const mapping = variables(MAPPING);
  a.condition(
    "Mapping_valid",
    equals(mapping.get("error"), ""),
    (v) => {
      const asked = split(replace(coalesce(triggerBody().get("tables"), ""), " ", ""), ",");
      v.add("Asked_fields", filterArray(union(mapping.get("contact"), mapping.get("lead")), contains(asked, item().get("table"))));
      // One field at a time: a file or an image column is noted in a variable (the companion probe runs only for some).
      v.forEachOneAtATime("Probe_fields", body("Asked_fields"), (p) => {
        const field = call("items", "Probe_fields");
        const column = field.get("column");
        // Names are checked above (lower-case letters, digits, underscores): nothing to escape.
        const probe = (t: FieldMappingTable) => fetchXmlExpression(fetch({ top: 1 }, entity(t, attribute(column), filter(condition(column, "not-null")))));
        const isLead = equals(field.get("table"), "lead");
        p.add(
          "Probe_field",
          listRows({ entitySet: ifElse(isLead, "leads", "contacts").value, fetchXml: ifElse(isLead, probe("lead"), probe("contact")).value }),
        );
        // Whether the column has options (a choice, status or status reason column): Dataverse keeps
        // their labels in the String Map table (tests/fakes/dataverse/metadata.ts, stringmap, with sources).
        p.add(
          "Probe_options",
          listRows({
            entitySet: "stringmaps",
            select: ["stringmapid"],
            filter: odata.filter(odata.and(odata.eq("objecttypecode", odata.str(field.get("table"))), odata.eq("attributename", odata.str(column)))),
            top: 1,
          }),
          { Probe_field: ["Succeeded", "Failed"] },
        );
        const answer = outputs("Probe_field");
        // The probed row once (an empty object when there is none) and its value as text.
        p.add(
          "Probe_value",
          compose({
            row: coalesce(first(coalesce(answer.get("body").get("value"), json("[]"))), json("{}")),
            text: string(coalesce(first(coalesce(answer.get("body").get("value"), json("[]"))), json("{}")).get(column)),
          }),
          { Probe_options: ["Succeeded", "Failed"] },
        );
        const row = outputs("Probe_value").get("row");
        const value = row.get(column);
        // A file column reads as its file's id (a GUID), an image column as its thumbnail's bytes
        // (far longer than a value CleverReach keeps): text without a formatted value. Only such a
        // value is checked further, by reading the companion column Dataverse gives each file
        // (<column>_name) and image (<column>_url) column (file-column-data.md, image-column-data.md).
        const text = outputs("Probe_value").get("text");
        const plainText = and(startsWith(string(createArray(value)), '["'), equals(row.get(concat(column, FORMATTED_VALUE)), null));
        // Padded, so that substring() never reads past the end of a shorter value (it fails there).
        const dashAt = (at: number) => equals(substring(concat(text, " ".repeat(36)), at, 1), "-");
        const guidShaped = and(equals(length(text), 36), dashAt(8), dashAt(13), dashAt(18), dashAt(23));
        const companionProbe = (suffix: string) =>
          fetchXmlExpression(fetch({ top: 1 }, entity("\u0000", attribute(concat(column, suffix)), filter(condition(column, "not-null")))));
        p.condition(
          "Companion_needed",
          and(equals(actions("Probe_field").get("status"), "Succeeded"), plainText, or(guidShaped, greater(length(text), MAX_MAPPED_VALUE))),
          (c) => {
            c.add("Companion_fetch", compose(replace(ifElse(guidShaped, companionProbe("_name"), companionProbe("_url")), "\u0000", field.get("table"))));
            c.add(
              "Probe_companion",
              listRows({ entitySet: ifElse(equals(field.get("table"), "lead"), "leads", "contacts").value, fetchXml: outputs("Companion_fetch").value }),
            );
            // Only a file or an image column has the companion; any other column is refused (0x80041103).
            c.add("Note_file_or_image", appendToArrayVariable(FILES_OR_IMAGES, labelKey(field.get("table"), column)), { Probe_companion: ["Succeeded"] });
          },
          { after: { Probe_value: ["Succeeded"] } },
        );
        const hasOptions = not(empty(coalesce(body("Probe_options").get("value"), json("[]"))));
        // A Choices (multi-select) column: the one kind of text value ("2,3,8,9") with a formatted
        // value that is a label; a date's text always has a "-" (multi-select-picklist.md, select-columns.md).
        const choices = and(
          startsWith(string(createArray(value)), '["'),
          not(equals(row.get(concat(column, FORMATTED_VALUE)), null)),
          not(contains(string(value), "-")),
        );
        p.add(
          "Probe_answer",
          compose({
            table: field.get("table"),
            column,
            refused: or(not(equals(actions("Probe_field").get("status"), "Succeeded")), not(equals(actions("Probe_options").get("status"), "Succeeded"))),
            unknown: equals(answer.get("body").get("error").get("code"), NO_SUCH_ATTRIBUTE),
            message: coalesce(answer.get("body").get("error").get("message"), body("Probe_options").get("error").get("message"), string(answer.get("body"))),
            lookup: not(equals(row.get(concat("_", column, "_value")), null)),
            label: or(hasOptions, isYesNo(value), choices),
            key: labelKey(field.get("table"), column),
          }),
          { Probe_options: ["Succeeded", "Failed"], Companion_needed: ["Succeeded", "Failed", "Skipped"] },
        );
      });
      v.add(
        "Probe_problems",
        filterArray(
          call("result", "Probe_fields"),
          and(
            equals(item().get("name"), "Probe_answer"),
            or(
              equals(item().get("outputs").get("refused"), true),
              equals(item().get("outputs").get("lookup"), true),
              contains(variables(FILES_OR_IMAGES), item().get("outputs").get("key")),
            ),
          ),
        ),
        { Probe_fields: ["Succeeded", "Failed"] },
      );
      v.add(
        "Probe_labels",
        filterArray(call("result", "Probe_fields"), and(equals(item().get("name"), "Probe_answer"), equals(item().get("outputs").get("label"), true))),
        { Probe_problems: ["Succeeded"] },
      );
      v.add("Label_keys", select(body("Probe_labels"), item().get("outputs").get("key")));
      v.add("Keep_label_columns", setVariable(LABEL_COLUMNS, body("Label_keys")));
      v.condition("Any_probe_problem", not(empty(body("Probe_problems"))), (bad) => {
        const p = first(body("Probe_problems")).get("outputs");
        const problem = ifElse(
          equals(p.get("lookup"), true),
          textWith(FIELD_MAPPING_ERRORS.unsupported("\u0000", "\u0001"), p.get("table"), p.get("column")),
          ifElse(
            contains(variables(FILES_OR_IMAGES), p.get("key")),
            textWith(FIELD_MAPPING_ERRORS.fileOrImage("\u0000", "\u0001"), p.get("table"), p.get("column")),
            ifElse(
              equals(p.get("unknown"), true),
              textWith(FIELD_MAPPING_ERRORS.unknownColumn("\u0000", "\u0001"), p.get("table"), p.get("column")),
              textWith(FIELD_MAPPING_ERRORS.uncheckedColumn("\u0000", "\u0001"), p.get("table"), p.get("column")),
            ),
          ),
        );
        const ownWords = or(equals(p.get("lookup"), true), contains(variables(FILES_OR_IMAGES), p.get("key")));
        bad.add("Keep_probe_error", setVariable("probeError", concat(problem, ifElse(ownWords, "", p.get("message")))));
      });
    },
    { after: { Read_mapping: ["Succeeded", "Failed"] } },
  );
  const error = ifElse(equals(variables("probeError"), ""), mapping.get("error"), variables("probeError"));
  a.add("Error", compose(error), { Mapping_valid: ["Succeeded", "Failed", "Skipped"] });
  const ok = equals(outputs("Error"), "");
  const fieldsOf = (t: FieldMappingTable) => ifElse(ok, mapping.get(t), json("[]"));
  const padding = json(JSON.stringify(Array.from({ length: MAX_MAPPED_FIELDS }, (_, i) => ({ column: "", attribute: "", label: false, pad: i }))));
  // Each field with whether it goes as its label (README.md, "Field mapping": choices, status, yes/no, Choices).
  const labelled = (t: FieldMappingTable) =>
    select(fieldsOf(t), {
      column: item().get("column"),
      attribute: item().get("attribute"),
      label: contains(variables(LABEL_COLUMNS), labelKey(t, item().get("column"))),
    });
  a.add("Contact_slots", labelled("contact"));
  a.add("Lead_slots", labelled("lead"));
  a.add("Contact_attribute_xml", select(fieldsOf("contact"), fetchXmlExpression(attribute(item().get("column")))));
  a.add("Lead_attribute_xml", select(fieldsOf("lead"), fetchXmlExpression(attribute(item().get("column")))));
  a.add(
    "Mapped_attributes",
    select(union(fieldsOf("contact"), fieldsOf("lead")), { name: item().get("attribute"), description: MAPPED_ATTRIBUTE_DESCRIPTION }),
  );
  a.add(
    "Reply",
    response(200, {
      error: outputs("Error"),
      fields: { contact: fieldsOf("contact"), lead: fieldsOf("lead") },
      // One slot per field the flows' expressions can hold, the unused ones with an empty name
      // (mappedAttributes() in sync/receivers.ts removes it).
      slots: { contact: take(union(body("Contact_slots"), padding), MAX_MAPPED_FIELDS), lead: take(union(body("Lead_slots"), padding), MAX_MAPPED_FIELDS) },
      fetch: { contact: join(body("Contact_attribute_xml"), ""), lead: join(body("Lead_attribute_xml"), "") },
      attributes: union(body("Mapped_attributes"), body("Mapped_attributes")),
    }),
  );
  return f;
}

/** A message of FIELD_MAPPING_ERRORS with its two places (\u0000 table, \u0001 name) filled at run time. */
function textWith(template: string, table: Ex, name: Ex | string): Ex {
  const parts: Array<string | Ex> = [];
  for (const [i, piece] of template.split("\u0000").entries()) {
    if (i > 0) parts.push(table);
    piece.split("\u0001").forEach((p, j) => {
      if (j > 0) parts.push(name);
      if (p !== "") parts.push(p);
    });
  }
  return concat(parts[0] ?? "", ...parts.slice(1));
}
