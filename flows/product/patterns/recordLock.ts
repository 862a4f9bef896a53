import { COLUMNS, TABLES } from "../../../solution/src/model/handles";
import * as odata from "../../toolkit/builder/odataFilter";
import { body, call, outputs, variables, workflow, type Ex } from "../../toolkit/expr/build";
import { compose, delay, initializeVariable, setVariable, terminate } from "../../toolkit/builder/actions";
import { addRow, deleteRow, listRows, updateRow } from "../../toolkit/builder/dataverse";
import { ifAction, type Actions } from "../../toolkit/builder/control";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import type { RunStatus, WdlAction } from "../../toolkit/wdl";
import { EPOCH } from "./unixTime";
import {
  addSeconds,
  and,
  coalesce,
  concat,
  contains,
  createArray,
  empty,
  equals,
  first,
  ifElse,
  less,
  min,
  mul,
  not,
  substring,
  ticks,
  utcNow,
} from "../../toolkit/expr/functions";

/*
 * One run at a time per record (flows/product/README.md, "Overlapping runs").
 *
 * Every run of Sync group or Delete group for a record first takes the record's lock: a Sync Lock
 * row whose id is the record's own row id. Creating it is the claim: Dataverse refuses a create
 * whose primary key exists (DuplicateRecord, 412; tests/fakes/dataverse/errors.ts, duplicateKey),
 * so of two runs creating it at once exactly one gets it, whatever the timing. The holder deletes
 * the row when it is done, on every path (after its work, in its Catch, and before every
 * Terminate inside its work: releaseBeforeTerminates).
 *
 * A sync that finds the lock held does not run a pass beside the holder. It needs a pass that
 * begins after its own event, and shares it with every other waiter (coalescing):
 * - it claims to be the holder's successor by creating a row whose id is derived from the holder's
 *   token (successorKey): again a create only one run can win. The winner waits, looking at the
 *   lock row after a Delay that doubles from 5 s to a minute, and when the row is gone it takes
 *   the lock itself and runs the pass;
 * - a sync whose claim is refused stops at once: the successor's pass starts after this holder
 *   releases, so after its own event;
 * - a waiting sync that sees a sync holder it had not seen (another token, or a row after it saw
 *   none) stops too: that pass began after it looked, so after its event.
 * N events during one pass therefore cost one more pass, not N. A Delete group run is never
 * served by a pass: it waits until it can create the row itself.
 *
 * A holder that stops without releasing (the run was cancelled, its flow turned off) leaves a row
 * whose lease ends LEASE_HOURS after it was taken. A later run takes such a row over: it first
 * creates the row keyed by takeoverKey of the dead holder's token (one winner again), and only the
 * winner writes its own token into the lock row. A run whose lease ended before it finished no
 * longer holds the lock: it deletes the row only while the row still carries its token.
 */

const LOCK = TABLES.syncLock;

/** How long a holder may work before another run may take its lock over. */
export const LEASE_HOURS = 6;
/** The first wait between two looks at a held lock; it doubles up to MAX_POLL_SECONDS. */
const FIRST_POLL_SECONDS = 5;
const MAX_POLL_SECONDS = 60;
/**
 * How long a run waits for the lock before it gives up: the lease and one more hour, so that a
 * holder that died is taken over before a waiter gives up. About 430 looks at most (5, 10, 20, 40,
 * then every 60 s), far below the Until limit of 5,000 (limits-and-config.md).
 */
export const LOCK_WAIT_HOURS = LEASE_HOURS + 1;
const WAIT_LIMIT = { count: 500, timeout: `PT${LOCK_WAIT_HOURS}H` };

/** The values `lockState` ends the waiting with. */
export const LOCK_STATE = { held: "held", served: "served", failed: "failed" } as const;

/**
 * "import": Import from CleverReach holds the list while it adds members; "declines": a Receiver
 * State run holds a person while it adds a decline to the person's declines column
 * (cleverreachToCrm/receiverStateFlows.ts). Like a deletion, neither is ever served by a sync pass.
 */
export type LockKind = "sync" | "delete" | "import" | "declines";

const V = {
  token: "lockToken",
  state: "lockState",
  seen: "lockSeen",
  committedFor: "lockCommittedFor",
  mayCreate: "lockMayCreate",
  wait: "lockWait",
  error: "lockError",
  claimed: "lockClaimed",
} as const;

/**
 * Row ids derived from a holder's token, for the claims on it: the token is a version-4 GUID
 * (guid()), whose 15th character is always 4; the claims put a and b there, so that they never
 * meet a token, each other or (but by a 1 in 2^122 chance) a record's id.
 */
