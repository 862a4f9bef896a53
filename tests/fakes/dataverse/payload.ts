import { badRequest, invalidProperty, recordNotFound, typeMismatch, undeclaredNavigation } from "./errors";
import { stringTooLong } from "./columnLengths";
import { LOOKUP_LOGICAL_NAME, lookupByNavigation, lookupValueKey, tableByEntitySet, type ColumnSpec, type TableSpec } from "./metadata";
import type { RowStore } from "./store";
import { GUID, type FieldValue, type Row } from "./values";

/**
 * Turns a create/update body into column changes the way the Web API reads it: known columns only,
 * lookups through `<navigation>@odata.bind`, instance annotations ignored. Returns the logical
 * names of the attributes the request set (what plug-in and trigger filtering attributes see).
 */
export function applyPayload(store: RowStore, table: TableSpec, body: unknown, target: Row): string[] {
  if (body === undefined || body === null) return [];
  if (typeof body !== "object" || Array.isArray(body)) throw badRequest("The request body must be a JSON object.");
  const touched: string[] = [];
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    if (key.startsWith("@")) continue;
    const at = key.indexOf("@");
    if (at > 0) {
      const property = key.slice(0, at);
      const annotation = key.slice(at + 1);
      if (annotation !== "odata.bind") continue;
      touched.push(bindLookup(store, table, property, raw, target));
      continue;
    }
    const spec = table.columns[key];
    if (!spec) throw invalidProperty(key, table.logicalName);
    if (spec.readOnly) continue;
    target[key] = checkedValue(table, key, spec, raw);
    touched.push(key);
  }
  return touched;
}

function bindLookup(store: RowStore, table: TableSpec, navigation: string, raw: unknown, target: Row): string {
  const found = lookupByNavigation(table, navigation);
  // Case matters: `clvr_contact@odata.bind` for the nav property `clvr_Contact` fails this way in Dataverse.
  if (!found) throw undeclaredNavigation(navigation);
  const key = lookupValueKey(found.lookup.name);
  if (raw === null) {
    target[key] = null;
    delete target[`${key}${LOOKUP_LOGICAL_NAME}`];
    return found.lookup.name;
  }
  if (typeof raw !== "string") throw badRequest(`The value of '${navigation}@odata.bind' must be an entity reference URL.`);
  const ref = parseEntityReference(raw);
  const refTable = ref && tableByEntitySet(ref.entitySet);
  if (!ref || !refTable) throw badRequest(`Invalid entity reference '${raw}' in '${navigation}@odata.bind'.`);
  if (refTable.logicalName !== found.target.entity) {
    throw badRequest(`'${navigation}' expects a reference to '${found.target.entity}', not '${refTable.logicalName}'.`);
  }
  if (!store.get(refTable, ref.id)) throw recordNotFound(refTable.logicalName, ref.id);
  target[key] = ref.id;
  target[`${key}${LOOKUP_LOGICAL_NAME}`] = refTable.logicalName;
  return found.lookup.name;
}

/** `/contacts(<id>)`, `contacts(<id>)` or an absolute row URL. */
export function parseEntityReference(url: string): { entitySet: string; id: string } | undefined {
  const m = /(?:^|\/)([A-Za-z_][A-Za-z0-9_]*)\(\{?([0-9a-fA-F-]{36})\}?\)$/.exec(url.trim());
  if (!m?.[1] || !m[2] || !GUID.test(m[2])) return undefined;
  return { entitySet: m[1], id: m[2].toLowerCase() };
}

const EDM: Record<ColumnSpec["type"], string> = {
  string: "Edm.String",
  memo: "Edm.String",
  entityname: "Edm.String",
  int: "Edm.Int32",
  bigint: "Edm.Int64",
  decimal: "Edm.Decimal",
  bool: "Edm.Boolean",
  datetime: "Edm.DateTimeOffset",
  guid: "Edm.Guid",
  choice: "Edm.Int32",
  // A Choices column is written as the comma-separated option values (multi-select-picklist.md).
  multichoice: "Edm.String",
  file: "Edm.Guid",
  image: "Edm.Binary",
};

