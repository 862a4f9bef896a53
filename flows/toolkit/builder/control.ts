import type { Ex } from "../expr/build";
import type { Json, WdlAction } from "../wdl";

/**
 * The shapes of the actions that hold other actions (Scope, If, Foreach, Until, Switch), from
 * already built inner actions. ScopeBuilder's methods fill the inner scopes and call these.
 */

export type Actions = Record<string, WdlAction>;

export const scopeAction = (actions: Actions): WdlAction => ({ type: "Scope", actions });

/** The designer writes a condition on one boolean expression as `and: [equals(<expr>, true)]`. */
export function ifAction(condition: Ex, yes: Actions, no?: Actions): WdlAction {
  const action: WdlAction = { type: "If", expression: { and: [{ equals: [condition.value, true] }] }, actions: yes };
  if (no) action.else = { actions: no };
  return action;
}

/**
 * "Apply to each" concurrency 1: iterations one after another. A loop whose body writes a variable
 * needs it: without a setting sequential running "isn't guaranteed" (MicrosoftDocs/power-automate-docs#586;
 * Logic Apps runs 20 at once by default), and the linter's loop-variable-concurrency rule requires it.
 */
export const ONE_AT_A_TIME = 1;

export function foreachAction(items: Ex, actions: Actions, concurrency?: number): WdlAction {
  const action: WdlAction = { type: "Foreach", foreach: items.value, actions };
  if (concurrency !== undefined) action.runtimeConfiguration = { concurrency: { repetitions: concurrency } };
  return action;
}

export interface UntilLimit {
  count: number;
  /** ISO 8601 duration. */
  timeout: string;
}

/** The designer's defaults for a new "Do until". */
export const UNTIL_DEFAULT_LIMIT: UntilLimit = { count: 60, timeout: "PT1H" };

export const untilAction = (exitWhen: Ex, actions: Actions, limit: UntilLimit = UNTIL_DEFAULT_LIMIT): WdlAction => ({
  type: "Until",
  expression: exitWhen.value,
  limit,
  actions,
});

export function switchAction(on: Ex, cases: Record<string, { value: Json; actions: Actions }>, fallback?: Actions): WdlAction {
  const out: NonNullable<WdlAction["cases"]> = {};
  for (const [name, c] of Object.entries(cases)) out[name] = { case: c.value, actions: c.actions };
  const action: WdlAction = { type: "Switch", expression: on.value, cases: out };
  if (fallback) action.default = { actions: fallback };
  return action;
}
