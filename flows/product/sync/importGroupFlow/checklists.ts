import { COLUMNS } from "../../../../solution/src/model/handles";
import { CHECKLIST_STATE } from "../../../../pcf-checklist/src/checklist";
import { body, call, item, items, lit, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, incrementVariable, select, type Value } from "../../../toolkit/builder/actions";
import { updateRow } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import {
  addProperty,
  and,
  coalesce,
  concat,
  contains,
  createArray,
  empty,
  equals,
  ifElse,
  int,
  join,
  json,
  length,
  not,
  setProperty,
  startsWith,
  string,
  sub,
  trim,
  union,
} from "../../../toolkit/expr/functions";
import { CLEVERREACH_AUTHOR } from "../../rules/receiverStates";
import { CHECKED, checkPeople } from "../syncGroupFlow/personChecklist";

/*
 * The list's types accepted on each matched person (rules/importGroup.ts, acceptListTypes; README,
 * "Import a CleverReach group", 8). Without a loop per person for the decision: one Select per page
 * makes each readable person one XML document, the way Sync group reads checklists
 * (syncGroupFlow/personChecklist.ts),
 *
 *   xml({"r": {"t": <checklist>, "d": <CleverReach's declines>, "s": <the list's sent type ids>}})
 *
 * and XPath says what the import does with the person, and which ids it sets. Only the people who get
 * a type accepted go through the loop that writes (six actions each); the others cost nothing more.
 */

const ACCEPTED = CHECKLIST_STATE.accepted;
const DECLINED = CHECKLIST_STATE.declined;

/** The list's sent types the person has neither declined nor CleverReach declined for them. */
const WANTED = `/r/s[not(. = /r/t[state=${DECLINED}]/id)][not(. = /r/d/id)]`;
/** Of those, the ones not accepted yet: what the import sets. */
const TO_SET = `${WANTED}[not(. = /r/t[state=${ACCEPTED}]/id)]`;
/** "abc": a 1 when something is set, b 1 when something is wanted, c 1 when CleverReach declined a sent type. */
const PLAN_XPATH = `concat(number(count(${TO_SET}) > 0), number(count(${WANTED}) > 0), number(count(/r/s[. = /r/d/id]) > 0))`;
/** The accepted types after the import, less CleverReach's declines: the derived column's ids. */
const INDEX_XPATH = `/r/t[state=${ACCEPTED}][not(id = /r/d/id)]/id/text() | ${TO_SET}/text()`;

const text = (row: Ex, column: string): Ex => coalesce(row.get(column), "");
const parsed = (value: Ex): Ex => json(ifElse(empty(trim(value)), "[]", value));

function personDocument(row: Ex): Ex {
  const r = addProperty(
    addProperty(addProperty(json("{}"), "t", parsed(text(row, COLUMNS.newsletterChecklist))), "d", parsed(text(row, COLUMNS.cleverReachDeclines))),
    "s",
    body("Sent_ids"),
  );
  return call("xml", addProperty(json("{}"), "r", r));
}

/** A node set as ids joined by commas: one node may come back as the bare value (personChecklist.ts, indexValue). */
function idsText(nodes: Ex): Ex {
  return ifElse(startsWith(string(createArray(nodes)), "[["), join(nodes, ","), string(nodes));
}

/** Outcome names, as the plan's digits give them. */
const planIs = (plan: Ex, prefix: string): Ex => startsWith(plan, prefix);

/** The run's counters (IMPORT_COUNTS) and the page's variables, passed in by pages.ts. */
export interface ChecklistVariables {
  matched: string;
  checked: string;
  counts: { accepted: string; declinedInCrm: string; declinedInCleverReach: string; unreadable: string; notWritten: string };
}

export function setChecklists(u: ScopeBuilder, member: (k: "set" | "id" | "type") => Ex, v: ChecklistVariables): void {
  // Who can be read at all (Sync group's own check); the others are left as they are and counted.
  const { checked } = checkPeople(u, "Import_check", variables(v.matched), v.checked, lit("false()"));
  u.add("Readable_people", filterArray(checked, CHECKED.readable(item())));
  u.add("Count_not_readable", incrementVariable(v.counts.unreadable, sub(length(variables(v.matched)), length(body("Readable_people")))));
  u.add(
    "Person_plans",
    select(body("Readable_people"), {
      row: item().get("row"),
      plan: call("xpath", personDocument(item().get("row")), PLAN_XPATH),
      set: concat(",", idsText(call("xpath", personDocument(item().get("row")), `${TO_SET}/text()`)), ","),
      index: idsText(call("xpath", personDocument(item().get("row")), INDEX_XPATH)),
    } as Value),
  );
  const plan = item().get("plan");
  u.add("To_accept", filterArray(body("Person_plans"), planIs(plan, "1")));
  u.add("Declined_in_crm", filterArray(body("Person_plans"), equals(plan, "000")));
  u.add("Declined_in_cleverreach", filterArray(body("Person_plans"), equals(plan, "001")));
  u.add("Count_declined_in_crm", incrementVariable(v.counts.declinedInCrm, length(body("Declined_in_crm"))));
  u.add("Count_declined_in_cleverreach", incrementVariable(v.counts.declinedInCleverReach, length(body("Declined_in_cleverreach"))));
  u.forEach(
    "Each_person",
    body("To_accept"),
    (p) => {
      const person = items("Each_person");
      const row = person.get("row");
      const id = int(item().get("id"));
      const isSet = contains(person.get("set"), concat(",", string(id), ","));
      p.add("Person_rows", compose(parsed(text(row, COLUMNS.newsletterChecklist))));
      const stamped = setProperty(setProperty(setProperty(item(), "state", ACCEPTED), "modifiedby", CLEVERREACH_AUTHOR), "modifiedon", outputs("Run_started"));
      p.add("Stamped_rows", select(outputs("Person_rows"), ifElse(isSet, stamped, item())));
      p.add("Person_ids", select(outputs("Person_rows"), id));
      p.add("Missing_rows", filterArray(body("Sent_rows"), and(isSet, not(contains(body("Person_ids"), id)))));
      p.add("Added_rows", select(body("Missing_rows"), acceptedRow(item())));
      p.add(
        "Write_checklist",
        updateRow(member("set").value, coalesce(row.get("contactid"), row.get("leadid")), {
          [COLUMNS.newsletterChecklist]: string(union(body("Stamped_rows"), body("Added_rows"))),
          [COLUMNS.acceptedTypes]: concat(",", person.get("index"), ","),
        }),
      );
      // A write Dataverse refused is counted, not a failed import (the next import or a user's save sets it).
      p.add("Write_failed", compose("not written"), { Write_checklist: ["Failed", "TimedOut"] });
    },
    { concurrency: 20 },
  );
  u.add(
    "Writes_failed",
    filterArray(call("result", "Each_person"), and(equals(item().get("name"), "Write_failed"), equals(item().get("status"), "Succeeded"))),
  );
  u.add("Count_accepted", incrementVariable(v.counts.accepted, sub(length(body("To_accept")), length(body("Writes_failed")))));
  u.add("Count_not_written", incrementVariable(v.counts.notWritten, length(body("Writes_failed"))));
}

/** The list's rows a person gets when the import accepts them: state 1, by CleverReach, at the run's start. */
export const acceptedRow = (row: Ex): Value =>
  ({
    id: int(row.get("id")),
    state: ACCEPTED,
    description: coalesce(row.get("description"), ""),
    modifiedby: CLEVERREACH_AUTHOR,
    modifiedon: outputs("Run_started"),
    position: coalesce(row.get("position"), 0),
  }) as Value;
