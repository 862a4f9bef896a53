import { label } from "../../../solution/src/labels";
import * as odata from "../../toolkit/builder/odataFilter";
import { COLUMNS, LOOKUPS, TABLES } from "../../../solution/src/model/handles";
import { CONTACT, LEAD } from "../../../solution/src/model/tables";
import { CHECKLIST_STATE } from "../../../pcf-checklist/src/checklist";
import { body, item, items, lit, outputs, triggerOutputs, variables, type Ex } from "../../toolkit/expr/build";
import { appendToArrayVariable, compose, filterArray, initializeVariable, select, setVariable, terminate, type Value } from "../../toolkit/builder/actions";
import { getRow, listRows, rowTrigger, updateRow } from "../../toolkit/builder/dataverse";
import { attribute, attributes, condition, entity, fetch, fetchXml, filter, text, value } from "../../toolkit/builder/fetchXml";
import { failRun } from "../../toolkit/builder/failRun";
import { initLock, LOCK_WAIT_HOURS } from "../patterns/recordLock";
import { lockEach } from "../patterns/lockEach";
import { failedInside } from "../patterns/failureInWords";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { cleverReachAction } from "../patterns/cleverreach";
import { ProductFlow } from "../patterns/productFlow";
import { DECLINING_STATES, RECEIVER_STATE } from "../rules/receiverStates";
import { GROUP_OWNERS } from "../sync/groupOwners";
import { normalizedEmail } from "../sync/expressions";
import { addressPattern, peopleWithAddress } from "../patterns/sameAddress";
import {
  and,
  coalesce,
  concat,
  contains,
  empty,
  equals,
  first,
  greater,
  ifElse,
  int,
  join,
  json,
  not,
  or,
  string,
  toLower,
  trim,
  union,
} from "../../toolkit/expr/functions";

/**
 * How many rounds a run makes at most. A round rewrites only what another run's write took away
 * (see the flow's comment); two rounds are the usual case (write, then confirm), each overlapping
 * run can cost one more.
 */
export const RECEIVER_STATE_ROUNDS = 6;

const SENT = CHECKLIST_STATE.accepted;

/** The name a declines entry gives a Receiver State's state (rules: DECLINE_STATES). */
const stateName = (state: Ex): Ex =>
  ifElse(equals(state, RECEIVER_STATE.blacklisted), "blacklisted", ifElse(equals(state, RECEIVER_STATE.bounced), "bounced", "unsubscribed"));

/** One decline's key: a person holds one entry per type and group. */
export const declineKey = (d: Ex): Ex => concat(string(d.get("id")), "/", string(d.get("group")));

/** An address as §6.2 compares them (rules/addresses.ts, normalizeEmail). */
const normalised = (e: Ex): Ex => normalizedEmail(e);

/**
 * "Create ReceiverState" / "Update ReceiverState" (cleverreach-to-crm.md, "Receiver State flows").
 *
 * CleverReach's declines live in their own column (COLUMNS.cleverReachDeclines, written only by
 * these flows), never in the user's checklist: a user's save can no longer overwrite a decline,
 * and these flows can no longer overwrite a user's choice (issue 15, items 8 and 9).
 *
 * A run trusts nothing a user could have written: for every declining Receiver State row of the
 * address it asks CleverReach whether the receiver really is deactivated or bounced in that group,
 * and takes the types from the record that really owns that group (its group id is a column only
 * the flows write). A forged row (issue 15 item 2) therefore changes nobody.
 *
 * A decline belongs to the address (SPEC §6.5): it is added to every contact and lead whose
 * address is the same once trimmed and lower-cased, and to the person CleverReach names as the
 * receiver's CRM row (who may have changed their address since).
 *
 * Overlapping runs (issue 15 item 7) lose nothing: a run computes what every person of the
 * address should hold from ALL the address's rows (not only its own), only ever adds to what is
 * stored, and repeats until a round writes nothing. Each person's read and write happen under the
 * person's lock (addToPeople), which Contact / Lead changed hold while they copy the address's
 * declines into the same column, so no writer of the column writes between another's read and
 * write. A round also finds the rows that got the address since the last one; the last round
 * writes nothing, so every row that had the address then holds every decline, and a row that gets
 * the address later copies them in its own run.
 */