const derivedKey = (token: Ex, digit: "a" | "b"): Ex => concat(substring(token, 0, 14), digit, substring(token, 15));
const successorKey = (token: Ex): Ex => derivedKey(token, "a");
const takeoverKey = (token: Ex): Ex => derivedKey(token, "b");

/** "held", "served", "failed", or empty when the wait ran out. */
export const lockState = (): Ex => variables(V.state);

/** The lock's variables; at the top of the flow, as every InitializeVariable. */
export function initLock(a: ScopeBuilder): void {
  a.add("Init_lock_token", initializeVariable(V.token, "string", call("guid")));
  a.add("Init_lock_state", initializeVariable(V.state, "string", ""));
  a.add("Init_lock_seen", initializeVariable(V.seen, "string", ""));
  a.add("Init_lock_committed_for", initializeVariable(V.committedFor, "string", ""));
  a.add("Init_lock_may_create", initializeVariable(V.mayCreate, "boolean", true));
  a.add("Init_lock_wait", initializeVariable(V.wait, "integer", FIRST_POLL_SECONDS));
  a.add("Init_lock_error", initializeVariable(V.error, "string", ""));
  a.add("Init_lock_claimed", initializeVariable(V.claimed, "boolean", false));
}

/**
 * Forgets the lock a loop's previous item took: a new token (a claim on a holder's token, successor
 * or takeover, must never meet an earlier lock of this run: a claim left on one record's holder
 * would serve a waiter on the next record), and every other variable as initLock sets it.
 */
export function renewLock(s: ScopeBuilder): void {
  s.add("Renew_lock_token", setVariable(V.token, call("guid")));
  s.add("Renew_lock_state", setVariable(V.state, ""));
  s.add("Renew_lock_seen", setVariable(V.seen, ""));
  s.add("Renew_lock_committed_for", setVariable(V.committedFor, ""));
  s.add("Renew_lock_may_create", setVariable(V.mayCreate, true));
  s.add("Renew_lock_wait", setVariable(V.wait, FIRST_POLL_SECONDS));
  s.add("Renew_lock_error", setVariable(V.error, ""));
  s.add("Renew_lock_claimed", setVariable(V.claimed, false));
}

const byId = (id: Ex): string => odata.filter(odata.eq(LOCK.idColumn, odata.guid(id)));

export interface AcquireOptions {
  kind: LockKind;
  /** The record's table (logical name) and row id. */
  table: Ex;
  recordId: Ex;
  /**
   * When the lock could not be taken (the wait ran out, or the create failed for another reason
   * than a held lock): writes `text` where the user sees it. The run then fails with `code`.
   */
  report: (c: ScopeBuilder, text: Ex) => void;
  code: string;
  /** The words the text starts with ("CleverReach sync", "CleverReach group deletion"). */
  what: string;
  /** What the user can do after a wait that gave up (default: run Update Synchronisation on the record). */
  advice?: string;
  /**
   * "stop" (default): a lock not taken fails the run after `report`. "continue": the run goes on
   * after `report` (lockState() is then neither "held" nor "served"): for a loop that takes one
   * record's lock after another and must not leave the rest undone (lockEach).
   */
  onGiveUp?: "stop" | "continue";
}

/**
 * "Acquire_lock": waits until this run holds the record's lock, or (a sync only) until a pass that
 * began after this run's event has been promised or started. Afterwards lockState() is "held" or
 * "served"; otherwise the run has failed with the reason on the record.
 */
