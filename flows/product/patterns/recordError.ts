import { COLUMNS } from "../../../solution/src/model/handles";
import { type Ex } from "../../toolkit/expr/build";
import { equals, ifElse } from "../../toolkit/expr/functions";
import { GROUP_OWNERS } from "../sync/groupOwners";
import { columnLength, fitted } from "./fitted";

/** The most characters Last sync error holds: the same column on every table that owns a group. */
export const RECORD_ERROR_MAX = ((): number => {
  const lengths = new Set(GROUP_OWNERS.map((o) => columnLength(o.table, COLUMNS.lastSyncError)));
  const [max] = lengths;
  if (lengths.size !== 1 || max === undefined) throw new Error("Last sync error has different lengths on the tables that own groups");
  return max;
})();

/**
 * A text for a record's Last sync error, cut to the column with "…" when longer: Dataverse refuses a
 * longer value (0x80044331, tests/fakes/dataverse/columnLengths.ts), and the write of the error would
 * fail and lose it. A literal is checked when the flow is built.
 */
export function recordError(text: Ex | string): Ex | string {
  if (typeof text === "string") {
    if (text.length > RECORD_ERROR_MAX) throw new Error(`an error text of ${text.length} characters does not fit Last sync error (${RECORD_ERROR_MAX})`);
    return text;
  }
  // null clears the column and stays null.
  return ifElse(equals(text, null), null, fitted(text, "list", COLUMNS.lastSyncError));
}
