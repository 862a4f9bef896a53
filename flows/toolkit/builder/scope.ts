import { body, call, item, result, type Ex } from "../expr/build";
import type { Json, RunAfter, RunStatus, WdlAction } from "../wdl";
import { filterArray } from "./actions";
import { foreachAction, ONE_AT_A_TIME, ifAction, scopeAction, switchAction, untilAction, type Actions, type UntilLimit } from "./control";

/** Where an action goes and what it waits for; by default the previous action of the same scope. */
export type After = "previous" | "start" | Record<string, RunStatus[]> | string;

/** What fills the inside of a Scope, a branch, a loop or a case. */
export type Body = (scope: ScopeBuilder) => void;

/** Where a control action runs, when not simply after the previous action. */
export interface Placement {
  after?: After;
}

/** The first failed action of a Try scope, as a Catch scope sees it. */
export interface Failure {
  /** Its name, or "?" when the run history names none. */
  step: Ex;
  /** Its error message, or a pointer to the run history when it has none. */
  message: Ex;
}

export type CatchBody = (scope: ScopeBuilder, failure: Failure) => void;

export interface TryCatchOptions extends Placement {
  /** The Catch scope's name; "Catch" unless a flow has more than one Try. */
  catchName?: string;
  /** The name of the step in Catch that keeps the failed actions; "Failures" unless a flow has more than one Try. */
  failuresName?: string;
}

/**
 * An ordered list of actions (the top level of a flow, or the inside of a Scope, If branch,
 * Foreach, Until or Switch case). Actions run one after another unless told otherwise, which is
 * what a designer-built flow does and what keeps runAfter graphs simple to read.
 *
 * The control methods (`condition`, `forEach`, `until`, `switch`, `scope`, `tryCatch`) add the
 * action and fill its inside in one call, so a builder reads as the designer's tree does:
 * `s.condition("If_synced", equals(x, true), (yes) => …)`.
 */
export class ScopeBuilder {
  readonly actions: Actions = {};
  private last: string | undefined;

  constructor(private readonly names: Set<string>) {}

  /** Adds `action` as `name`; returns the name so later steps can refer to it. */
  add(name: string, action: WdlAction, after: After = "previous"): string {
    if (this.names.has(name)) throw new Error(`action name "${name}" is used twice in this flow`);
    if (!/^[^.:#%&*<>?\\/{|}"]+$/.test(name)) throw new Error(`action name "${name}" contains a character flows do not allow`);
    this.names.add(name);
    this.actions[name] = { ...action, runAfter: this.runAfter(after) };
    this.last = name;
    return name;
  }

  /** "Scope": a group of actions, e.g. to run something after all of them. */
  scope(name: string, inside: Body, placement: Placement = {}): string {
    return this.add(name, scopeAction(this.fill(inside)), placement.after);
  }

  /** "Condition": runs `then` when `expression` is true, otherwise `otherwise` (when given). */
  condition(name: string, expression: Ex, then: Body, placement?: Placement): string;
  condition(name: string, expression: Ex, then: Body, otherwise: Body, placement?: Placement): string;
  condition(name: string, expression: Ex, then: Body, otherwiseOrPlacement?: Body | Placement, placement: Placement = {}): string {
    const otherwise = typeof otherwiseOrPlacement === "function" ? otherwiseOrPlacement : undefined;
    const where = typeof otherwiseOrPlacement === "object" ? otherwiseOrPlacement : placement;
    return this.add(name, ifAction(expression, this.fill(then), otherwise && this.fill(otherwise)), where.after);
  }

  /**
   * "Apply to each": runs `body` per item of `items` (read it with `items(name)`), `concurrency`
   * items at once; without it the platform decides (documented 1, not guaranteed, 20 in Logic Apps).
   */
  forEach(name: string, items: Ex, each: Body, options: Placement & { concurrency?: number } = {}): string {
    return this.add(name, foreachAction(items, this.fill(each), options.concurrency), options.after);
  }

  /** "Apply to each" with concurrency 1: what a loop whose body writes a variable needs (ONE_AT_A_TIME). */
  forEachOneAtATime(name: string, items: Ex, each: Body, options: Placement = {}): string {
    return this.forEach(name, items, each, { ...options, concurrency: ONE_AT_A_TIME });
  }

  /** "Do until": runs `body`, then stops when `exitWhen` is true or the limit is reached. */
  until(name: string, exitWhen: Ex, repeat: Body, options: Placement & { limit?: UntilLimit } = {}): string {
    return this.add(name, untilAction(exitWhen, this.fill(repeat), options.limit), options.after);
  }

  /** "Switch": runs the case whose value equals `on`, otherwise `otherwise` (when given). */
  switch(name: string, on: Ex, cases: Record<string, { value: Json; body: Body }>, options: Placement & { otherwise?: Body } = {}): string {
    const filled: Record<string, { value: Json; actions: Actions }> = {};
    for (const [caseName, c] of Object.entries(cases)) filled[caseName] = { value: c.value, actions: this.fill(c.body) };
    return this.add(name, switchAction(on, filled, options.otherwise && this.fill(options.otherwise)), options.after);
  }

  /**
   * The designer's error handling: a Try scope `name`, and a Catch scope that runs only when Try
   * failed or timed out. Catch starts by keeping Try's failed actions, and `onFailure` gets the
   * first one's name and message, to report and to fail the run or carry on. Returns Try's name,
   * for an action that runs after Try whatever happened in Catch.
   */
  tryCatch(name: string, attempt: Body, onFailure: CatchBody, options: TryCatchOptions = {}): string {
    const failures = options.failuresName ?? "Failures";
    this.scope(name, attempt, options);
    this.scope(
      options.catchName ?? "Catch",
      (c) => {
        c.add(failures, filterArray(result(name), call("equals", item().get("status"), "Failed")));
        const first = call("first", body(failures));
        onFailure(c, {
          step: call("coalesce", first.get("name"), "?"),
          message: call("coalesce", first.get("error").get("message"), "see the flow run for details"),
        });
      },
      { after: { [name]: ["Failed", "TimedOut"] } },
    );
    return name;
  }

  private fill(inside: Body): Actions {
    const inner = this.nested();
    inside(inner);
    return inner.actions;
  }

  private runAfter(after: After): RunAfter {
    if (after === "start") return {};
    if (after === "previous") return this.last ? { [this.last]: ["Succeeded"] } : {};
    if (typeof after === "string") return { [after]: ["Succeeded"] };
    return after;
  }

  /** A nested scope sharing this flow's name registry (action names are unique per flow). */
  nested(): ScopeBuilder {
    return new ScopeBuilder(this.names);
  }
}