export function acquireLock(a: ScopeBuilder, o: AcquireOptions): void {
  const isSync = o.kind === "sync";
  const row = outputs("Lock_row");
  const token = row.get(COLUMNS.lockToken);
  a.until(
    "Acquire_lock",
    not(empty(variables(V.state))),
    (u) => {
      u.condition("Lock_free", variables(V.mayCreate), (c) => {
        c.add(
          "Create_lock",
          addRow(LOCK.entitySet, {
            [LOCK.idColumn]: o.recordId,
            [COLUMNS.name]: concat(o.kind, " ", o.table, " ", o.recordId),
            [COLUMNS.lockToken]: variables(V.token),
            [COLUMNS.lockHolder]: workflow().get("run").get("name"),
            [COLUMNS.lockKind]: o.kind,
            [COLUMNS.leaseUntil]: addSeconds(utcNow(), LEASE_HOURS * 3600),
          }),
        );
        c.add("Lock_created", setVariable(V.state, LOCK_STATE.held));
        // 412 is DuplicateRecord: the row exists (held, or created by this run whose answer was lost).
        c.condition(
          "Lock_exists",
          equals(outputs("Create_lock").get("statusCode"), 412),
          (held) => held.add("Look_at_lock", setVariable(V.mayCreate, false)),
          (other) => {
            other.add("Lock_create_error", setVariable(V.error, coalesce(body("Create_lock").get("error").get("message"), "see the flow run for details")));
            other.add("Lock_failed", setVariable(V.state, LOCK_STATE.failed));
          },
          { after: { Create_lock: ["Failed"] } },
        );
      });
      u.condition("Lock_taken", and(empty(variables(V.state)), not(variables(V.mayCreate))), (look) => {
        look.add(
          "Read_lock",
          listRows({
            entitySet: LOCK.entitySet,
            select: [COLUMNS.lockToken, COLUMNS.lockKind, COLUMNS.leaseUntil],
            filter: byId(o.recordId),
          }),
        );
        look.add("Lock_row", compose(first(body("Read_lock").get("value"))));
        decide(look, o, isSync, row, token);
      });
    },
    { limit: WAIT_LIMIT },
  );
  // A successor's claim has done its work once the run holds the lock or was served.
  a.condition("Had_promised_pass", not(empty(variables(V.committedFor))), (d) => {
    d.add("Drop_successor_claim", deleteRow(LOCK.entitySet, successorKey(variables(V.committedFor))));
    d.add("Successor_claim_gone", compose("already gone"), { Drop_successor_claim: ["Failed"] });
  });
  a.condition("Lock_not_taken", not(contains(createArray(LOCK_STATE.held, LOCK_STATE.served), variables(V.state))), (bad) => {
    bad.add(
      "Lock_error",
      compose(
        ifElse(
          equals(variables(V.state), LOCK_STATE.failed),
          concat(
            `${o.what} failed: Dataverse refused to write the lock of this record (it keeps two runs from working on it at once), so nothing was changed. ` +
              "An administrator checks the connection's security role (CleverReach Administrator); then: " +
              `${o.advice ?? "Run Update Synchronisation CleverReach on the record."} ` +
              "Details: step Create_lock: ",
            variables(V.error),
          ),
          `${o.what} waited ${LOCK_WAIT_HOURS} hours for another run on this record to finish and gave up; nothing was changed. ` +
            (o.advice ?? "Run Update Synchronisation CleverReach on the record."),
        ),
      ),
    );
    o.report(bad, outputs("Lock_error"));
    if (o.onGiveUp !== "continue") bad.add("Stop_without_lock", terminate("Failed", { code: o.code, message: outputs("Lock_error") }));
  });
}

/**
 * What a run does with what it read: the row is gone (create it again at once), is its own (a lost
 * answer), has an expired lease (take it over), shows a sync pass that began after this run looked
 * (served), or else this run waits (a sync first promises a pass). One verdict, then one branch
 * each, side by side, so that the loop stays within the platform's nesting depth of 8.
 */
function decide(s: ScopeBuilder, o: AcquireOptions, isSync: boolean, row: Ex, token: Ex): void {
  const expired = less(ticks(coalesce(row.get(COLUMNS.leaseUntil), EPOCH)), ticks(utcNow()));
  const newSyncHolder = and(equals(row.get(COLUMNS.lockKind), "sync"), not(empty(variables(V.seen))), not(equals(token, variables(V.seen))));
  s.add(
    "Lock_verdict",
    compose(
      ifElse(
        empty(body("Read_lock").get("value")),
        "gone",
        ifElse(equals(token, variables(V.token)), "mine", ifElse(expired, "expired", ifElse(isSync ? newSyncHolder : false, "served", "wait"))),
      ),
    ),
  );
  const verdict = (v: string): Ex => equals(outputs("Lock_verdict"), v);
  s.condition("Lock_gone", verdict("gone"), (gone) => {
    gone.add("Create_again", setVariable(V.mayCreate, true));
    gone.add("Seen_none", setVariable(V.seen, "-"));
  });
  s.condition("Lock_is_mine", verdict("mine"), (mine) => mine.add("Lock_was_mine", setVariable(V.state, LOCK_STATE.held)));
  s.condition("Lock_expired", verdict("expired"), (x) => takeOver(x, o, token));
  s.condition("New_pass_began", verdict("served"), (served) => served.add("Served_by_new_pass", setVariable(V.state, LOCK_STATE.served)));
  s.condition("Lock_held_by_other", verdict("wait"), (w) => {
    if (isSync) {
      w.add("Note_holder", setVariable(V.seen, token));
      w.condition("Promise_pass", not(equals(variables(V.committedFor), token)), (p) => promisePass(p, o, token));
      pause(w, "Wait_for_lock", "Promise_pass");
    } else {
      pause(w, "Wait_for_lock");
    }
  });
}