export function receiverStateFlow(message: "added" | "modified"): ProductFlow {
  const name = message === "added" ? "Create ReceiverState" : "Update ReceiverState";
  const f = new ProductFlow({
    key: `receiver-state-${message}`,
    displayName: label(name, message === "added" ? "Empfängerstatus erstellt" : "Empfängerstatus geändert"),
    purpose: "Adds CleverReach's decline to every contact and lead with the address, once CleverReach confirms it.",
  });
  f.useDataverse();
  const cr = f.useCleverReach();
  const states = odata.filter(odata.or(...DECLINING_STATES.map((v) => odata.eq(COLUMNS.state, odata.int(v)))));
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
  a.add("Init_wanted", initializeVariable("wanted", "array", []));
  a.add("Init_linked", initializeVariable("linked", "array", []));
  a.add("Init_people", initializeVariable("people", "array", []));
  a.add("Init_changed", initializeVariable("changed", "boolean", false));
  a.add("Init_errors", initializeVariable("errors", "array", []));
  a.add("Init_passed_over", initializeVariable("passedOver", "array", []));
  initLock(a);
  a.add("Address", compose(normalised(row(COLUMNS.email))));
  a.condition("No_address", empty(outputs("Address")), (n) => n.add("Nothing_to_apply", terminate("Succeeded")));
  // At the top level, not in a Try: a round takes each person's lock (patterns/lockEach.ts), whose
  // wait reaches six levels below the person loop, and the platform allows eight.
  a.until(
    "Until_settled",
    not(variables("changed")),
    (u) => {
      u.add("Round_starts", setVariable("changed", false));
      u.add("Forget_wanted", setVariable("wanted", []));
      u.add("Forget_linked", setVariable("linked", []));
      u.add("Forget_people", setVariable("people", []));
      confirmedDeclines(u, cr);
      addToPeople(u);
    },
    // A round may wait for each person's lock (LOCK_WAIT_HOURS at most): the rounds, not the
    // loop's default hour, end the loop, so a slow round is not mistaken for an unsettled one.
    { limit: { count: RECEIVER_STATE_ROUNDS, timeout: `PT${RECEIVER_STATE_ROUNDS * LOCK_WAIT_HOURS}H` } },
  );
  a.condition("Unsettled", variables("changed"), (x) => {
    x.add(
      "Append_unsettled",
      appendToArrayVariable(
        "errors",
        `other runs kept changing the same people for ${RECEIVER_STATE_ROUNDS} rounds; the next run for this address completes it`,
      ),
    );
  });
  a.condition("Any_errors", not(empty(variables("errors"))), (x) => {
    x.add("Stop_with_errors", terminate("Failed", { code: "ReceiverStateFailed", message: join(variables("errors"), "; ") }));
  });
  a.scope(
    "Catch",
    (c) => {
      c.add("Failures", failedInside("Until_settled"));
      const failed = first(body("Failures"));
      failRun({
        code: "ReceiverStateFailed",
        errorText: (step, msg) =>
          concat(`${name}: applying the decline of receiver state `, row(TABLES.receiverState.idColumn), " failed at ", step, ": ", msg),
      })(c, { step: coalesce(failed.get("name"), "Until_settled"), message: coalesce(failed.get("error").get("message"), "see the flow run for details") });
    },
    { after: { Until_settled: ["Failed", "TimedOut"] } },
  );
  return f;
}

/**
 * Every declining Receiver State row of the address, each confirmed with CleverReach, into
 * "wanted" (one entry per type the group's record sends) and the persons CleverReach names as the
 * receivers' CRM rows into "linked".
 */
