import type { Ex } from "../../toolkit/expr/build";
import { and, coalesce, contains, endsWith, equals, first, greater, last, length, not, split, startsWith } from "../../toolkit/expr/functions";

/**
 * Rules the sync flows evaluate inside expressions. Each mirrors a plain function in
 * flows/product/rules (the tests check both agree); they are written once here and used by every flow.
 */

/** isValidEmail() as an expression: one @, no spaces or quotes, a dot in a domain without empty labels. */
export function validEmail(e: Ex): Ex {
  const s = coalesce(e, "");
  const parts = split(s, "@");
  const domain = last(parts);
  return and(
    equals(length(parts), 2),
    greater(length(first(parts)), 0),
    not(contains(s, " ")),
    not(contains(s, '"')),
    not(contains(s, "\\")),
    contains(domain, "."),
    not(startsWith(domain, ".")),
    not(endsWith(domain, ".")),
    not(contains(domain, "..")),
  );
}
