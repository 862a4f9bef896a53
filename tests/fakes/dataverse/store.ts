import { randomUUID } from "node:crypto";
import { TABLES, type TableSpec } from "./metadata";
import type { Row } from "./values";

/** The in-memory rows of every table, keyed by logical name then by lower-case id, in insertion order. */
export class RowStore {
  private readonly rows = new Map<string, Map<string, Row>>(TABLES.map((t) => [t.logicalName, new Map()]));
  private version = 1_000_000;

  constructor(private readonly clock: () => Date) {}

  table(table: TableSpec): Map<string, Row> {
    const rows = this.rows.get(table.logicalName);
    if (!rows) throw new Error(`no storage for table ${table.logicalName}`);
    return rows;
  }

  get(table: TableSpec, id: string): Row | undefined {
    return this.table(table).get(id.toLowerCase());
  }

  /** versionnumber is a rowversion: one counter across the organisation, bumped on every write. */
  nextVersion(): number {
    return ++this.version;
  }

  now(): string {
    return this.clock()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");
  }

  newId(): string {
    return randomUUID();
  }
}

export const etagOf = (row: Row): string => `W/"${String(row.versionnumber ?? 0)}"`;
