import { recordError } from "../../patterns/recordError";
import { MAX_PAGE_SIZE, UPSERT_BATCH_LIMIT } from "../../../../connector/src/definition/definitions";
import { COLUMNS } from "../../../../solution/src/model/handles";
import { actions, body, item, items, lit, outputs, result, tpl, variables, type Ex } from "../../../toolkit/expr/build";
import { keepReadFailure, orReadFailed, readFailed, readFailureOr } from "./readFailures";
import { compose, filterArray, incrementVariable, select, setVariable, terminate } from "../../../toolkit/builder/actions";
import { eachFetchPage } from "../../../toolkit/builder/fetchPages";
import { cleverReachAction } from "../../patterns/cleverreach";
import { listRows, updateRow } from "../../../toolkit/builder/dataverse";
import { condition, embed, fetchXml, filter, prependToEntity, value } from "../../../toolkit/builder/fetchXml";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { unixNow } from "../../patterns/unixTime";
import { count, logAndStop, logSyncRun } from "./syncLog";
import { normalizedEmail, validEmail } from "../expressions";
import { SKIPPED_EXAMPLES } from "../../rules/messages";
import { isLargeRemoval, largeRemovalText, loopFailureText } from "../messages";
import { CHECKED, checkPeople, indexValue } from "./personChecklist";
import { declinedElsewhere, readDeclines, withoutDeclined } from "./declines";
import { receiverFromPerson, SYNC_MARK, syncMarkAttributes, withSyncMark } from "../receivers";
import { mappedAttributes, mappedSlots, withMappedAttributes } from "../mappedFields";
import { askForConfirmations, doubleOptInOn, isNewReceiverEx, markedForConfirmation, newReceiverWrite } from "../doubleOptIn";
import {
  addProperty,
  and,
  chunk,
  coalesce,
  concat,
  contains,
  createArray,
  equals,
  first,
  greater,
  ifElse,
  int,
  join,
  json,
  length,
  less,
  not,
  or,
  string,
  sub,
  take,
  toLower,
  union,
} from "../../../toolkit/expr/functions";

/** Receivers removed in parallel (each removal is one call: CleverReach has no batch delete). */
const REMOVAL_CONCURRENCY = 20;
/** E-mail addresses per query when asking whether unmarked receivers are wanted (the URL stays far below 16,384 characters). */
const EMAILS_PER_RECHECK = 100;
/** Writes of the derived column at once (one person each; the Dataverse connector has no batch write). */
const INDEX_WRITES_AT_ONCE = 20;
/** The sweep's pages and re-reads: the platform's Until cap, a day on the clock. */
const SWEEP_LIMIT = { count: 5000, timeout: "PT24H" };

/** The safety valve's count of the group's active receivers and of those the sweep may remove; initialised by the flow. */
export const REMOVAL_COUNT = { counting: "countingRemovals", unmarked: "unmarkedCount", active: "activeCount" };

/** The variables reconcile() uses; the flow initialises them at its top. */
export const PEOPLE_PAGES = { page: "page", cookie: "pagingCookie", more: "morePeople" };
/** How many people were left out for their address, and a few of their addresses for the record. */
export const SKIPPED = { count: "skippedInvalid", examples: "skippedExamples" };

/**
 * Mark and sweep (flows/product/README.md, "Sync group"). Every wanted receiver is upserted, a page of
 * people at a time, with the time of its batch as its mark; then the group's active receivers
 * are read a page at a time and those marked before this run began writing are removed. Nothing
 * held grows with the group: one page of people, one batch, one page of receivers.
 *
 * Existing receivers are sent without activation fields, so an unsubscribed one stays so
 * (CleverReach refuses to re-activate a deactivated receiver all the same: integration core
 * Proxy::prepareRecipientsForApiCall). A new one is activated: at once in a group this run
 * created, else by a second upsert of the batch's receivers that came back neither activated nor
 * deactivated. Marks are written per batch and compared as text: a receiver another run wrote
 * after this one began is newer and stays, and an older mark is only a candidate, removed when no
 * query selects its address now (stillWanted). Anything left unread (a limit reached, a mark that
 * did not stick) stops the run before the sweep, so nobody is removed for being cut off.
 */
