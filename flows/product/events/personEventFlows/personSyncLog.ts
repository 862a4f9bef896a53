import { COLUMNS, TABLES } from "../../../../solution/src/model/handles";
import { lit, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { appendToArrayVariable, compose, incrementVariable, initializeVariable, setVariable, terminate, type Value } from "../../../toolkit/builder/actions";
import { updateRow } from "../../../toolkit/builder/dataverse";
import type { CatchBody, ScopeBuilder } from "../../../toolkit/builder/scope";
import {
  and,
  coalesce,
  concat,
  empty,
  equals,
  greater,
  ifElse,
  join,
  not,
  or,
  replace,
  string,
  take,
  trim,
  union,
  utcNow,
} from "../../../toolkit/expr/functions";
import { FAILURE_DETAIL_CHARACTERS, FAILURE_SENTENCES, NO_MESSAGE } from "../../rules/messages";
import { HANDED_TO_SYNC_GROUP, PERSON_GROUP_CALLS, personGroupStoppedText, type HandedReason, type PersonGroupCall } from "../../rules/personSync";
import { fitted } from "../../patterns/fitted";
import { writeSyncLog } from "../../patterns/syncLog";
import { FAILURE_VARIABLE, failRunInWords, stepsCalling } from "../../patterns/failureInWords";
import { cleverReachSentence } from "../../sync/messages";
import type { PersonTable } from "./personTables";

/*
 * A person run on the record (issue 18 item 2; README.md, "The sync log"): one sync log row per
 * group the run changed (added, updated or removed a receiver, or handed the person to Sync group)
 * or failed on, linked to the group's list, campaign or campaign activity, and a failure in words
 * on the person ("CleverReach sync error"), cleared by the next run that succeeds. A group the run
 * only looked at gets no row: a save that changes nothing writes nothing.
 *
 * Per group the run counts what it did in variables, reset when the group's turn begins. A refused
 * CleverReach call is noted in words by the step after it (which handles the failure, so that the
 * other groups still get their turn, as a failed receiver lookup always did), and the run fails
 * after every group had its turn. Any other failure inside a group's turn (a Dataverse read, a
 * child flow) is caught at the end of the turn and noted with a sentence that points to the run.
 */

/** The run's variables (initialized at the flow's top). */
export const PERSON_LOG = {
  added: "groupAdded",
  updated: "groupUpdated",
  removed: "groupRemoved",
  handed: "groupHanded",
  /** This group's error in words ("" while none). */
  error: "groupError",
  /** Every group's error but the receiver lookups' (those are in "lookupErrors"). */
  errors: "groupErrors",
} as const;

const COUNTS = { added: PERSON_LOG.added, updated: PERSON_LOG.updated, removed: PERSON_LOG.removed } as const;

export function initPersonSyncLog(a: ScopeBuilder): void {
  for (const v of Object.values(COUNTS)) a.add(`Init_${v}`, initializeVariable(v, "integer", 0));
  a.add(`Init_${PERSON_LOG.handed}`, initializeVariable(PERSON_LOG.handed, "string", ""));
  a.add(`Init_${PERSON_LOG.error}`, initializeVariable(PERSON_LOG.error, "string", ""));
  a.add(`Init_${PERSON_LOG.errors}`, initializeVariable(PERSON_LOG.errors, "array", []));
  a.add("Init_failure", initializeVariable(FAILURE_VARIABLE, "object", lit(null)));
}

/** The start of a group's turn: nothing done yet. `alsoClear`: other per-group text variables to empty. */
export function startGroupLog(s: ScopeBuilder, prefix: string, alsoClear: readonly string[] = []): void {
  s.add(`${prefix}_started`, compose(utcNow()));
  for (const v of Object.values(COUNTS)) s.add(`${prefix}_no_${v}`, setVariable(v, 0));
  for (const v of [PERSON_LOG.handed, PERSON_LOG.error, ...alsoClear]) s.add(`${prefix}_no_${v}`, setVariable(v, ""));
}

/** personGroupFailureText() (rules/personSync.ts) of the failed action `step`, as an expression. */
export function groupCallFailure(call: PersonGroupCall, group: Ex, step: string): Ex {
  const c = PERSON_GROUP_CALLS[call];
  const status = coalesce(outputs(step).get("statusCode"), 0);
  const message = string(coalesce(outputs(step).get("body"), ""));
  return concat(
    `${c.what} CleverReach group `,
    group,
    " failed: ",
    ifElse(equals(status, 0), FAILURE_SENTENCES.none, cleverReachSentence(status)),
    ` Details: step ${c.step} (`,
    string(status),
    "): ",
    ifElse(empty(message), NO_MESSAGE, take(message, FAILURE_DETAIL_CHARACTERS)),
  );
}

/**
 * After the CleverReach call `step` (placed right after it): counts it when it succeeded, notes it
 * in words when CleverReach refused it.
 */
export function countCall(s: ScopeBuilder, step: string, counts: keyof typeof COUNTS, call: PersonGroupCall, group: Ex, by: Value = 1): void {
  s.add(`${step}_counted`, incrementVariable(COUNTS[counts], by), { [step]: ["Succeeded"] });
  s.add(`${step}_refused`, setVariable(PERSON_LOG.error, groupCallFailure(call, group, step)), { [step]: ["Failed", "TimedOut"] });
}

/** Counts `count` more of `counts` (after a loop of calls that all succeeded). */
export function countMore(s: ScopeBuilder, name: string, counts: keyof typeof COUNTS, count: Ex): void {
  s.add(name, incrementVariable(COUNTS[counts], count));
}

/** The run leaves this group to CleverReach - Sync group (which writes its own row). */
export function noteHanded(s: ScopeBuilder, name: string, why: HandedReason): void {
  s.add(name, setVariable(PERSON_LOG.handed, HANDED_TO_SYNC_GROUP[why]));
}

/** personLabel() (rules/personSync.ts) as an expression: `person` is the row read (null once deleted). */
export function personLabel(table: string, id: Ex, person: Ex): Ex {
  const ref = concat(`${table} `, id);
  const name = trim(concat(coalesce(person.get("firstname"), ""), " ", coalesce(person.get("lastname"), "")));
  return ifElse(equals(person, lit(null)), ref, concat(name, " <", coalesce(person.get("emailaddress1"), ""), "> (", ref, ")"));
}

/** The flow's English name, as a sync log row names it (index.ts gives the flow the same). */
export const personFlowName = (p: PersonTable): string => `CleverReach - ${p.displayName.en} changed`;

export interface GroupLogEntry {
  prefix: string;
  /** The group's last step: a failure there, or a skip after one, stops the group's turn. */
  last: string;
  p: PersonTable;
  group: Ex;
  /** The group's owner entry ({ table, id, … }). */
  owner: Ex;
  person: Ex;
  /** The group's receiver lookup error ("" when none), already kept in "lookupErrors". */
  lookupError?: Ex;
}

/** The end of a group's turn: its sync log row when the run did something there or failed there. */
export function endGroupLog(s: ScopeBuilder, e: GroupLogEntry): void {
  s.add(`${e.prefix}_stopped`, setVariable(PERSON_LOG.error, personGroupStoppedTextEx(e.group)), { [e.last]: ["Failed", "Skipped", "TimedOut"] });
  const own = variables(PERSON_LOG.error);
  const error = e.lookupError ? ifElse(empty(e.lookupError), own, e.lookupError) : own;
  const did = or(
    greater(variables(PERSON_LOG.added), 0),
    greater(variables(PERSON_LOG.updated), 0),
    greater(variables(PERSON_LOG.removed), 0),
    not(empty(variables(PERSON_LOG.handed))),
  );
  s.condition(
    `${e.prefix}_touched`,
    or(did, not(empty(error))),
    (t) => {
      t.add(`${e.prefix}_error`, compose(error));
      t.condition(`${e.prefix}_failed`, not(empty(own)), (f) => {
        f.add(`${e.prefix}_keep_error`, appendToArrayVariable(PERSON_LOG.errors, own));
      });
      const handed = variables(PERSON_LOG.handed);
      const log = writeSyncLog(t, `${e.prefix}_log`, {
        flow: personFlowName(e.p),
        table: e.owner.get("table"),
        id: e.owner.get("id"),
        groupId: string(e.group),
        outcome: empty(outputs(`${e.prefix}_error`)),
        startedOn: outputs(`${e.prefix}_started`),
        endedOn: utcNow(),
        added: variables(PERSON_LOG.added),
        updated: variables(PERSON_LOG.updated),
        removed: variables(PERSON_LOG.removed),
        skipped: ifElse(empty(handed), 0, 1),
        skippedWhy: ifElse(empty(handed), lit(null), handed),
        error: outputs(`${e.prefix}_error`),
        person: fitted(e.person, TABLES.syncLog.logicalName, COLUMNS.person),
      });
      // A row that cannot be written fails nothing (as in Sync group).
      t.add(`${e.prefix}_logged`, compose("done"), { [log]: ["Succeeded", "Failed"] });
    },
    { after: { [`${e.prefix}_stopped`]: ["Succeeded", "Skipped"] } },
  );
}

function personGroupStoppedTextEx(group: Ex): Ex {
  // The rule's text with the group spliced in where the rule puts it.
  const [before, after] = personGroupStoppedText("\u0000").split("\u0000") as [string, string];
  return concat(before, group, after);
}

/** Writes `text` (null clears it) as the person's CleverReach sync error; a person deleted meanwhile fails nothing. */
export function writePersonError(s: ScopeBuilder, name: string, p: PersonTable, personId: Ex, text: Ex | null): void {
  const value = text === null ? null : fitted(text, p.table, COLUMNS.cleverReachSyncError);
  s.add(name, updateRow(p.entitySet, personId, { [COLUMNS.cleverReachSyncError]: value }));
  s.add(`${name}_done`, compose("done"), { [name]: ["Succeeded", "Failed"] });
}

/**
 * After every group had its turn: the groups' errors on the person, and the run fails naming them
 * (the receiver lookups' own stop, "Lookups_failed", follows for a run where only lookups failed).
 * `lookupErrors`: that array, where the flow keeps one; `exists`: whether the person row is there.
 */
export function reportGroupErrors(s: ScopeBuilder, prefix: string, p: PersonTable, personId: Ex, exists: Ex, lookupErrors?: Ex): void {
  const all = lookupErrors ? union(lookupErrors, variables(PERSON_LOG.errors)) : variables(PERSON_LOG.errors);
  s.condition(`${prefix}_groups_failed`, not(empty(all)), (f) => {
    f.condition(`${prefix}_person_there`, exists, (w) => writePersonError(w, `${prefix}_person_error`, p, personId, join(all, " ")));
    f.condition(
      `${prefix}_stop_on_groups`,
      not(empty(variables(PERSON_LOG.errors))),
      (x) => x.add(`${prefix}_groups_stop`, terminate("Failed", { code: "PersonSyncFailed", message: join(all, " ") })),
      { after: { [`${prefix}_person_there`]: ["Succeeded", "Failed"] } },
    );
  });
}

/** At the end of a run that succeeded: the person's error, if any, is cleared (no write when there is none). */
export function clearPersonError(s: ScopeBuilder, p: PersonTable, personId: Ex, person: Ex): void {
  s.condition("Person_error_to_clear", and(not(equals(person, lit(null))), not(empty(coalesce(person.get(COLUMNS.cleverReachSyncError), "")))), (c) =>
    writePersonError(c, "Clear_person_error", p, personId, null),
  );
}

/**
 * The person flows' Catch: the failure in words (patterns/failureInWords.ts, rules/messages.ts) on
 * the person and as the run's error; a checklist that cannot be read keeps its own sentence.
 */
export function personCatch(p: PersonTable, personId: Ex, cr: string, attempt: () => ScopeBuilder | undefined, checklistText: Ex): CatchBody {
  return failRunInWords({
    code: "PersonSyncFailed",
    // The containers a failure is looked for in, parents first.
    inside: ["Person_exists", "Remove_or_update"],
    cleverReachSteps: () => stepsCalling(attempt()?.actions ?? {}, cr),
    report: (c, text) => writePersonError(c, "Catch_person_error", p, personId, text),
    reword: (text) => {
      const inWords = replace(text, "CleverReach sync failed: ", `CleverReach update of this ${p.table} failed: `);
      // A group's turn that failed past its own end (a failed step nothing ran after) has its row
      // and its text already: the person gets the groups' texts, as when the loop completes.
      const groupTexts = union(variables("lookupErrors"), variables(PERSON_LOG.errors));
      return ifElse(equals(variables("checklistStage"), "reading"), checklistText, ifElse(empty(groupTexts), inWords, join(groupTexts, " ")));
    },
  });
}
