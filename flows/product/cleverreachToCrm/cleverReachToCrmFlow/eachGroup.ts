import { recordError } from "../../patterns/recordError";
import { COLUMNS, TABLES } from "../../../../solution/src/model/handles";
import { body, item, items, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { appendToArrayVariable, compose, filterArray, setVariable } from "../../../toolkit/builder/actions";
import { cleverReachAction } from "../../patterns/cleverreach";
import { getRow, updateRow, upsertRow } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { EPOCH, isoFromUnix, unixFromIso } from "../../patterns/unixTime";
import { and, coalesce, concat, empty, equals, first, int, join, max, not, sub, toLower } from "../../../toolkit/expr/functions";
import { WATERMARK_MARGIN_SECONDS } from "../reading";
import { receiverStates } from "./receiverStates";
import { receiverStatusText } from "../../sync/messages";
import { mailings } from "./mailings";
import { logFailure } from "./failures";

export function eachGroup(g: ScopeBuilder, cr: string, recordSends: Ex, doubleOptIn: Ex): void {
  const owner = items("Each_group");
  const groupId = owner.get("groupId");
  const entitySet = outputs("Owner_sets").get(owner.get("table")).get("entitySet");
  g.add("Nothing_written_yet", setVariable("wrote", false));
  g.add("No_row_failed_yet", setVariable("rowErrors", []));
  g.tryCatch(
    "Group_try",
    (s) => {
      // This group's link row, found by a filter (the links are as many as the synced records).
      s.add("Group_link", filterArray(body("List_group_links").get("value"), equals(toLower(item().get(COLUMNS.recordId)), toLower(owner.get("id")))));
      const link = first(body("Group_link"));
      // if() evaluates both branches, so the missing watermark becomes the epoch instead. Read again
      // from a margin before it: CleverReach's times come from its own clock (reading.ts).
      s.add("Since", compose(max(0, sub(unixFromIso(coalesce(link.get(COLUMNS.changesReadOn), EPOCH)), WATERMARK_MARGIN_SECONDS))));
      const since = outputs("Since");
      receiverStates(s, cr, owner, groupId, since, doubleOptIn);
      mailings(s, groupId, since, cr, recordSends);
      // The readable summary (cleverreach-to-crm.md, "Receiver status"); written only when its text changed.
      s.add("Group_stats", cleverReachAction(cr, "GetGroupStats", { group_id: int(groupId) }));
      // Counts CleverReach did not send are left out, never printed empty (issue 15 item 20).
      s.add("Status_text", compose(receiverStatusText(groupId, body("Group_stats"))));
      s.add("Get_status", getRow(entitySet.value, owner.get("id"), [COLUMNS.receiverStatus]));
      s.condition("Status_changed", not(equals(coalesce(body("Get_status").get(COLUMNS.receiverStatus), ""), outputs("Status_text"))), (w) => {
        w.add("Write_status", updateRow(entitySet.value, owner.get("id"), { [COLUMNS.receiverStatus]: outputs("Status_text") }));
      });
      // A row that could not be written is on the record, and the watermark stays, so that the next
      // run reads it again; the group's other rows are written.
      s.condition("Any_row_failed", not(empty(variables("rowErrors"))), (f) => {
        f.add(
          "Rows_error",
          compose(
            concat(
              "CleverReachToCrm could not write everything for group ",
              groupId,
              ": ",
              join(variables("rowErrors"), "; "),
              ". The next run tries these again; see the flow run for Dataverse's answer.",
            ),
          ),
        );
        f.add("Write_rows_error", updateRow(entitySet.value, owner.get("id"), { [COLUMNS.lastSyncError]: recordError(outputs("Rows_error")) }));
        f.add("Note_rows_error", appendToArrayVariable("groupErrors", outputs("Rows_error")));
        logFailure(f, "Log_rows_error", { table: owner.get("table"), id: owner.get("id"), groupId, error: outputs("Rows_error") });
      });
      // The next run reads from this run's start: all it read up to then is written now.
      s.condition("Advance_watermark", and(variables("wrote"), empty(variables("rowErrors"))), (w) => {
        w.add(
          "Write_watermark",
          upsertRow(TABLES.groupLink.entitySet, owner.get("id"), {
            // Not the group id: only Sync group names a record's group there (flows/product/README.md, "Whose group it is").
            [COLUMNS.changesReadOn]: isoFromUnix(outputs("Run_start")),
            [COLUMNS.recordTable]: owner.get("table"),
            [COLUMNS.recordId]: owner.get("id"),
          }),
        );
      });
    },
    (c, failure) => {
      c.add("Group_error", compose(concat("CleverReachToCrm failed for group ", groupId, " at ", failure.step, ": ", failure.message)));
      c.add("Write_group_error", updateRow(entitySet.value, owner.get("id"), { [COLUMNS.lastSyncError]: recordError(outputs("Group_error")) }));
      c.add("Note_group_error", appendToArrayVariable("groupErrors", outputs("Group_error")));
      logFailure(c, "Log_group_error", { table: owner.get("table"), id: owner.get("id"), groupId, error: outputs("Group_error") });
    },
    { catchName: "Group_catch", failuresName: "Group_failures" },
  );
}