export function reconcile(
  s: ScopeBuilder,
  cr: string,
  groupId: Ex,
  entitySet: Ex,
  recordId: Ex,
  largeRemovalConfirmed: Ex,
  doubleOptIn: Ex,
  confirmationForm: Ex,
  table: Ex,
): void {
  const group = int(groupId);
  s.add("Sync_started", compose(syncMarkAttributes()));
  const started = outputs("Sync_started").get(SYNC_MARK.name);
  readDeclines(s, cr, group, SWEEP_LIMIT);
  // One query at a time: its pages share the paging variables.
  // Nobody is sent when the unsubscribes could not be read (readFailures.ts; Everyone_read stops the run).
  s.forEachOneAtATime("Each_query", ifElse(readFailed(), json("[]"), variables("queries")), (q) => {
    const query = items("Each_query");
    const { complete } = eachFetchPage(
      q,
      "Read_people",
      {
        entitySet: query.get("entitySet").value,
        fetch: query.get("fetch"),
        variables: PEOPLE_PAGES,
        onPageFailure: { note: (u) => keepReadFailure(u, "people", groupId), stopWhen: readFailed() },
      },
      (p, rows) => {
        // Eligibility from each person's own checklist (personChecklist.ts), not from the derived column.
        const { checked } = checkPeople(p, "Check_people", rows, "checked", outputs("Wanted_xpath"));
        p.add("Eligible_rows", filterArray(checked, CHECKED.wanted(item())));
        const row = item().get("row");
        // With the mapped columns (README.md, "Field mapping"); the query's slots once, so that the
        // receiver's expression stays short (at most 8192 characters).
        p.add("Query_slots", compose(mappedSlots(query.get("table"))));
        const receiver = withMappedAttributes(receiverFromPerson(row, query.get("table")), mappedAttributes(row, outputs("Query_slots")));
        p.add("People", select(body("Eligible_rows"), receiver));
        p.add("Valid_people", filterArray(body("People"), validEmail(item().get("email"))));
        // A person whose address is not valid even trimmed is left out and counted for the record
        // (one bad address never stops the group: CleverReach refuses a whole batch for it).
        p.add("Invalid_people", filterArray(body("People"), not(validEmail(item().get("email")))));
        p.condition("Any_invalid", greater(length(body("Invalid_people")), 0), (x) => {
          x.add("Count_skipped", incrementVariable(SKIPPED.count, length(body("Invalid_people"))));
          x.add("Skipped_examples", select(body("Invalid_people"), item().get("email")));
          x.add("Merge_skipped", compose(take(union(variables(SKIPPED.examples), body("Skipped_examples")), SKIPPED_EXAMPLES)));
          x.add("Keep_skipped", setVariable(SKIPPED.examples, outputs("Merge_skipped")));
        });
        // A person who declined the group under an earlier address stays out (declines.ts).
        const sendable = withoutDeclined(p, body("Valid_people"));
        count(p, "Count_sent", "sent", length(sendable));
        // Batches go at once; each notes what it found, read from result() after the loop (iterations
        // running at once must not write a variable).
        p.forEach("Upsert_batches", chunk(sendable, UPSERT_BATCH_LIMIT), (b) => {
          b.add("Batch_mark", compose(syncMarkAttributes()));
          const markedReceiver = withSyncMark(item(), outputs("Batch_mark"));
          // With double opt-in on, nobody is activated by the product (doubleOptIn.ts).
          const activateAtOnce = and(variables("created"), not(doubleOptInOn(doubleOptIn)));
          b.add("Marked", select(items("Upsert_batches"), ifElse(activateAtOnce, addProperty(markedReceiver, "activated", unixNow()), markedReceiver)));
          b.add("Upsert_receivers", cleverReachAction(cr, "UpsertReceivers", { group_id: group, body: body("Marked") }));
          // New to the group: neither activated nor deactivated, and never asked to confirm (a
          // receiver awaiting its confirmation stays inactive until the person clicks).
          b.add("Not_yet_active", filterArray(body("Upsert_receivers"), isNewReceiverEx(item())));
          b.condition("Any_new", greater(length(body("Not_yet_active")), 0), (n) => {
            // Off: activated at once. On: marked as asked (askForConfirmations() mails them after the batches).
            n.add("Activations", select(body("Not_yet_active"), newReceiverWrite(item(), doubleOptIn)));
            n.add("Activate_new", cleverReachAction(cr, "UpsertReceivers", { group_id: group, body: body("Activations") }));
          });
          markedForConfirmation(b, doubleOptIn, body("Not_yet_active"));
          const markKept = equals(first(body("Upsert_receivers")).get("attributes").get(SYNC_MARK.name), outputs("Batch_mark").get(SYNC_MARK.name));
          b.add("Batch_check", compose({ markKept, added: length(body("Not_yet_active")) }));
          // A batch CleverReach refused (after the retries) is noted for the words on the record; the
          // other batches go on. Read from result() after the loop, as iterations run at once.
          b.add(
            "Batch_refused",
            compose({
              kind: "upsert",
              count: length(items("Upsert_batches")),
              status: coalesce(outputs("Upsert_receivers").get("statusCode"), 0),
              message: coalesce(actions("Upsert_receivers").get("error").get("message"), string(coalesce(outputs("Upsert_receivers").get("body"), ""))),
            }),
            { Upsert_receivers: ["Failed", "TimedOut"] },
          );
          // The same for the activation of the batch's new receivers (they stay in the group, inactive).
          b.add(
            "Activation_refused",
            compose({
              kind: "activate",
              count: length(body("Activations")),
              status: coalesce(outputs("Activate_new").get("statusCode"), 0),
              message: coalesce(actions("Activate_new").get("error").get("message"), string(coalesce(outputs("Activate_new").get("body"), ""))),
            }),
            { Any_new: ["Failed", "TimedOut"] },
          );
        });
        askForConfirmations(p, cr, confirmationForm, group, result("Upsert_batches"), table, recordId);
        noteRefusals(p);
        const checks = (where: Ex) => filterArray(result("Upsert_batches"), and(equals(item().get("name"), "Batch_check"), where));
        p.add("Batches_mark_lost", checks(equals(item().get("outputs").get("markKept"), false)));
        p.condition("Any_mark_lost", greater(length(body("Batches_mark_lost")), 0), (x) => x.add("Note_mark_lost", setVariable("markLost", true)));
        p.add("Batches_with_new", checks(greater(coalesce(item().get("outputs").get("added"), 0), 0)));
        p.condition("Any_added", greater(length(body("Batches_with_new")), 0), (x) => x.add("Added", setVariable("changed", true)));
        // At most a page's batches (5), one at a time: the loop writes a variable.
        p.forEachOneAtATime("Count_new", body("Batches_with_new"), (l) => count(l, "Count_new_batch", "added", items("Count_new").get("outputs").get("added")));
        correctIndex(p, rows, checked, query);
      },
    );
    q.condition("Query_cut_off", not(complete), (x) => x.add("Note_cut_off", setVariable("cutOff", true)));
  });
  s.condition("Batches_refused", greater(variables(REFUSED.count), 0), (stop) => {
    const first = variables(REFUSED.first);
    const text = (kind: "upsert" | "activate") => loopFailureText(kind, groupId, variables(REFUSED.count), first.get("status"), first.get("message"));
    stop.add("Refusal_text", compose(ifElse(equals(first.get("kind"), "activate"), text("activate"), text("upsert"))));
    stop.add("Refusal_error", updateRow(entitySet.value, recordId, { [COLUMNS.lastSyncError]: recordError(outputs("Refusal_text")) }));
    // Linked to the record, as the Catch's row of any other CleverReach failure is.
    const log = logSyncRun(stop, "Log_refusal", "failed", outputs("Refusal_text"));
    stop.add("Stop_on_refusal", terminate("Failed", { code: "SyncFailed", message: outputs("Refusal_text") }), { [log]: ["Succeeded", "Failed"] });
  });
  stopUnless(s, "Everyone_read", not(variables("cutOff")), entitySet, recordId, "a query of people stopped at its page limit; nobody was removed", true);
  stopUnless(
    s,
    "Marks_kept",
    not(variables("markLost")),
    entitySet,
    recordId,
    `CleverReach did not keep the group attribute ${SYNC_MARK.name}; nobody was removed`,
  );

  // The sweep: a page of active receivers at a time. A page with removals is read again, since
  // the receivers after it have moved up.
  safetyValve(s, cr, group, started, entitySet, recordId, largeRemovalConfirmed, groupId);
  s.add("Sweep_first_page", setVariable("page", 0));
  s.until(
    "Sweep",
    orReadFailed(not(variables("sweeping"))),
    (u) => {
      u.add(
        "Active_page",
        cleverReachAction(cr, "ListGroupReceivers", { group_id: group, page: variables("page"), pagesize: MAX_PAGE_SIZE, type: "active", order_by: "id ASC" }),
      );
      u.add("Unmarked", filterArray(body("Active_page"), less(string(coalesce(item().get("attributes").get(SYNC_MARK.name), "")), started)));
      stillWanted(u, groupId);
      const wanted = contains(variables("stillWanted"), toLower(coalesce(item().get("email"), "")));
      // Nobody is removed once a re-check could not be read: wanted people would look unwanted.
      u.add("To_remove", filterArray(ifElse(readFailed(), json("[]"), body("Unmarked")), not(wanted)));
      count(u, "Count_removed", "removed", length(body("To_remove")));
      u.add("Still_wanted", filterArray(body("Unmarked"), wanted));
      u.condition("Any_still_wanted", greater(length(body("Still_wanted")), 0), (k) => {
        k.add("Confirm_mark", compose(syncMarkAttributes()));
        k.add("Confirmed", select(body("Still_wanted"), { email: item().get("email"), attributes: outputs("Confirm_mark") }));
        k.add("Confirm_receivers", cleverReachAction(cr, "UpsertReceivers", { group_id: group, body: body("Confirmed") }));
        keepReadFailure(k, "confirm", groupId);
      });
      u.forEach(
        "Remove_receivers",
        body("To_remove"),
        (r) => {
          r.add("Remove_receiver", cleverReachAction(cr, "DeleteGroupReceiver", { group_id: group, pool_id: items("Remove_receivers").get("email") }));
          // A failed removal is noted here, so that the other removals go on; the notes are read from
          // the loop's result() afterwards, as iterations running at once must not write a variable.
          r.add(
            "Removal_failed",
            compose({
              statusCode: outputs("Remove_receiver").get("statusCode"),
              text: concat(items("Remove_receivers").get("email"), ": ", string(outputs("Remove_receiver").get("body"))),
            }),
            { Remove_receiver: ["Failed"] },
          );
        },
        { concurrency: REMOVAL_CONCURRENCY },
      );
      // Runs of event flows overlap: another run may have removed a receiver a moment ago, so 404
      // means done. Any other failure stops the sweep and fails the run.
      u.add(
        "Removal_errors",
        filterArray(
          result("Remove_receivers"),
          and(
            equals(item().get("name"), "Removal_failed"),
            equals(item().get("status"), "Succeeded"),
            not(equals(item().get("outputs").get("statusCode"), 404)),
          ),
        ),
      );
      u.condition("Any_removal_failed", greater(length(body("Removal_errors")), 0), (e) => {
        e.add("Keep_removal_errors", setVariable("removalErrors", body("Removal_errors")));
      });
      const removedNone = equals(length(body("To_remove")), 0);
      u.condition(
        "Page_swept",
        removedNone,
        (next) => next.add("Sweep_next_page", incrementVariable("page", 1)),
        (again) => again.add("Removed", setVariable("changed", true)),
      );
      const lastPage = and(less(length(body("Active_page")), MAX_PAGE_SIZE), removedNone);
      u.add("Sweep_more", setVariable("sweeping", not(or(lastPage, greater(length(variables("removalErrors")), 0)))));
      keepReadFailure(u, "sweep", groupId);
    },
    { limit: SWEEP_LIMIT },
  );
  s.condition("Check_removals", greater(length(variables("removalErrors")), 0), (e) => {
    // In words, with the first few receivers named; a page can hold 5000 (the text is one string).
    const failures = variables("removalErrors");
    e.add("Removal_texts", select(take(failures, 20), item().get("outputs").get("text")));
    const status = coalesce(first(failures).get("outputs").get("statusCode"), 0);
    e.add("Removal_error", compose(loopFailureText("remove", groupId, length(failures), status, join(body("Removal_texts"), "; "))));
    e.add("Write_removal_error", updateRow(entitySet.value, recordId, { [COLUMNS.lastSyncError]: recordError(outputs("Removal_error")) }));
    logAndStop(e, "Stop_on_removal_error", outputs("Removal_error"), terminate("Failed", { code: "SyncFailed", message: outputs("Removal_error") }));
  });
  stopUnless(s, "Swept_to_the_end", not(variables("sweeping")), entitySet, recordId, "the sweep stopped at its page limit before the last page", true);
}

