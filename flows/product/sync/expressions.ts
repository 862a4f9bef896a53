import type { Arg, Ex } from "../../toolkit/expr/build";
import {
  and,
  coalesce,
  contains,
  endsWith,
  equals,
  first,
  greater,
  last,
  length,
  not,
  replace,
  split,
  startsWith,
  toLower,
  trim,
} from "../../toolkit/expr/functions";
import { SPACE_LIKE } from "../rules/addresses";

/**
 * Rules the sync flows evaluate inside expressions. Each mirrors a plain function in
 * flows/product/rules (the tests check both agree); they are written once here and used by every flow.
 */

/**
 * normalizeEmail() as an expression: every space-like character becomes a space, then trim() and
 * toLower(). trim() is only trusted with plain spaces (its documentation says "whitespace" without
 * a list), so a no-break space or a tab is made a space first.
 */
export function normalizedEmail(e: Arg): Ex {
  let s: Ex = coalesce(e, "");
  for (const c of SPACE_LIKE) s = replace(s, c, " ");
  return toLower(trim(s));
}

/** isValidEmail() as an expression (of a normalized address): one @, no spaces or quotes, a dot in a domain without empty labels. */
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