/**
 * Claims to run one more pass after `holder` by creating the row successorKey(holder). Refused,
 * the claim belongs to another run (served: its pass comes after this holder), or to this run
 * whose create went through but whose answer was lost (then the claim row carries this run's token).
 */
function promisePass(p: ScopeBuilder, o: AcquireOptions, holder: Ex): void {
  p.add(
    "Claim_successor",
    addRow(LOCK.entitySet, {
      [LOCK.idColumn]: successorKey(holder),
      [COLUMNS.name]: concat("successor ", o.table, " ", o.recordId),
      [COLUMNS.lockToken]: variables(V.token),
      [COLUMNS.lockHolder]: workflow().get("run").get("name"),
      [COLUMNS.lockKind]: "successor",
      [COLUMNS.leaseUntil]: addSeconds(utcNow(), LEASE_HOURS * 3600),
    }),
  );
  p.add("Committed", setVariable(V.committedFor, holder));
  p.add("Read_successor", listRows({ entitySet: LOCK.entitySet, select: [COLUMNS.lockToken], filter: byId(successorKey(holder)) }), {
    Claim_successor: ["Failed"],
  });
  const claim = first(body("Read_successor").get("value"));
  p.condition("Successor_claimed", not(empty(body("Read_successor").get("value"))), (c) =>
    c.condition(
      "Claim_was_mine",
      equals(claim.get(COLUMNS.lockToken), variables(V.token)),
      (m) => m.add("Committed_before", setVariable(V.committedFor, holder)),
      (other) => other.add("Served_by_successor", setVariable(V.state, LOCK_STATE.served)),
    ),
  );
}

/** A Delay before the next look (only when the lock is still taken and this run still waits); the next one is twice as long, at most a minute. */
function pause(s: ScopeBuilder, name: string, after?: string): void {
  s.condition(
    `${name}_if_taken`,
    and(not(variables(V.mayCreate)), empty(variables(V.state))),
    (w) => {
      w.add(name, delay(variables(V.wait), "Second"));
      w.add(`${name}_longer`, setVariable(V.wait, min(mul(variables(V.wait), 2), MAX_POLL_SECONDS)));
    },
    after ? { after: { [after]: ["Succeeded", "Failed", "Skipped"] } } : {},
  );
}

/**
 * The holder's lease ran out. Only the run that creates the row takeoverKey(dead holder's token)
 * may write its own token into the lock row (a create only one run can win, as the lock itself).
 * A claim refused because this run's own create went through but its answer was lost is recognised
 * by the token on the claim row.
 */
function takeOver(s: ScopeBuilder, o: AcquireOptions, deadToken: Ex): void {
  s.add("Claim_reset", setVariable(V.claimed, false));
  s.add(
    "Claim_lock",
    addRow(LOCK.entitySet, {
      [LOCK.idColumn]: takeoverKey(deadToken),
      [COLUMNS.name]: concat("takeover ", o.table, " ", o.recordId),
      [COLUMNS.lockToken]: variables(V.token),
      [COLUMNS.lockHolder]: workflow().get("run").get("name"),
      [COLUMNS.lockKind]: "takeover",
      [COLUMNS.leaseUntil]: utcNow(),
    }),
  );
  s.add("Claimed", setVariable(V.claimed, true));
  s.add("Read_claim", listRows({ entitySet: LOCK.entitySet, select: [COLUMNS.lockToken], filter: byId(takeoverKey(deadToken)) }), { Claim_lock: ["Failed"] });
  s.condition("Claim_is_mine", equals(first(body("Read_claim").get("value")).get(COLUMNS.lockToken), variables(V.token)), (m) =>
    m.add("Claimed_before", setVariable(V.claimed, true)),
  );
  s.condition(
    "Take_if_claimed",
    variables(V.claimed),
    (t) => {
      t.add(
        "Take_lock",
        updateRow(LOCK.entitySet, o.recordId, {
          [COLUMNS.lockToken]: variables(V.token),
          [COLUMNS.lockHolder]: workflow().get("run").get("name"),
          [COLUMNS.lockKind]: o.kind,
          [COLUMNS.leaseUntil]: addSeconds(utcNow(), LEASE_HOURS * 3600),
        }),
      );
      t.add("Lock_taken_over", setVariable(V.state, LOCK_STATE.held));
      t.add("Lock_vanished", setVariable(V.mayCreate, true), { Take_lock: ["Failed"] });
    },
    (lost) => pause(lost, "Wait_for_taker"),
    { after: { Claim_is_mine: ["Succeeded", "Skipped"] } },
  );
}