function checkedValue(table: TableSpec, column: string, spec: ColumnSpec, raw: unknown): FieldValue {
  if (raw === null) return null;
  const ok = (() => {
    switch (spec.type) {
      case "string":
      case "memo":
      case "entityname":
        return typeof raw === "string";
      case "int":
      case "bigint":
      case "choice":
        return typeof raw === "number" && Number.isInteger(raw);
      case "decimal":
        return typeof raw === "number";
      case "bool":
        return typeof raw === "boolean";
      case "datetime":
        return typeof raw === "string" && !Number.isNaN(Date.parse(raw));
      case "guid":
        return typeof raw === "string" && GUID.test(raw);
      case "image":
        return typeof raw === "string" && /^[A-Za-z0-9+/]*={0,2}$/.test(raw);
      case "file":
        return typeof raw === "string" && GUID.test(raw);
      case "multichoice":
        // "1, 9" in Microsoft's own example: white space around the commas is allowed.
        return typeof raw === "string" && /^\s*-?\d+(\s*,\s*-?\d+)*\s*$/.test(raw);
    }
  })();
  if (!ok) throw typeMismatch(typeof raw === "object" ? JSON.stringify(raw) : raw, EDM[spec.type]);
  if (spec.options && typeof raw === "number" && !spec.options.includes(raw)) {
    throw badRequest(
      `A validation error occurred. The value ${raw} of '${column}' on record of type '${table.logicalName}' is outside the valid range. Accepted Values: ${spec.options.join(",")}`,
      "0x8004431a",
    );
  }
  if (spec.options && spec.type === "multichoice" && typeof raw === "string") {
    const values = raw.split(",").map((v) => Number(v.trim()));
    const outside = values.find((v) => !spec.options?.includes(v));
    if (outside !== undefined) {
      throw badRequest(
        `A validation error occurred. The value ${outside} of '${column}' on record of type '${table.logicalName}' is outside the valid range. Accepted Values: ${spec.options.join(",")}`,
        "0x8004431a",
      );
    }
    // Read back as "2,3,8,9" (multi-select-picklist.md).
    return values.join(",");
  }
  // Dataverse counts .NET characters (UTF-16 code units), as JavaScript's length does.
  if (spec.maxLength !== undefined && typeof raw === "string" && raw.length > spec.maxLength) throw stringTooLong(column, table.logicalName, spec.maxLength);
  if (spec.type === "guid" && typeof raw === "string") return raw.toLowerCase();
  return raw as FieldValue;
}

/** Values Dataverse derives itself: fullname, statuscode for a new statecode, activity type. */
export function applyDerivedColumns(table: TableSpec, row: Row, touched: string[]): void {
  if ("fullname" in table.columns && "firstname" in table.columns) {
    row.fullname = [row.firstname, row.lastname].filter((p) => typeof p === "string" && p !== "").join(" ");
  }
  if (table.state) {
    row.statecode ??= 0;
    const state = Number(row.statecode);
    if (touched.includes("statecode") && !touched.includes("statuscode")) {
      row.statuscode = table.state.defaultStatus[state] ?? null;
      touched.push("statuscode");
    }
    row.statuscode ??= table.state.defaultStatus[state] ?? null;
  }
  if ("activitytypecode" in table.columns) row.activitytypecode = table.logicalName;
}

/** Lookup value keys may be seeded directly; the target table is inferred when the lookup has one. */
export function seedLookupValue(table: TableSpec, key: string, value: FieldValue, row: Row): boolean {
  const lookup = table.lookups.find((l) => lookupValueKey(l.name) === key);
  if (!lookup) return false;
  row[key] = typeof value === "string" ? value.toLowerCase() : value;
  const annotation = `${key}${LOOKUP_LOGICAL_NAME}`;
  if (value !== null && !(annotation in row) && lookup.targets.length === 1 && lookup.targets[0]) {
    row[annotation] = lookup.targets[0].entity;
  }
  return true;
}
