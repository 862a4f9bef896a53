import { body, outputs, variables, type Ex } from "../../toolkit/expr/build";
import { compose, incrementVariable, setVariable } from "../../toolkit/builder/actions";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { MAX_PAGE_SIZE } from "../../../connector/src/definition/definitions";
import { cleverReachAction } from "./cleverreach";
import { coalesce, int, json, length, less, union } from "../../toolkit/expr/functions";

/**
 * Reads all receivers of a group into the array variable `into` (in the largest pages CleverReach
 * serves), using the integer variable `page`. Both variables must be initialised at the top of the flow.
 */
export function readGroupReceivers(s: ScopeBuilder, cr: string, name: string, groupId: Ex, into: string, page: string): void {
  s.add(`${name}_reset`, setVariable(into, []));
  s.add(`${name}_first_page`, setVariable(page, 0));
  s.until(
    name,
    less(length(coalesce(body(`${name}_page`), json("[]"))), MAX_PAGE_SIZE),
    (u) => {
      u.add(
        `${name}_page`,
        cleverReachAction(cr, "ListGroupReceivers", { group_id: int(groupId), page: variables(page), pagesize: MAX_PAGE_SIZE, type: "all" }),
      );
      u.add(`${name}_merge`, compose(union(variables(into), body(`${name}_page`))));
      u.add(`${name}_keep`, setVariable(into, outputs(`${name}_merge`)));
      u.add(`${name}_next`, incrementVariable(page, 1));
    },
    { limit: { count: 1000, timeout: "PT6H" } },
  );
}
