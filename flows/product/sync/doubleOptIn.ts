import type { Json, WdlAction } from "../../toolkit/wdl";
import { actions, body, item, items, lit, outputs, result, variables, type Ex } from "../../toolkit/expr/build";
import { compose, delay, filterArray, NO_RETRY, select, setVariable } from "../../toolkit/builder/actions";
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
  first,
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
import {
  DOI_MARK,
  doiData,
  doubleOptInFormMissing,
  doubleOptInFormNotCreated,
  doubleOptInNotANumber,
  FORM_TEMPLATE,
  SEND_FAILURES_NAMED,
  SEND_NOTE,
} from "../rules/doubleOptIn";
import { syncFailureText } from "./messages";

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

/** The variable (integer) holding the form that sends this group's confirmation mails; 0 while none. */
export const CONFIRMATION_FORM = "formId";

/**
 * Before anything is added or removed: with double opt-in on, the form that sends this group's
 * confirmation mails (confirmationFormFor() in the rules: the named form when it is the group's, else
 * the group's form of the same name, else one created from CleverReach's "default" template with that
 * name), in CONFIRMATION_FORM; or why there is none, in words, through `stop` (code and text).
 * Runs in "CleverReach - Ensure group", under Sync group's lock on the record: one run per group at a
 * time, so a group never gets two forms from two runs. A create whose answer is lost (or that
 * answers without an id, which the integration core takes as a failure) is not re-sent: the group's
 * forms are read again and one of that name is taken; only when none appeared does the run stop, and
 * the next run creates it.
 * Cost: one call (the group's forms) when the named form is the group's; for another group one more
 * (the named form), and once per group one create.
 */
export function confirmationForm(
  s: ScopeBuilder,
  cr: string,
  setting: Ex,
  groupId: Ex,
  when: Ex,
  stop: (c: ScopeBuilder, name: string, code: string, text: Ex) => void,
): void {
  const formId = doubleOptInFormId(setting);
  const none = equals(variables(CONFIRMATION_FORM), 0);
  // Containers side by side, each going on only while no form and no stop are known: a flow nests at most 8 deep.
  s.condition("Form_setting_invalid", and(when, not(greater(formId, 0))), (bad) =>
    stop(bad, "Setting_not_a_form", "InvalidConfiguration", textOf(doubleOptInNotANumber, setting)),
  );
  // Only forms whose group is this one count, as in the integration core (CreateDefaultFormTask::getFormId).
  const own = (forms: Ex, also?: Ex): WdlAction => {
    const mine = equals(string(item().get("customer_tables_id")), string(groupId));
    return filterArray(forms, also ? and(mine, also) : mine);
  };
  const name = body("Named_form").get("name");
  s.condition("Form_stage", and(when, greater(formId, 0)), (f) => {
    f.add("Group_forms", cleverReachAction(cr, "ListGroupForms", { group_id: int(groupId) }));
    f.add("Own_forms", own(body("Group_forms")));
    f.add("Own_form_ids", select(body("Own_forms"), string(item().get("id"))));
    f.condition("Named_form_is_own", contains(body("Own_form_ids"), string(formId)), (yes) =>
      yes.add("Take_named_form", setVariable(CONFIRMATION_FORM, formId)),
    );
    f.condition("Named_form_elsewhere", none, (other) => {
      other.add("Named_form", cleverReachAction(cr, "GetForm", { form_id: formId }));
      other.condition(
        "Named_form_read",
        equals(actions("Named_form").get("status"), "Succeeded"),
        (named) => {
          named.add("Own_copies", own(body("Group_forms"), equals(item().get("name"), name)));
          named.condition("Own_copy_exists", not(empty(body("Own_copies"))), (copy) =>
            copy.add("Take_own_copy", setVariable(CONFIRMATION_FORM, int(first(body("Own_copies")).get("id")))),
          );
        },
        (unread) =>
          unread.condition(
            "Named_form_missing",
            equals(outputs("Named_form").get("statusCode"), 404),
            (gone) => stop(gone, "Named_form_gone", "InvalidConfiguration", textOf(doubleOptInFormMissing, formId)),
            (failed) => stop(failed, "Named_form_failed", "SyncFailed", syncFailureText(actions("Named_form"), lit(true))),
          ),
        { after: { Named_form: ["Succeeded", "Failed", "TimedOut"] } },
      );
    });
    // Still none and no stop (`when` holds the stop): the named form was read, the group has no copy.
    f.condition("Create_if_no_form", and(when, none), (c) => createGroupForm(c, cr, groupId, name, own, stop));
  });
}

