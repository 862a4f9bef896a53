import { COLUMNS } from "../../../../solution/src/model/handles";
import { CHECKLIST_STATE } from "../../../../pcf-checklist/src/checklist";
import { body, item, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, select, setVariable } from "../../../toolkit/builder/actions";
import { updateRow } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { coalesce, concat, empty, equals, ifElse, int, join, json, not, sort, trim } from "../../../toolkit/expr/functions";
import type { PersonTable } from "./personTables";

/**
 * Parses the checklist and writes the derived column when it differs (same value as
 * acceptedTypesKey(): accepted ids ascending as ",0,3,", empty when none). Invalid JSON fails here,
 * before anything is written.
 */
export function keepAcceptedTypes(s: ScopeBuilder, p: PersonTable, person: Ex, personId: Ex): void {
  const text = coalesce(person.get(COLUMNS.newsletterChecklist), "");
  s.add("Reading_checklist", setVariable("checklistStage", "reading"));
  s.add("Parse_checklist", compose(json(ifElse(empty(trim(text)), "[]", text))));
  s.add("Accepted_rows", filterArray(outputs("Parse_checklist"), equals(item().get("state"), CHECKLIST_STATE.accepted)));
  s.add("Accepted_ids", select(body("Accepted_rows"), int(item().get("id"))));
  s.add("Sorted_ids", setVariable("acceptedIds", sort(body("Accepted_ids"))));
  s.add("Checklist_read", setVariable("checklistStage", "read"));
  s.add("Accepted_key", compose(ifElse(empty(variables("acceptedIds")), "", concat(",", join(variables("acceptedIds"), ","), ","))));
  s.condition("Key_changed", not(equals(coalesce(person.get(COLUMNS.acceptedTypes), ""), outputs("Accepted_key"))), (w) => {
    w.add("Write_accepted_types", updateRow(p.entitySet, personId, { [COLUMNS.acceptedTypes]: outputs("Accepted_key") }));
  });
}