/**
 * Counts the page's people whose checklist cannot be read (skipped, never a failed group), and
 * writes the derived column where it does not hold the checklist's accepted ids: the column is only
 * an index (a user or an import may have set it), and the full sync is where it is put right. One
 * write per stale person, 20 at a time; a write that fails is left for the next sync.
 */
function correctIndex(p: ScopeBuilder, rows: Ex, checked: Ex, query: Ex): void {
  p.add("Readable_rows", filterArray(checked, CHECKED.readable(item())));
  p.add("Count_unreadable", incrementVariable("unreadableChecklists", sub(length(rows), length(body("Readable_rows")))));
  p.add("Stale_index", filterArray(body("Readable_rows"), CHECKED.stale(item())));
  p.forEach(
    "Correct_index",
    body("Stale_index"),
    (c) => {
      const row = items("Correct_index").get("row");
      c.add(
        "Write_index",
        updateRow(query.get("entitySet").value, coalesce(row.get("contactid"), row.get("leadid")), { [COLUMNS.acceptedTypes]: indexValue(row) }),
      );
      c.add("Index_not_written", compose(string(outputs("Write_index").get("body"))), { Write_index: ["Failed"] });
    },
    { concurrency: INDEX_WRITES_AT_ONCE },
  );
  p.add("Index_written", filterArray(result("Correct_index"), and(equals(item().get("name"), "Write_index"), equals(item().get("status"), "Succeeded"))));
  p.add("Count_corrected", incrementVariable("indexCorrected", length(body("Index_written"))));
}