/** The group's own copy of the named form, from the "default" template, created at most once (confirmationForm()). */
function createGroupForm(
  s: ScopeBuilder,
  cr: string,
  groupId: Ex,
  name: Ex,
  own: (forms: Ex, also?: Ex) => WdlAction,
  stop: (c: ScopeBuilder, name: string, code: string, text: Ex) => void,
): void {
  const create = cleverReachAction(cr, "CreateFormFromTemplate", { group_id: int(groupId), template: FORM_TEMPLATE, "body/name": name, "body/title": name });
  s.add("Create_form", { ...create, inputs: { ...(create.inputs as Record<string, Json>), retryPolicy: NO_RETRY as unknown as Json } });
  s.condition(
    "Form_created",
    and(equals(actions("Create_form").get("status"), "Succeeded"), not(empty(string(coalesce(body("Create_form").get("id"), ""))))),
    (made) => made.add("Take_new_form", setVariable(CONFIRMATION_FORM, int(body("Create_form").get("id")))),
    (unsure) => {
      unsure.add("Forms_after_create", cleverReachAction(cr, "ListGroupForms", { group_id: int(groupId) }));
      unsure.add("Appeared_forms", own(body("Forms_after_create"), equals(item().get("name"), name)));
      unsure.condition(
        "Form_appeared",
        not(empty(body("Appeared_forms"))),
        (a) => a.add("Take_appeared_form", setVariable(CONFIRMATION_FORM, int(first(body("Appeared_forms")).get("id")))),
        (n) => {
          const answer = concat(
            string(coalesce(outputs("Create_form").get("statusCode"), "")),
            ": ",
            // CleverReach's own words ({"error": {"message"}}) first, then the platform's, then the answer as it came.
            coalesce(
              outputs("Create_form").get("body").get("error").get("message"),
              actions("Create_form").get("error").get("message"),
              string(coalesce(outputs("Create_form").get("body"), "no id in the answer")),
            ),
          );
          stop(n, "Form_not_created", "SyncFailed", textOf(doubleOptInFormNotCreated, name, groupId, answer));
        },
      );
    },
    { after: { Create_form: ["Succeeded", "Failed", "TimedOut"] } },
  );
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

/**
 * The sends' pace. Each send is one call on the CleverReach connection, which the platform allows
 * 500 times a minute (a custom connector's limit: flows/toolkit/sim/limits.ts, CUSTOM_CONNECTOR_RATE);
 * beyond it the gateway answers 429 without forwarding the call. A send is never retried (a lost
 * answer may have been a mail), so a refused one would stay unsent: each of the `atOnce` parallel
 * sends first waits `secondsEach`, which keeps a run at most atOnce × 60 / secondsEach sends a
 * minute (300), leaving the rest of the rate to the other runs on the connection. Found by the
 * double opt-in bench: unpaced, a first sync of 1,000 new people mailed 481 and noted 519 as 429.
 */
export const SEND_PACE = { atOnce: 10, secondsEach: 2 } as const;
const SENDS_AT_ONCE = SEND_PACE.atOnce;

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
 * The mail of `formId` (the group's form: confirmationForm()) for every receiver a batch marked (each batch's `Confirm_list` in `batchResults`),
 * each once: a failed send or a lost answer is not retried, by this run or any later one (the mark
 * stays), and is noted for the record (confirmationsNotSentNote()); the run goes on. The batches go
 * one at a time (at most 5 a page), as each adds its failures to a variable; their sends at once.
 */
export function askForConfirmations(p: ScopeBuilder, cr: string, formId: Ex, group: Ex, batchResults: Ex, table: Ex, recordId: Ex): void {
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
        // Paced: a send that the connection's rate refuses (429) is not sent again (no retry, see
        // sendOnce), so the sends must stay under the rate (SEND_PACE).
        e.add("Pace_send", delay(SEND_PACE.secondsEach, "Second"));
        e.add(
          "Send_confirmation",
          sendOnce(
            cleverReachAction(cr, "SendDoubleOptInMail", {
              form_id: formId,
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
