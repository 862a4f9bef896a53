import { COLUMNS } from "../../../../solution/src/model/handles";
import { CHECKLIST_STATE } from "../../../../pcf-checklist/src/checklist";
import { body, item, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, select, setVariable } from "../../../toolkit/builder/actions";
import { getRow, updateRow } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { coalesce, concat, contains, empty, equals, ifElse, int, join, json, not, sort, trim } from "../../../toolkit/expr/functions";
import type { PersonTable } from "./personTables";

/** How many rounds the derived column gets to settle while other runs write it too. */
export const ACCEPTED_TYPES_ROUNDS = 6;

const parsed = (text: Ex): Ex => json(ifElse(empty(trim(text)), "[]", text));

/**
 * The types this person accepted and CleverReach did not decline, into "acceptedIds", and the
 * derived column written when it differs (acceptedTypesKey() minus declinedTypeIds(); a declines
 * column that cannot be read leaves nothing accepted, as readDeclines() says). Invalid checklist
 * JSON fails here, before anything is written.
 *
 * Race-free (issue 15 item 10): two quick saves start two runs, and a run that read the older
 * checklist may write after the newer one. So each round reads the person afresh, writes only a
 * differing value, and the run goes on until a round writes nothing: the last write is always
 * followed by a round of the same run that read it back against the newest checklist, and a save
 * after that round starts a run that reads after it.
 */
export function keepAcceptedTypes(s: ScopeBuilder, p: PersonTable, personId: Ex): void {
  s.until(
    "Accepted_types_settled",
    not(variables("keyWritten")),
    (u) => {
      u.add("Key_round", setVariable("keyWritten", false));
      u.add("Read_person_key", getRow(p.entitySet, personId, [COLUMNS.newsletterChecklist, COLUMNS.cleverReachDeclines, COLUMNS.acceptedTypes]));
      const fresh = body("Read_person_key");
      u.add("Reading_checklist", setVariable("checklistStage", "reading"));
      u.add("Parse_checklist", compose(parsed(coalesce(fresh.get(COLUMNS.newsletterChecklist), ""))));
      u.add("Accepted_rows", filterArray(outputs("Parse_checklist"), equals(item().get("state"), CHECKLIST_STATE.accepted)));
      u.add("Accepted_ids", select(body("Accepted_rows"), int(item().get("id"))));
      u.add("Checklist_read", setVariable("checklistStage", "read"));
      // CleverReach's declines outrank the checklist; unreadable ones leave nothing accepted.
      u.add("Declines_readable", setVariable("declinesReadable", false));
      u.add("Parse_declines", compose(parsed(coalesce(fresh.get(COLUMNS.cleverReachDeclines), ""))));
      u.add("Declined_ids", select(outputs("Parse_declines"), int(item().get("id"))));
      u.add("Declines_read", setVariable("declinesReadable", true));
      u.add("Own_ids", filterArray(body("Accepted_ids"), ifElse(variables("declinesReadable"), not(contains(body("Declined_ids"), item())), false)), {
        Declines_read: ["Succeeded", "Failed", "Skipped"],
      });
      u.add("Sorted_ids", setVariable("acceptedIds", sort(body("Own_ids"))));
      u.add("Accepted_key", compose(ifElse(empty(variables("acceptedIds")), "", concat(",", join(variables("acceptedIds"), ","), ","))));
      u.condition("Key_changed", not(equals(coalesce(fresh.get(COLUMNS.acceptedTypes), ""), outputs("Accepted_key"))), (w) => {
        w.add("Write_accepted_types", updateRow(p.entitySet, personId, { [COLUMNS.acceptedTypes]: outputs("Accepted_key") }));
        w.add("Key_written", setVariable("keyWritten", true));
      });
    },
    { limit: { count: ACCEPTED_TYPES_ROUNDS, timeout: "PT1H" } },
  );
}
