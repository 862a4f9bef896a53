import { call, type Ex } from "../../toolkit/expr/build";

/**
 * Rules the sync flows evaluate inside expressions. Each mirrors a plain function in
 * flows/src/rules (the tests check both agree); they are written once here and used by every flow.
 */

/** isValidEmail() as an expression: one @, no spaces or quotes, a dot in a domain without empty labels. */
export function validEmail(e: Ex): Ex {
  const s = call("coalesce", e, "");
  const parts = call("split", s, "@");
  const domain = call("last", parts);
  return call(
    "and",
    call("equals", call("length", parts), 2),
    call("greater", call("length", call("first", parts)), 0),
    call("not", call("contains", s, " ")),
    call("not", call("contains", s, '"')),
    call("not", call("contains", s, "\\")),
    call("contains", domain, "."),
    call("not", call("startsWith", domain, ".")),
    call("not", call("endsWith", domain, ".")),
    call("not", call("contains", domain, "..")),
  );
}