/**
 * Deletes the lock row while it still carries this run's token (a run whose lease ran out and was
 * taken over leaves the new holder's row alone). `name` names the actions; `after` as in add().
 */
export function releaseLock(s: ScopeBuilder, name: string, recordId: Ex, after?: Record<string, RunStatus[]>): void {
  s.add(`${name}_read`, listRows({ entitySet: LOCK.entitySet, select: [COLUMNS.lockToken], filter: byId(recordId) }), after ?? "previous");
  s.condition(`${name}_if_mine`, equals(first(body(`${name}_read`).get("value")).get(COLUMNS.lockToken), variables(V.token)), (m) =>
    m.add(name, deleteRow(LOCK.entitySet, recordId)),
  );
}

/**
 * Puts the actions `names` (a Try and its Catch, as `a.tryCatch` added them) inside "Lock_held",
 * which runs them only when this run holds the lock, releases the lock after them when they
 * succeeded, and before every Terminate inside them (a Catch ends with one).
 *
 * `inline`: the actions stay where they are, one level less deep (the platform allows 8), and a
 * run that was served ends before them ("Served_by_later_pass", Terminate Succeeded): for a flow
 * whose work is nested as deep as the platform allows without the lock.
 */
export function holdLock(a: ScopeBuilder, names: string[], recordId: Ex, o: { inline?: boolean } = {}): void {
  const [first] = names;
  if (!first) throw new Error("holdLock needs the actions to hold the lock around");
  const runAfter = a.actions[first]?.runAfter ?? {};
  const held: Actions = {};
  for (const n of names) {
    const action = a.actions[n];
    if (!action) throw new Error(`holdLock: no action ${n}`);
    held[n] = n === first ? { ...action, runAfter: {} } : action;
    delete a.actions[n];
  }
  const release = a.nested();
  releaseLock(release, "Release_lock", recordId, { [first]: ["Succeeded"] });
  Object.assign(held, release.actions);
  releaseBeforeTerminates(a, held, recordId);
  if (!o.inline) {
    a.add("Lock_held", ifAction(equals(lockState(), LOCK_STATE.held), held), runAfter);
    return;
  }
  // acquireLock has ended every run that neither holds the lock nor was served.
  a.condition("Lock_served", equals(lockState(), LOCK_STATE.served), (s) => s.add("Served_by_later_pass", terminate("Succeeded")), { after: runAfter });
  const firstAction = held[first] as WdlAction;
  held[first] = { ...firstAction, runAfter: { Lock_served: ["Succeeded"] } };
  Object.assign(a.actions, held);
}

const ANY: RunStatus[] = ["Succeeded", "Failed", "Skipped", "TimedOut"];

/**
 * Every Terminate inside `actions` (at any depth) first releases the lock: a Terminate ends the run
 * at once, so the release after the work would never run. The release goes where the Terminate
 * was, and the Terminate runs after it whatever it did.
 */
function releaseBeforeTerminates(builder: ScopeBuilder, actions: Actions, recordId: Ex): void {
  for (const [name, action] of Object.entries(actions)) {
    for (const inner of [action.actions, action.else?.actions, action.default?.actions, ...Object.values(action.cases ?? {}).map((c) => c.actions)]) {
      if (inner) releaseBeforeTerminates(builder, inner, recordId);
    }
    if (action.type !== "Terminate") continue;
    const release = builder.nested();
    releaseLock(release, `${name}_unlock`, recordId);
    const rebuilt: Record<string, WdlAction> = {};
    for (const [n, a] of Object.entries(actions)) {
      if (n === name) {
        const [read, ...rest] = Object.entries(release.actions);
        if (!read) throw new Error("releaseLock added nothing");
        rebuilt[read[0]] = { ...read[1], runAfter: action.runAfter ?? {} };
        for (const [rn, ra] of rest) rebuilt[rn] = ra;
        const lastName = Object.keys(release.actions).at(-1) as string;
        rebuilt[n] = { ...a, runAfter: { [lastName]: ANY } };
      } else {
        rebuilt[n] = a;
      }
    }
    for (const k of Object.keys(actions)) delete actions[k];
    Object.assign(actions, rebuilt);
  }
}
