import { lit, type Ex } from "../../toolkit/expr/build";
import { SKIPPED_EXAMPLES } from "../rules/messages";
import { concat, equals, greater, ifElse, join, string } from "../../toolkit/expr/functions";

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
