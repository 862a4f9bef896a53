import type { Ex } from "../../toolkit/expr/build";
import { concat, greater, ifElse, length, string, take } from "../../toolkit/expr/functions";
import { product } from "../../../solution/src/model/product";

/** What a value cut to fit its column ends with, so that a reader sees it is not whole. */
export const CUT_MARKER = "…";

/**
 * The most characters a text column of the product holds, from the solution model (the one place
 * the lengths are written): `table` is a logical name (ours or a system table we extend).
 */
export function columnLength(table: string, column: string): number {
  for (const t of product.tables) {
    if (t.schemaName.toLowerCase() !== table) continue;
    for (const c of [t.primaryName, ...t.columns]) {
      if (c.schemaName.toLowerCase() === column && (c.kind === "text" || c.kind === "memo")) return c.maxLength;
    }
  }
  for (const e of product.extensions.filter((x) => x.table.logicalName === table)) {
    for (const c of e.columns) if (c.schemaName.toLowerCase() === column && (c.kind === "text" || c.kind === "memo")) return c.maxLength;
  }
  throw new Error(`columnLength: ${table}.${column} is not a text column of the solution model`);
}

/**
 * `value` as it fits `table`.`column`: longer text is cut and ends with CUT_MARKER, so that one
 * long address, comment or subject never fails the write of its row (Dataverse refuses the whole
 * row otherwise: 0x80044331). Both branches of if() are evaluated, so the cut one is built with
 * take(), which never fails on a short text.
 */
export function fitted(value: Ex, table: string, column: string): Ex {
  const max = columnLength(table, column);
  const text = string(value);
  return ifElse(greater(length(text), max), concat(take(text, max - CUT_MARKER.length), CUT_MARKER), text);
}
