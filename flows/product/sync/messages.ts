import { lit, type Ex } from "../../toolkit/expr/build";
import {
  BATCH_SENTENCES,
  FAILURE_DETAIL_CHARACTERS,
  loopFailureOf,
  READ_FAILURES,
  type LoopFailureKind,
  type ReadStage,
  FAILURE_SENTENCES,
  LARGE_REMOVAL,
  LARGE_REMOVAL_ADVICE,
  NO_MESSAGE,
  SKIPPED_EXAMPLES,
  STATUS_COUNTS,
} from "../rules/messages";
import {
  and,
  coalesce,
  concat,
  empty,
  equals,
  greater,
  greaterOrEquals,
  ifElse,
  join,
  length,
  lessOrEquals,
  min,
  mul,
  string,
  substring,
  take,
} from "../../toolkit/expr/functions";

/**
 * Texts the sync flows write on a record, as expressions. Each mirrors a plain function in
 * flows/product/rules/messages.ts (the tests check both agree).
 */

/** skippedNote() as an expression: null when nobody was skipped. */
export function skippedNote(count: Ex, examples: Ex): Ex {
  return ifElse(
    greater(count, 0),
    concat(
      ifElse(equals(count, 1), "1 person", concat(string(count), " people")),
      " skipped: invalid e-mail (",
      join(examples, ", "),
      ifElse(greater(count, SKIPPED_EXAMPLES), ", …", ""),
      "). Correct the address in the CRM; the next sync adds them.",
    ),
    lit(null),
  );
}

/** declinedNote() as an expression: null when nobody was skipped so. */
export function declinedNote(count: Ex, examples: Ex): Ex {
  return ifElse(
    greater(count, 0),
    concat(
      ifElse(equals(count, 1), "1 person", concat(string(count), " people")),
      " skipped: unsubscribed from this CleverReach group under an earlier address (",
      join(examples, ", "),
      ifElse(greater(count, SKIPPED_EXAMPLES), ", …", ""),
      "). The unsubscribe holds for the new address too; only the person can subscribe again (a CleverReach form).",
    ),
    lit(null),
  );
}

/** cleverReachSentence() as an expression. */
export function cleverReachSentence(status: Ex): Ex {
  const s = FAILURE_SENTENCES.cleverreach;
  return ifElse(
    equals(status, 401),
    s[401],
    ifElse(
      equals(status, 403),
      s[403],
      ifElse(
        equals(status, 404),
        s[404],
        ifElse(equals(status, 429), s[429], ifElse(and(greaterOrEquals(status, 500), lessOrEquals(status, 599)), s.server, s.other)),
      ),
    ),
  );
}

/** loopFailureText() as an expression (`kind` is known when the flow is built). */
export function loopFailureText(kind: LoopFailureKind, group: Ex, count: Ex, status: Ex, message: Ex): Ex {
  const l = loopFailureOf(kind);
  const other = cleverReachSentence(status);
  const sentence = kind === "upsert" ? ifElse(equals(status, 400), BATCH_SENTENCES[400], ifElse(equals(status, 413), BATCH_SENTENCES[413], other)) : other;
  const n = ifElse(equals(count, 1), "1 receiver", concat(string(count), " receivers"));
  return concat(
    "CleverReach sync failed: ",
    l.what[0],
    n,
    l.what[1],
    group,
    " (",
    string(status),
    "). ",
    l.outcome,
    " ",
    sentence,
    ` Details: step ${l.step} (`,
    string(status),
    "): ",
    ifElse(empty(message), NO_MESSAGE, take(message, FAILURE_DETAIL_CHARACTERS)),
  );
}

/** readFailureText() as an expression (`stage` is known when the flow is built). */
export function readFailureText(stage: ReadStage, group: Ex, status: Ex, message: Ex): Ex {
  const r = READ_FAILURES[stage];
  const sentence = r.service === "dataverse" ? lit(FAILURE_SENTENCES.dataverse.any) : cleverReachSentence(status);
  return concat(
    "CleverReach sync failed: ",
    r.what[0],
    group,
    `${r.what[1]} (`,
    string(status),
    `). ${r.outcome} `,
    sentence,
    ` Details: step ${r.step} (`,
    string(status),
    "): ",
    ifElse(empty(message), NO_MESSAGE, take(message, FAILURE_DETAIL_CHARACTERS)),
  );
}

/**
 * syncFailureText() as an expression, of a failed action's result (`failure`: name, outputs,
 * error) and whether its step calls CleverReach (any other call goes to Dataverse).
 */
export function syncFailureText(failure: Ex, callsCleverReach: Ex): Ex {
  const s = FAILURE_SENTENCES;
  const status = coalesce(failure.get("outputs").get("statusCode"), 0);
  const message = coalesce(failure.get("error").get("message"), string(coalesce(failure.get("outputs").get("body"), "")));
  const cleverReach = cleverReachSentence(status);
  const sentence = ifElse(equals(status, 0), s.none, ifElse(callsCleverReach, cleverReach, s.dataverse.any));
  return concat(
    "CleverReach sync failed: ",
    sentence,
    " Details: step ",
    coalesce(failure.get("name"), "?"),
    ifElse(equals(status, 0), "", concat(" (", string(status), ")")),
    ": ",
    ifElse(empty(message), NO_MESSAGE, take(message, FAILURE_DETAIL_CHARACTERS)),
  );
}

/** isLargeRemoval() as an expression. */
export const isLargeRemoval = (removing: Ex, active: Ex): Ex => and(greater(removing, LARGE_REMOVAL.moreThan), greater(mul(removing, 2), active));

/** largeRemovalText() as an expression. */
export function largeRemovalText(removing: Ex, active: Ex): Ex {
  return concat(
    "CleverReach sync stopped before removing anyone: it would remove up to ",
    string(removing),
    " of the ",
    string(active),
    " active receivers of the CleverReach group ",
    `(more than half, and more than ${LARGE_REMOVAL.moreThan}). `,
    LARGE_REMOVAL_ADVICE,
  );
}

/** receiverStatusText() as an expression, of the group id and GetGroupStats' body. */
export function receiverStatusText(groupId: Ex, stats: Ex): Ex {
  const part = (field: string, words: string) => {
    const value = string(coalesce(stats.get(field), ""));
    return ifElse(empty(value), "", concat(", ", value, " ", words));
  };
  const all = concat(...(STATUS_COUNTS.map((c) => part(c.field, c.words)) as [Ex, ...Ex[]]));
  return concat(
    "CleverReach group ",
    groupId,
    ": ",
    ifElse(empty(all), "no statistics from CleverReach", substring(all, min(2, length(all)))),
    ". Who and why: see the Receiver States of this record.",
  );
}