/**
 * Which unmarked receivers of the page are wanted all the same, asked of the queries themselves
 * (by e-mail address, a chunk at a time): a mark can be older than this run's start although the
 * person is wanted, when another run's batch, prepared before this run began, landed after this
 * run's own write (retries and throttling delay a batch by minutes). Only receivers no query
 * selects now are removed, so overlapping runs never remove each other's people.
 */
function stillWanted(u: ScopeBuilder, groupId: Ex): void {
  u.add("Still_wanted_reset", setVariable("stillWanted", []));
  // No condition around it (the loops run over nothing when nothing is unmarked): the re-check
  // checks people a row at a time when a page is not JSON, and that must stay within 8 levels.
  u.add("Unmarked_emails", select(body("Unmarked"), toLower(coalesce(item().get("email"), ""))));
  // One at a time: each chunk adds to the variable stillWanted.
  u.forEachOneAtATime("Recheck_each_query", variables("queries"), (q) => {
    const query = items("Recheck_each_query");
    q.forEachOneAtATime("Recheck_chunks", chunk(body("Unmarked_emails"), EMAILS_PER_RECHECK), (k) => {
      k.add("Email_values", select(items("Recheck_chunks"), fetchXml(value(item()))));
      const byEmail = filter(condition("emailaddress1", "in", embed(join(body("Email_values"), ""))));
      const recheck = ifElse(
        equals(query.get("table"), "lead"),
        prependToEntity(query.get("fetch"), "lead", byEmail),
        prependToEntity(query.get("fetch"), "contact", byEmail),
      );
      k.add("Recheck_people", listRows({ entitySet: query.get("entitySet").value, fetchXml: recheck }));
      const rechecked = checkPeople(k, "Recheck", body("Recheck_people").get("value"), "rechecked", outputs("Wanted_xpath")).checked;
      const address = normalizedEmail(item().get("row").get("emailaddress1"));
      const row = item().get("row");
      const declined = declinedElsewhere(query.get("table"), coalesce(row.get("contactid"), row.get("leadid")), address);
      k.add("Rechecked_wanted", filterArray(rechecked, and(CHECKED.wanted(item()), validEmail(address), not(declined))));
      k.add("Found_emails", select(body("Rechecked_wanted"), address));
      k.add("Merge_wanted", compose(union(variables("stillWanted"), body("Found_emails"))));
      k.add("Keep_wanted", setVariable("stillWanted", outputs("Merge_wanted")));
      keepReadFailure(k, "recheck", groupId);
    });
  });
}

