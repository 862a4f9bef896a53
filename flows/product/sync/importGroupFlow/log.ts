import { label } from "../../../../solution/src/labels";
import { COLUMNS, TABLES } from "../../../../solution/src/model/handles";
import { body, item, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { fitted } from "../../patterns/fitted";
import { compose, filterArray, type Value } from "../../../toolkit/builder/actions";
import type { Placement, ScopeBuilder } from "../../../toolkit/builder/scope";
import { add, concat, createArray, empty, equals, greater, ifElse, join, not, string, utcNow } from "../../../toolkit/expr/functions";
import { writeSyncLog } from "../../patterns/syncLog";
import { IMPORT_SKIPPED_PREFIX, IMPORT_SKIPS } from "../../rules/importGroup";
import { IMPORT_COUNTS } from "./pages";

export const IMPORT_GROUP_NAME = label("Import from CleverReach", "Aus CleverReach importieren");

/**
 * The import's sync log row (flows/product/README.md, "Import a CleverReach group"): Added = people
 * made members (matched and created), Updated = people whose checklist got the list's types accepted,
 * Skipped and Why skipped = what was not imported as accepted (rules/importGroup.ts,
 * importSkippedText), Not in the CRM = the unmatched addresses (mode log).
 */
export function logImport(s: ScopeBuilder, name: string, outcome: "succeeded" | "failed", error: Value, placement: Placement = {}): string {
  const v = (k: keyof typeof IMPORT_COUNTS) => variables(IMPORT_COUNTS[k]);
  const many = (text: string, n: Ex): Ex => {
    const [before = "", after = ""] = text.split("#");
    return concat(before, string(n), after);
  };
  const parts = IMPORT_SKIPS.map((x) => ifElse(greater(v(x.key), 0), ifElse(equals(v(x.key), 1), x.one, many(x.many, v(x.key))), null));
  const [firstPart, ...moreParts] = parts;
  s.add(`${name}_parts`, compose(createArray(firstPart as Ex, ...moreParts)), placement.after);
  s.add(`${name}_given`, filterArray(outputs(`${name}_parts`), not(equals(item(), null))));
  const skipped = IMPORT_SKIPS.map((x) => v(x.key)).reduce((sum, n) => add(sum, n));
  return writeSyncLog(s, name, {
    flow: IMPORT_GROUP_NAME.en,
    table: "list",
    id: outputs("Row_id"),
    groupId: variables("groupId"),
    outcome,
    startedOn: outputs("Run_started"),
    endedOn: utcNow(),
    added: add(v("matched"), v("created")),
    updated: v("accepted"),
    skipped,
    skippedWhy: ifElse(empty(body(`${name}_given`)), "", concat(IMPORT_SKIPPED_PREFIX, join(body(`${name}_given`), "; "), ".")),
    unmatched: fitted(join(v("unmatched"), "\n"), TABLES.syncLog.logicalName, COLUMNS.unmatched),
    error,
  });
}
