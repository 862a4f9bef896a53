import type { Json, WdlAction } from "../../toolkit/wdl";
import { body, item, items, outputs, result, variables, type Ex } from "../../toolkit/expr/build";
import { compose, filterArray, select, setVariable } from "../../toolkit/builder/actions";
import { unixNow } from "../patterns/unixTime";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { cleverReachAction } from "../patterns/cleverreach";
import {
  addProperty,
  and,
  coalesce,
  concat,
  contains,
  empty,
  equals,
  greater,
  ifElse,
  int,
  isInt,
  join,
  json,
  length,
  not,
  or,
  string,
  take,
  trim,
  union,
  utcNow,
} from "../../toolkit/expr/functions";
import { DOI_MARK, doiData, doubleOptInFormNotOfGroup, doubleOptInNotANumber, SEND_FAILURES_NAMED, SEND_NOTE } from "../rules/doubleOptIn";

/**
 * Double opt-in in the flows (README.md, "Double opt-in"; the rules and their sources:
 * flows/product/rules/doubleOptIn.ts). Sync group is the one place that creates receivers while it
 * is on (the person flows hand a new person to it), under the record's lock, so that two runs never
 * both see a receiver as new and ask twice.
 */

/** Whether the setting turns double opt-in on (anything but 0, empty or white space; an invalid value is on, and refused). */
export const doubleOptInOn = (setting: Ex): Ex => not(or(empty(trim(setting)), equals(trim(setting), "0")));

/** The form id the setting names; 0 when it names none (isInt() first: int() of a non-number fails the run). */
export const doubleOptInFormId = (setting: Ex): Ex => int(ifElse(isInt(trim(setting)), trim(setting), "0"));

/** A rule's text with the flow's values in place of its placeholders (one text, written once, in the rule). */
function textOf(template: (...values: string[]) => string, ...values: Ex[]): Ex {
  const parts = template(...values.map((_, i) => `\u0001${i}\u0001`)).split(/\u0001(\d+)\u0001/);
  // split() with a group: text, index, text, index, …, text.
  const pieces: Array<Ex | string> = [];
  parts.forEach((p, i) => {
    if (i % 2 === 1) pieces.push(string(values[Number(p)] as Ex));
    else if (p !== "") pieces.push(p);
  });
  const [first, ...rest] = pieces;
  return concat(first as Ex | string, ...rest);
}

/**
 * Before anything is added or removed: with double opt-in on, the setting must be a form id and the
 * form one of the group's (CleverReach's integration core reads a group's forms with
 * `groups.json/{id}/forms`). `stop` gets the rule's sentence (doubleOptInProblem()).
 */
export function checkDoubleOptInForm(s: ScopeBuilder, cr: string, setting: Ex, groupId: Ex, stop: (c: ScopeBuilder, text: Ex) => void): void {
  s.condition("Double_opt_in_on", doubleOptInOn(setting), (on) => {
    on.add("Group_forms", cleverReachAction(cr, "ListGroupForms", { group_id: int(groupId) }));
    on.add("Group_form_ids", select(body("Group_forms"), string(item().get("id"))));
    const formId = doubleOptInFormId(setting);
    const isFormId = and(isInt(trim(setting)), greater(formId, 0));
    on.add(
      "Form_problem",
      compose(
        ifElse(
          not(isFormId),
          textOf(doubleOptInNotANumber, setting),
          ifElse(contains(body("Group_form_ids"), string(formId)), "", textOf(doubleOptInFormNotOfGroup, formId, groupId)),
        ),
      ),
    );
    on.condition("Form_unusable", not(equals(outputs("Form_problem"), "")), (bad) => stop(bad, outputs("Form_problem")));
  });
}

/** A receiver as CleverReach answered it that is new to the group: isNewReceiver() in the rules. */
export const isNewReceiverEx = (r: Ex): Ex =>
  and(equals(r.get("activated"), 0), equals(r.get("deactivated"), 0), equals(coalesce(r.get("attributes").get(DOI_MARK.name), ""), ""));

/**
 * The mail is asked for at most once: a lost answer must not make the platform send the request
 * again (its default policy retries a 504), so no retry; the mark, written before, keeps every
 * later run from asking again.
 */
const sendOnce = (action: WdlAction): WdlAction => ({ ...action, inputs: { ...(action.inputs as Record<string, Json>), retryPolicy: { type: "none" } } });