/**
 * Unless `ok`, the run stops here with `why` on the record (and nothing after it runs). `reads`:
 * a failed read before it (readFailures.ts) stops the run here too, in that read's words.
 */
function stopUnless(s: ScopeBuilder, name: string, ok: Ex, entitySet: Ex, recordId: Ex, why: string, reads = false): void {
  const own = `CleverReach sync failed at ${name}: ${why}`;
  const message = reads ? readFailureOr(lit(own)) : own;
  s.condition(name, reads ? or(not(ok), readFailed()) : not(ok), (stop) => {
    stop.add(`${name}_error`, updateRow(entitySet.value, recordId, { [COLUMNS.lastSyncError]: recordError(message) }));
    logAndStop(stop, `Stop_${name.toLowerCase()}`, message, terminate("Failed", { code: "SyncFailed", message }));
  });
}

/**
 * The safety valve (flows/product/README.md, "Safety valve"; issue 15 item 19): before the sweep
 * removes anyone, the group's active receivers are counted a page at a time, with those marked
 * before this run (the most the sweep can remove: some of them the re-check keeps). When that is
 * more than half of the group and more than 100, the run stops with the numbers and what to do on
 * the record, unless the record confirms it or the setting allows it. A group this run created has
 * nothing to remove and is not counted.
 */