function confirmedDeclines(u: ScopeBuilder, cr: string): void {
  const address = outputs("Address");
  const rs = TABLES.receiverState;
  const owners = GROUP_OWNERS.map((o) => o.lookup.logicalName);
  u.add(
    "Rows_of_address",
    listRows({
      entitySet: rs.entitySet,
      fetchXml: fetchXml(
        fetch(
          entity(
            rs.logicalName,
            ...attributes([
              rs.idColumn,
              COLUMNS.email,
              COLUMNS.groupId,
              COLUMNS.state,
              COLUMNS.lastEventOn,
              LOOKUPS.contact.logicalName,
              LOOKUPS.lead.logicalName,
            ]),
            ...owners.map(attribute),
            filter(condition(COLUMNS.state, "in", ...DECLINING_STATES.map((s) => value(s))), condition(COLUMNS.email, "like", text(addressPattern(address)))),
          ),
        ),
      ),
    }),
  );
  u.add("Address_rows", filterArray(body("Rows_of_address").get("value"), equals(normalised(item().get(COLUMNS.email)), address)));
  u.forEachOneAtATime("Each_row", body("Address_rows"), (r) => {
    const it = items("Each_row");
    const groupId = string(coalesce(it.get(COLUMNS.groupId), ""));
    const ownerSet: Ex = GROUP_OWNERS.reduceRight<Ex>((rest, o) => ifElse(not(empty(it.get(o.lookup.value))), o.entitySet, rest), lit(""));
    r.add("Owner_set", compose(ownerSet));
    r.condition("Has_owner", and(not(empty(outputs("Owner_set"))), not(empty(groupId))), (o) => {
      const ownerId = coalesce(...(GROUP_OWNERS.map((g) => it.get(g.lookup.value)) as [Ex, ...Ex[]]));
      o.add("Get_owner", getRow(outputs("Owner_set").value, ownerId, [COLUMNS.cleverReachGroupId, COLUMNS.newsletterChecklist]));
      // The group id on the record is written only by the flows; the row's own could be anyone's.
      o.condition("Owner_has_group", equals(string(coalesce(body("Get_owner").get(COLUMNS.cleverReachGroupId), "")), groupId), (g) => {
        g.add("Get_receiver", cleverReachAction(cr, "GetGroupReceiver", { group_id: int(groupId), pool_id: outputs("Address") }));
        g.condition(
          "Receiver_unreadable",
          not(equals(outputs("Get_receiver").get("statusCode"), 404)),
          (x) => {
            x.add(
              "Append_receiver_error",
              appendToArrayVariable(
                "errors",
                concat("reading the receiver from CleverReach group ", groupId, " failed: ", string(outputs("Get_receiver").get("body"))),
              ),
            );
          },
          { after: { Get_receiver: ["Failed"] } },
        );
        const receiver = body("Get_receiver");
        const confirmed = or(greater(coalesce(receiver.get("deactivated"), 0), 0), greater(coalesce(receiver.get("bounced"), 0), 0));
        g.condition(
          "Confirmed",
          confirmed,
          (c) => {
            const checklist = coalesce(body("Get_owner").get(COLUMNS.newsletterChecklist), "");
            c.add("Owner_rows", compose(json(ifElse(empty(trim(checklist)), "[]", checklist))));
            c.add("Sent_rows", filterArray(outputs("Owner_rows"), equals(item().get("state"), SENT)));
            c.add(
              "Row_declines",
              select(body("Sent_rows"), {
                id: int(item().get("id")),
                group: groupId,
                on: it.get(COLUMNS.lastEventOn),
                state: stateName(it.get(COLUMNS.state)),
              } as Value),
            );
            c.add("Wanted_keys", select(variables("wanted"), declineKey(item())));
            c.add("Row_new", filterArray(body("Row_declines"), not(contains(body("Wanted_keys"), declineKey(item())))));
            c.add("Wanted_merge", compose(union(variables("wanted"), body("Row_new"))));
            c.add("Wanted_keep", setVariable("wanted", outputs("Wanted_merge")));
            // The person CleverReach says this receiver stands for gets it too, whatever their
            // address is now (an address changed before the decline came back).
            const crmId = toLower(string(coalesce(receiver.get("attributes").get("crm_id"), receiver.get("global_attributes").get("crm_id"), "")));
            const linkedSet = ifElse(
              equals(toLower(string(coalesce(it.get(LOOKUPS.contact.value), ""))), crmId),
              CONTACT.entitySetName,
              ifElse(equals(toLower(string(coalesce(it.get(LOOKUPS.lead.value), ""))), crmId), LEAD.entitySetName, ""),
            );
            c.add("Linked_set", compose(linkedSet));
            // Kept unconditionally (an empty set or id is dropped when the people are listed): a
            // condition here would nest one level deeper than the platform allows.
            c.add("Append_linked", appendToArrayVariable("linked", { set: outputs("Linked_set"), id: crmId } as Value));
          },
          { after: { Get_receiver: ["Succeeded"] } },
        );
      });
    });
  });
}

