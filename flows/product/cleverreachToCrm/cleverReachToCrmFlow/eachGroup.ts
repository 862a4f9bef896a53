import { COLUMNS, TABLES } from "../../../../solution/src/model/handles";
import { body, item, items, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { appendToArrayVariable, compose, filterArray, setVariable } from "../../../toolkit/builder/actions";
import { cleverReachAction } from "../../patterns/cleverreach";
import { getRow, updateRow, upsertRow } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { EPOCH, isoFromUnix, unixFromIso } from "../../patterns/unixTime";
import { coalesce, concat, equals, first, int, not, string, toLower } from "../../../toolkit/expr/functions";
import { receiverStates } from "./receiverStates";
import { mailings } from "./mailings";

export function eachGroup(g: ScopeBuilder, cr: string, recordSends: Ex): void {
  const owner = items("Each_group");
  const groupId = owner.get("groupId");
  const entitySet = outputs("Owner_sets").get(owner.get("table")).get("entitySet");
  g.add("Nothing_written_yet", setVariable("wrote", false));
  g.tryCatch(
    "Group_try",
    (s) => {
      // This group's link row, found by a filter (the links are as many as the synced records).
      s.add("Group_link", filterArray(body("List_group_links").get("value"), equals(toLower(item().get(COLUMNS.recordId)), toLower(owner.get("id")))));
      const link = first(body("Group_link"));
      // if() evaluates both branches, so the missing watermark becomes the epoch instead.
      s.add("Since", compose(unixFromIso(coalesce(link.get(COLUMNS.changesReadOn), EPOCH))));
      const since = outputs("Since");
      receiverStates(s, cr, owner, groupId, since);
      mailings(s, groupId, since, cr, recordSends);
      // The readable summary (cleverreach-to-crm.md, "Receiver status"); written only when its text changed.
      s.add("Group_stats", cleverReachAction(cr, "GetGroupStats", { group_id: int(groupId) }));
      const st = body("Group_stats");
      s.add(
        "Status_text",
        compose(
          concat(
            "CleverReach group ",
            groupId,
            ": ",
            string(st.get("total_count")),
            " receivers, ",
            string(st.get("active_count")),
            " active, ",
            string(st.get("inactive_count")),
            " inactive (unsubscribed or blacklisted), ",
            string(st.get("bounce_count")),
            " bounced. Who and why: see the Receiver States of this record.",
          ),
        ),
      );
      s.add("Get_status", getRow(entitySet.value, owner.get("id"), [COLUMNS.receiverStatus]));
      s.condition("Status_changed", not(equals(coalesce(body("Get_status").get(COLUMNS.receiverStatus), ""), outputs("Status_text"))), (w) => {
        w.add("Write_status", updateRow(entitySet.value, owner.get("id"), { [COLUMNS.receiverStatus]: outputs("Status_text") }));
      });
      // The next run reads from this run's start: all it read up to then is written now.
      s.condition("Advance_watermark", variables("wrote"), (w) => {
        w.add(
          "Write_watermark",
          upsertRow(TABLES.groupLink.entitySet, owner.get("id"), {
            [COLUMNS.changesReadOn]: isoFromUnix(outputs("Run_start")),
            [COLUMNS.groupId]: groupId,
            [COLUMNS.recordTable]: owner.get("table"),
            [COLUMNS.recordId]: owner.get("id"),
          }),
        );
      });
    },
    (c, failure) => {
      c.add("Group_error", compose(concat("CleverReachToCrm failed for group ", groupId, " at ", failure.step, ": ", failure.message)));
      c.add("Write_group_error", updateRow(entitySet.value, owner.get("id"), { [COLUMNS.lastSyncError]: outputs("Group_error") }));
      c.add("Note_group_error", appendToArrayVariable("groupErrors", outputs("Group_error")));
    },
    { catchName: "Group_catch", failuresName: "Group_failures" },
  );
}
