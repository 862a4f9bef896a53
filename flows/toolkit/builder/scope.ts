import type { RunAfter, RunStatus, WdlAction } from "../wdl";

/** Where an action goes and what it waits for; by default the previous action of the same scope. */
export type After = "previous" | "start" | Record<string, RunStatus[]> | string;

/**
 * An ordered list of actions (the top level of a flow, or the inside of a Scope, If branch,
 * Foreach, Until or Switch case). Actions run one after another unless told otherwise, which is
 * what a designer-built flow does and what keeps runAfter graphs simple to read.
 */
export class ScopeBuilder {
  readonly actions: Record<string, WdlAction> = {};
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
