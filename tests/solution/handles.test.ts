import { COLUMN_NAMES } from "../../solution/src/model/columns";
import { COLUMNS, ENV, LOOKUPS, TABLES } from "../../solution/src/model/handles";
import { product } from "../../solution/src/model/product";
import { entitySetName } from "../../solution/src/xml/customTable";
import type { Column } from "../../solution/src/model/types";

/** Every column the model ships, from every table it creates or extends. */
const modelColumns = (): Column[] => [...product.extensions.flatMap((e) => e.columns), ...product.tables.flatMap((t) => [t.primaryName, ...t.columns])];

describe("the model's handles name exactly what the model ships", () => {
  test("every column of the model has a handle, and every handle names a column of the model", () => {
    const shipped = new Set(modelColumns().map((c) => c.schemaName));
    expect(new Set(Object.values(COLUMN_NAMES))).toEqual(shipped);
  });

  test("a column handle is the logical name (the schema name lower-cased)", () => {
    for (const c of modelColumns()) {
      const key = (Object.keys(COLUMN_NAMES) as Array<keyof typeof COLUMN_NAMES>).find((k) => COLUMN_NAMES[k] === c.schemaName);
      expect(key && COLUMNS[key]).toBe(c.schemaName.toLowerCase());
    }
  });

  test("the lookup handles are the model's lookup columns, with their targets", () => {
    const lookups = new Map(modelColumns().flatMap((c) => (c.kind === "lookup" ? [[c.schemaName, c.target.logicalName] as const] : [])));
    expect(new Map(Object.values(LOOKUPS).map((l) => [l.navigation, l.target.logicalName]))).toEqual(lookups);
    expect(LOOKUPS.contact.value).toBe(`_${LOOKUPS.contact.logicalName}_value`);
  });

  test("the table handles are the model's tables, with the entity sets the packer writes", () => {
    expect(
      Object.values(TABLES)
        .map((t) => [t.schemaName, t.entitySet])
        .sort(),
    ).toEqual(product.tables.map((t) => [t.schemaName, entitySetName(t)]).sort());
  });

  test("the environment variable handles are the model's environment variables", () => {
    expect(Object.values(ENV)).toEqual(product.environmentVariables);
  });

  test("every handle carries the publisher prefix, so that a fork's PREFIX reaches them all", () => {
    const names = [...Object.values(COLUMNS), ...Object.values(TABLES).map((t) => t.logicalName), ...Object.values(ENV).map((v) => v.schemaName.toLowerCase())];
    for (const n of names) expect(n.startsWith(`${product.publisher.prefix}_`)).toBe(true);
  });
});