/** Mails asked for at once (one call each: CleverReach has no batch send). */
const SENDS_AT_ONCE = 10;

/**
 * The upsert entry for a new receiver: with double opt-in on, the mark with the time (it is asked to
 * confirm; `activated` left out, so that a click in between is kept); off, activated now (as before).
 */
export function newReceiverWrite(r: Ex, setting: Ex): Ex {
  const entry = addProperty(json("{}"), "email", r.get("email"));
  return ifElse(
    doubleOptInOn(setting),
    addProperty(entry, "attributes", addProperty(json("{}"), DOI_MARK.name, utcNow())),
    addProperty(entry, "activated", unixNow()),
  );
}

/**
 * The batch's receivers to mail, at the batch's top level so that askForConfirmations() finds them
 * in the batches' results: the new ones, once the upsert that marked them (inside "Any_new") has
 * succeeded (a failed one fails the batch, and nobody is mailed); none with double opt-in off. The
 * mark's group attribute is made by Ensure group with the others, which stops the run if it cannot.
 */
export function markedForConfirmation(b: ScopeBuilder, setting: Ex, fresh: Ex): void {
  // An object, as every other top-level step's outputs: the batch's results are read by property.
  b.add("Confirm_list", compose({ receivers: ifElse(doubleOptInOn(setting), fresh, json("[]")) }));
}

/** Sends that failed or lost their answer in this run, "address (status: answer)"; initialised by the flow. */
export const SEND_FAILURES = "confirmationFailures";

/**
 * The form's mail for every receiver a batch marked (each batch's `Confirm_list` in `batchResults`),
 * each once: a failed send or a lost answer is not retried, by this run or any later one (the mark
 * stays), and is noted for the record (confirmationsNotSentNote()); the run goes on. The batches go
 * one at a time (at most 5 a page), as each adds its failures to a variable; their sends at once.
 */
export function askForConfirmations(p: ScopeBuilder, cr: string, setting: Ex, group: Ex, batchResults: Ex, table: Ex, recordId: Ex): void {
  p.add(
    "Batches_to_confirm",
    filterArray(batchResults, and(equals(item().get("name"), "Confirm_list"), not(empty(coalesce(item().get("outputs").get("receivers"), json("[]")))))),
  );
  p.forEachOneAtATime("Confirm_batches", body("Batches_to_confirm"), (c) => {
    c.forEach(
      "Send_confirmations",
      items("Confirm_batches").get("outputs").get("receivers"),
      (e) => {
        const email = items("Send_confirmations").get("email");
        e.add(
          "Send_confirmation",
          sendOnce(
            cleverReachAction(cr, "SendDoubleOptInMail", {
              form_id: doubleOptInFormId(setting),
              body: {
                email,
                groups_id: group,
                doidata: {
                  user_ip: doiData("", "").user_ip,
                  referer: textOf((t, id) => doiData(t ?? "", id ?? "").referer, table, recordId),
                  user_agent: doiData("", "").user_agent,
                },
              },
            }),
          ),
        );
        e.add(
          "Send_failed",
          compose(concat(email, " (", string(outputs("Send_confirmation").get("statusCode")), ": ", string(outputs("Send_confirmation").get("body")), ")")),
          { Send_confirmation: ["Failed", "TimedOut"] },
        );
      },
      { concurrency: SENDS_AT_ONCE },
    );
    c.add("Failed_sends", filterArray(result("Send_confirmations"), and(equals(item().get("name"), "Send_failed"), equals(item().get("status"), "Succeeded"))));
    c.add("Failed_send_texts", select(body("Failed_sends"), item().get("outputs")));
    c.add("All_send_failures", compose(union(variables(SEND_FAILURES), body("Failed_send_texts"))));
    c.add("Keep_send_failures", setVariable(SEND_FAILURES, outputs("All_send_failures")));
  });
}

/** The note for the record of this run's failed sends, or null (confirmationsNotSentNote()). */
export const sendFailuresNote = (): Ex =>
  ifElse(
    empty(variables(SEND_FAILURES)),
    null,
    concat(
      SEND_NOTE.start,
      join(take(variables(SEND_FAILURES), SEND_FAILURES_NAMED), "; "),
      ifElse(greater(length(variables(SEND_FAILURES)), SEND_FAILURES_NAMED), "; …", ""),
      SEND_NOTE.end,
    ),
  );