/**
 * Adds what "wanted" holds to every person of the address and every linked person, only what is
 * missing. Each person's declines are read and written under the person's lock (the lock Contact /
 * Lead changed hold for their whole run, events/personEventFlows/personLock.ts): the copy of the
 * address's declines there reads and writes the same column whole (addressDeclines.ts), and Update
 * a row cannot compare versions, so without the lock a write of this flow between that copy's
 * read and its write was lost. One person's lock at a time (lockEach), never two.
 */
function addToPeople(u: ScopeBuilder): void {
  const address = outputs("Address");
  u.condition("Anything_wanted", not(empty(variables("wanted"))), (w) => {
    peopleWithAddress(w, "People_of_address", address);
    w.add("Linked_people", filterArray(variables("linked"), and(not(empty(item().get("set"))), not(empty(item().get("id"))))));
    w.add("Keep_people", setVariable("people", union(outputs("People_of_address"), body("Linked_people"))));
  });
  u.add("People_to_add_to", filterArray(variables("people"), not(contains(variables("passedOver"), item().get("id")))));
  // Beside the condition, not in it: lockEach needs the loop at the second level at most.
  u.forEachOneAtATime("Each_person", body("People_to_add_to"), (e) => {
    const person = items("Each_person");
    const who = concat("the declines from CleverReach on ", person.get("set"), "(", person.get("id"), ")");
    lockEach(
      e,
      {
        kind: "declines",
        table: person.get("set"),
        recordId: person.get("id"),
        what: "Adding CleverReach's decline",
        code: "ReceiverStateFailed",
        advice:
          "The person's own run copies the declines of the other rows with the address when the person is saved again; " +
          "a decline only this person had comes back with the next Receiver State run for the address.",
        // Reported once: later rounds pass this person over (another wait would only repeat the answer).
        report: (c, text, name) => {
          c.add(name, appendToArrayVariable("errors", concat(who, ": ", text)));
          c.add(`${name}_pass_over`, appendToArrayVariable("passedOver", person.get("id")));
        },
      },
      "Add_declines",
      (s) => addToPerson(s, person, who),
    );
  });
}

/** One person, under their lock: reads the declines and writes back what is stored plus what is missing. */
function addToPerson(e: ScopeBuilder, person: Ex, who: Ex): void {
  e.add("Get_declines", getRow(person.get("set").value, person.get("id"), [COLUMNS.cleverReachDeclines]));
  const stored = coalesce(body("Get_declines").get(COLUMNS.cleverReachDeclines), "");
  e.add("Stored_declines", compose(json(ifElse(empty(trim(stored)), "[]", stored))));
  e.add(
    "Append_unreadable",
    appendToArrayVariable(
      "errors",
      concat(who, " are not a JSON array, so nothing was added to them; the person is left out of every group until an administrator corrects the column"),
    ),
    { Stored_declines: ["Failed"] },
  );
  e.scope(
    "Declines_read",
    (ok) => {
      ok.add("Stored_keys", select(outputs("Stored_declines"), declineKey(item())));
      ok.add("Missing", filterArray(variables("wanted"), not(contains(body("Stored_keys"), declineKey(item())))));
      ok.condition("Anything_missing", not(empty(body("Missing"))), (m) => {
        m.add(
          "Write_declines",
          updateRow(person.get("set").value, person.get("id"), {
            [COLUMNS.cleverReachDeclines]: string(union(outputs("Stored_declines"), body("Missing"))),
          }),
        );
        m.add("Wrote", setVariable("changed", true));
      });
    },
    { after: { Stored_declines: ["Succeeded"] } },
  );
}

export const receiverStateFlows = (): ProductFlow[] => [receiverStateFlow("added"), receiverStateFlow("modified")];
