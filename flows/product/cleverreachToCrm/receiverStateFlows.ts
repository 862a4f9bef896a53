import { label } from "../../../solution/src/labels";
import { COLUMNS, LOOKUPS, TABLES } from "../../../solution/src/model/handles";
import { CONTACT, LEAD } from "../../../solution/src/model/tables";
import { CHECKLIST_STATE } from "../../../pcf-checklist/src/checklist";
import { call, body, item, outputs, triggerOutputs, type Ex } from "../../toolkit/expr/build";
import { compose, filterArray, select, type Value } from "../../toolkit/builder/actions";
import { getRow, rowTrigger, updateRow } from "../../toolkit/builder/dataverse";
import { failRun } from "../../toolkit/builder/failRun";
import { ProductFlow } from "../patterns/productFlow";
import { CLEVERREACH_AUTHOR, DECLINING_STATES } from "../rules/receiverStates";
import { GROUP_OWNERS } from "../sync/groupOwners";
import {
  and,
  coalesce,
  concat,
  contains,
  empty,
  equals,
  ifElse,
  int,
  join,
  json,
  not,
  or,
  setProperty,
  sort,
  string,
  trim,
  union,
} from "../../toolkit/expr/functions";

/**
 * "Create ReceiverState" / "Update ReceiverState" (see cleverreach-to-crm.md, "Receiver State
 * flows"): when CleverReach reported a receiver
 * unsubscribed, bounced or blacklisted, the person's checklist gets state 2 on every newsletter
 * type the group's record sends, stamped "CleverReach" and the event's time; nothing else in the
 * checklist changes (declineGroupTypes() in flows/product/rules/receiverStates.ts), and the derived
 * accepted-types column is written with it, so the person flow that then fires finds it in step
 * and only sees a person who no longer qualifies, whose receiver is inactive: it does nothing.
 * When every type is already red nothing is written, so the chain ends.
 */
export function receiverStateFlow(message: "added" | "modified"): ProductFlow {
  const name = message === "added" ? "Create ReceiverState" : "Update ReceiverState";
  const f = new ProductFlow({
    key: `receiver-state-${message}`,
    displayName: label(name, message === "added" ? "Empfängerstatus erstellt" : "Empfängerstatus geändert"),
    purpose: "Turns a person's checklist red for the group's newsletter types when a receiver state says unsubscribed, bounced or blacklisted.",
  });
  f.useDataverse();
  const states = DECLINING_STATES.map((v) => `${COLUMNS.state} eq ${v}`).join(" or ");
  f.trigger(
    message === "added" ? "When_a_receiver_state_is_added" : "When_a_receiver_state_changes",
    rowTrigger({
      message,
      table: TABLES.receiverState.logicalName,
      filterExpression: states,
      ...(message === "modified" ? { filteringAttributes: [COLUMNS.state, COLUMNS.lastEventOn] } : {}),
    }),
  );
  const a = f.actions;
  const row = (c: string): Ex => triggerOutputs().get(`body/${c}`);
  const personTable = ifElse(not(empty(row(LOOKUPS.contact.value))), CONTACT.logicalName, ifElse(not(empty(row(LOOKUPS.lead.value))), LEAD.logicalName, ""));
  a.add("Person_table", compose(personTable));
  const ownerTable: Ex = GROUP_OWNERS.reduceRight<Ex>((rest, o) => ifElse(not(empty(row(o.lookup.value))), o.table, rest), string(""));
  a.add("Owner_table", compose(ownerTable));
  const sets: Record<string, Value> = { [CONTACT.logicalName]: CONTACT.entitySetName, [LEAD.logicalName]: LEAD.entitySetName };
  for (const o of GROUP_OWNERS) sets[o.table] = o.entitySet;
  a.add("Entity_sets", compose(sets));
  a.tryCatch(
    "Try",
    (t) => {
      t.condition("Traced", and(not(empty(outputs("Person_table"))), not(empty(outputs("Owner_table")))), (s) => {
        const personSet = outputs("Entity_sets").get(outputs("Person_table"));
        const personId = coalesce(row(LOOKUPS.contact.value), row(LOOKUPS.lead.value));
        const ownerId = call("coalesce", ...GROUP_OWNERS.map((o) => row(o.lookup.value)));
        s.add("Get_record", getRow(outputs("Entity_sets").get(outputs("Owner_table")).value, ownerId, [COLUMNS.newsletterChecklist]));
        s.add("Get_person", getRow(personSet.value, personId, [COLUMNS.newsletterChecklist, COLUMNS.acceptedTypes]));
        const text = (e: Ex): Ex => coalesce(e, "");
        const checklistOf = (action: string): Ex => {
          const stored = text(body(action).get(COLUMNS.newsletterChecklist));
          return json(ifElse(empty(trim(stored)), "[]", stored));
        };
        s.add("Record_rows", compose(checklistOf("Get_record")));
        s.add("Person_rows", compose(checklistOf("Get_person")));
        s.add("Sent_rows", filterArray(outputs("Record_rows"), equals(item().get("state"), CHECKLIST_STATE.accepted)));
        s.add("Sent_ids", select(body("Sent_rows"), item().get("id")));
        s.add("Person_ids", select(outputs("Person_rows"), item().get("id")));
        const when = row(COLUMNS.lastEventOn);
        const declines = and(contains(body("Sent_ids"), item().get("id")), not(equals(item().get("state"), CHECKLIST_STATE.declined)));
        s.add("To_decline", filterArray(outputs("Person_rows"), declines));
        // setProperty keeps a key where it is, so the row keeps the original key order.
        s.add(
          "Declined",
          select(
            outputs("Person_rows"),
            ifElse(
              declines,
              setProperty(setProperty(setProperty(item(), "state", CHECKLIST_STATE.declined), "modifiedby", CLEVERREACH_AUTHOR), "modifiedon", when),
              item(),
            ),
          ),
        );
        s.add("Missing_rows", filterArray(body("Sent_rows"), not(contains(body("Person_ids"), item().get("id")))));
        s.add(
          "Added_rows",
          select(body("Missing_rows"), {
            id: item().get("id"),
            state: CHECKLIST_STATE.declined,
            description: item().get("description"),
            modifiedby: CLEVERREACH_AUTHOR,
            modifiedon: when,
            position: item().get("position"),
          }),
        );
        s.condition("Anything_to_decline", or(not(empty(body("To_decline"))), not(empty(body("Missing_rows")))), (w) => {
          w.add("New_rows", compose(union(body("Declined"), body("Added_rows"))));
          w.add("Accepted_rows", filterArray(outputs("New_rows"), equals(item().get("state"), CHECKLIST_STATE.accepted)));
          w.add("Accepted_ids", select(body("Accepted_rows"), int(item().get("id"))));
          w.add("Accepted_key", compose(ifElse(empty(body("Accepted_ids")), "", concat(",", join(sort(body("Accepted_ids")), ","), ","))));
          w.add(
            "Write_checklist",
            updateRow(personSet.value, personId, {
              [COLUMNS.newsletterChecklist]: string(outputs("New_rows")),
              [COLUMNS.acceptedTypes]: outputs("Accepted_key"),
            }),
          );
        });
      });
    },
    failRun({
      code: "ReceiverStateFailed",
      errorText: (step, message) =>
        concat(`${name}: updating the checklist from receiver state `, row(TABLES.receiverState.idColumn), " failed at ", step, ": ", message),
    }),
  );
  return f;
}

export const receiverStateFlows = (): ProductFlow[] => [receiverStateFlow("added"), receiverStateFlow("modified")];
