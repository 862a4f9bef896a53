import { COLUMNS } from "../../../solution/src/model/handles";
import { type Ex } from "../../toolkit/expr/build";
import { equals, ifElse } from "../../toolkit/expr/functions";
import { columnLength, fitted } from "../cleverreachToCrm/reading";

/** The most characters Last sync error holds (the same column on list, campaign and campaign activity). */
export const RECORD_ERROR_MAX = columnLength("list", COLUMNS.lastSyncError);

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