function safetyValve(s: ScopeBuilder, cr: string, group: Ex, started: Ex, entitySet: Ex, recordId: Ex, confirmed: Ex, groupId: Ex): void {
  s.condition("Count_if_existing", not(variables("created")), (c) => {
    c.add("Count_first_page", setVariable("page", 0));
    c.until(
      "Count_removals",
      orReadFailed(not(variables(REMOVAL_COUNT.counting))),
      (u) => {
        u.add("Count_page", cleverReachAction(cr, "ListGroupReceivers", { group_id: group, page: variables("page"), pagesize: MAX_PAGE_SIZE, type: "active" }));
        u.add("Count_unmarked", filterArray(body("Count_page"), less(string(coalesce(item().get("attributes").get(SYNC_MARK.name), "")), started)));
        u.add("Add_unmarked", incrementVariable(REMOVAL_COUNT.unmarked, length(body("Count_unmarked"))));
        u.add("Add_active", incrementVariable(REMOVAL_COUNT.active, length(body("Count_page"))));
        u.add("Count_next_page", incrementVariable("page", 1));
        u.add("Count_more", setVariable(REMOVAL_COUNT.counting, equals(length(body("Count_page")), MAX_PAGE_SIZE)));
        keepReadFailure(u, "count", groupId);
      },
      { limit: SWEEP_LIMIT },
    );
  });
  const removing = variables(REMOVAL_COUNT.unmarked);
  const active = variables(REMOVAL_COUNT.active);
  // A count that could not be read stops the run here too, in its own words (readFailures.ts).
  s.condition("Large_removal", or(and(isLargeRemoval(removing, active), not(confirmed)), readFailed()), (stop) => {
    stop.add("Large_removal_text", compose(readFailureOr(largeRemovalText(removing, active))));
    stop.add("Large_removal_error", updateRow(entitySet.value, recordId, { [COLUMNS.lastSyncError]: recordError(outputs("Large_removal_text")) }));
    logAndStop(
      stop,
      "Stop_large_removal",
      outputs("Large_removal_text"),
      terminate("Failed", { code: tpl`${ifElse(readFailed(), "SyncFailed", "ConfirmationNeeded")}`, message: outputs("Large_removal_text") }),
    );
  });
}

/** Refused upsert batches: how many receivers they held, and the first refusal ({ status, message }). */
export const REFUSED = { count: "refusedReceivers", first: "refusal" };

/** After a page's batches: counts the receivers of the batches CleverReach refused and keeps the first refusal. */
function noteRefusals(p: ScopeBuilder): void {
  const refusal = contains(createArray("Batch_refused", "Activation_refused"), item().get("name"));
  p.add("Refused_batches", filterArray(result("Upsert_batches"), and(refusal, equals(item().get("status"), "Succeeded"))));
  p.condition("Any_refused", greater(length(body("Refused_batches")), 0), (x) => {
    x.condition("First_refusal", equals(variables(REFUSED.first), null), (k) =>
      k.add("Keep_refusal", setVariable(REFUSED.first, first(body("Refused_batches")).get("outputs"))),
    );
    // At most a page's batches (5), one at a time: the loop writes a variable.
    x.forEachOneAtATime("Count_refused", body("Refused_batches"), (l) => {
      l.add("Count_refused_batch", incrementVariable(REFUSED.count, items("Count_refused").get("outputs").get("count")));
    });
  });
}
