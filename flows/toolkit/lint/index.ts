import type { ConnectorDefinition } from "../connectors/swagger";
import { parameterKnown } from "../connectors/swagger";
import { ExpressionSyntaxError, type Expr } from "../expr/ast";
import { parseTemplate } from "../expr/parser";
import { nodes } from "../expr/print";
import { arityProblem, findFunctionIgnoringCase, type FunctionSignature } from "../expr/catalog";
import { childScopes, RUN_STATUSES, type Json, type WdlAction } from "../wdl";
import { LIMITS } from "./limits";
import type { LintProblem } from "./problems";
import { RULES } from "./rules";
import type { FlowView } from "./rules/types";

export interface LintContext {
  /** Every workflow function with its argument counts. */
  functions: ReadonlyMap<string, FunctionSignature>;
  dataverse: ConnectorDefinition;
  /** Custom connectors by API name (connection reference api.name); `definition` is missing until built. */
  customConnectors: ReadonlyMap<string, CustomConnector>;
  /** Entity set names actions may use, and logical names triggers may use. */
  entitySets: ReadonlySet<string>;
  logicalNames: ReadonlySet<string>;
  /** Tables that carry N:N memberships (logical names); row triggers cannot fire on them. */
  relationshipTables?: ReadonlySet<string>;
}

export interface CustomConnector {
  /** How messages name it, e.g. "CleverReach". */
  label: string;
  definition?: ConnectorDefinition;
  /** Where its definition comes from, for the message when it is missing. */
  definitionFile: string;
}

interface Located {
  name: string;
  action: WdlAction;
  /** Containing actions from the top, outermost first. */
  ancestors: string[];
  /** Names of the actions in the same action list. */
  siblings: Record<string, WdlAction>;
  depth: number;
}

const DATAVERSE = "shared_commondataserviceforapps";
/** Functions whose first argument names an action that must run before the caller. */
const ACTION_REFERENCES = new Set(["body", "outputs", "actions", "result"]);

/** Checks one flow's clientdata the way the designer and the runtime would reject it. */
export function lintFlow(clientData: unknown, ctx: LintContext, flow: string): LintProblem[] {
  const problems: LintProblem[] = [];
  const add = (rule: string, where: string, message: string): void => {
    problems.push({ rule, where: `${flow}/${where}`, message });
  };
  const cd = clientData as { properties?: { connectionReferences?: Record<string, { api?: { name?: string } }>; definition?: Record<string, unknown> } };
  const def = cd.properties?.definition as
    { triggers?: Record<string, WdlAction>; actions?: Record<string, WdlAction>; parameters?: Record<string, unknown> } | undefined;
  if (!def) {
    add("definition", "", "clientdata has no properties.definition");
    return problems;
  }
  const connections = cd.properties?.connectionReferences ?? {};
  const triggers = Object.entries(def.triggers ?? {});
  if (triggers.length !== 1) add("trigger-count", "triggers", `a flow needs exactly one trigger, this one has ${triggers.length}`);

  // Locate every action.
  const located = new Map<string, Located>();
  const walk = (list: Record<string, WdlAction>, ancestors: string[], depth: number): void => {
    for (const [name, action] of Object.entries(list)) {
      if (located.has(name)) add("action-name-unique", name, `the action name "${name}" is used more than once`);
      located.set(name, { name, action, ancestors, siblings: list, depth });
      if (depth > LIMITS.nestingDepth) add("nesting-depth", name, `nested ${depth} levels deep (at most ${LIMITS.nestingDepth})`);
      for (const s of childScopes(action)) walk(s.actions, [...ancestors, name], depth + 1);
    }
  };
  walk(def.actions ?? {}, [], 1);
  const pathOf = (name: string): string => [...(located.get(name)?.ancestors ?? []), name].join("/");
  if (located.size > LIMITS.actions) add("action-count", "actions", `${located.size} actions (at most ${LIMITS.actions})`);
  for (const [t] of triggers) if (t.length > LIMITS.nameLength) add("action-name", `trigger ${t}`, `trigger name longer than ${LIMITS.nameLength} characters`);
  for (const l of located.values()) {
    if (l.name.length > LIMITS.nameLength) add("action-name", pathOf(l.name), `name is ${l.name.length} characters (at most ${LIMITS.nameLength})`);
    if (/[.:#%&*<>?\\/{|}"]/.test(l.name)) add("action-name", pathOf(l.name), "name contains a character flows do not allow");
  }

  // runAfter: known siblings, valid statuses, no cycles.
  for (const l of located.values()) {
    for (const [dep, statuses] of Object.entries(l.action.runAfter ?? {})) {
      if (!(dep in l.siblings)) {
        add(
          "run-after-unknown",
          pathOf(l.name),
          located.has(dep) ? `runs after "${dep}", which is in another scope` : `runs after "${dep}", which does not exist`,
        );
      }
      for (const s of statuses)
        if (!RUN_STATUSES.includes(s)) add("run-after-status", pathOf(l.name), `runAfter status "${s}" is not one of ${RUN_STATUSES.join(", ")}`);
    }
  }
  for (const l of located.values()) {
    const seen = new Set<string>();
    const stack = Object.keys(l.action.runAfter ?? {});
    while (stack.length) {
      const d = stack.pop() as string;
      if (d === l.name) {
        add("run-after-cycle", pathOf(l.name), "runAfter forms a cycle through this action");
        break;
      }
      if (seen.has(d)) continue;
      seen.add(d);
      stack.push(...Object.keys(l.siblings[d]?.runAfter ?? {}));
    }
  }

  // Visibility: which actions have finished when `name` runs.
  const predecessors = (name: string): Set<string> => {
    const l = located.get(name);
    const out = new Set<string>();
    const stack = Object.keys(l?.action.runAfter ?? {});
    while (stack.length) {
      const d = stack.pop() as string;
      if (out.has(d) || !l?.siblings[d]) continue;
      out.add(d);
      stack.push(...Object.keys(l.siblings[d]?.runAfter ?? {}));
    }
    return out;
  };
  const descendants = (name: string, throughLoops: boolean): string[] => {
    const a = located.get(name)?.action;
    if (!a) return [];
    if (!throughLoops && (a.type === "Foreach" || a.type === "Until")) return [];
    return childScopes(a).flatMap((s) => Object.keys(s.actions).flatMap((c) => [c, ...descendants(c, throughLoops)]));
  };
  const visibleFrom = (name: string): Set<string> => {
    const visible = new Set<string>();
    const l = located.get(name);
    if (!l) return visible;
    // An Until's exit condition is evaluated after each iteration and reads the loop's actions.
    if (l.action.type === "Until") for (const d of descendants(name, true)) visible.add(d);
    // An action inside a loop may use the actions before it in the same iteration.
    for (const holder of [name, ...[...l.ancestors].reverse()]) {
      for (const p of predecessors(holder)) {
        visible.add(p);
        for (const d of descendants(p, false)) visible.add(d);
      }
    }
    return visible;
  };

  // Variables are declared at the top level only.
  const variables = new Set<string>();
  for (const l of located.values()) {
    if (l.action.type !== "InitializeVariable") continue;
    if (l.ancestors.length > 0) add("variable-init-nested", pathOf(l.name), "Initialize variable is only allowed at the top level of a flow");
    const vars = (l.action.inputs as { variables?: Array<{ name?: string }> } | undefined)?.variables ?? [];
    for (const v of vars) if (v.name) variables.add(v.name);
  }
  if (variables.size > LIMITS.variables) add("variables-count", "actions", `${variables.size} variables (at most ${LIMITS.variables})`);
  const parameterNames = new Set(Object.keys(def.parameters ?? {}));

  const checkExpression = (e: Expr, where: string, owner: string | undefined): void => {
    for (const n of nodes(e)) {
      if (n.kind !== "call") continue;
      const sig = ctx.functions.get(n.name);
      if (!sig) {
        const near = findFunctionIgnoringCase(n.name);
        add("function-unknown", where, `"${n.name}" is not a workflow function${near ? ` (did you mean "${near.name}"?)` : ""}`);
        continue;
      }
      const arity = arityProblem(sig, n.args.length);
      if (arity) add("function-arity", where, arity);
      const first = n.args[0];
      const literal = first?.kind === "string" ? first.value : undefined;
      if (ACTION_REFERENCES.has(n.name) && literal !== undefined) {
        if (!located.has(literal)) add("reference-unknown", where, `${n.name}('${literal}') names an action that does not exist`);
        else if (owner && !visibleFrom(owner).has(literal))
          add("reference-unreachable", where, `${n.name}('${literal}') refers to an action that has not run when this one runs`);
        if (n.name === "result" && located.has(literal) && childScopes(located.get(literal)?.action as WdlAction).length === 0) {
          add("reference-unknown", where, `result('${literal}') needs a Scope, Foreach, Until or If, not a ${located.get(literal)?.action.type}`);
        }
      }
      if ((n.name === "items" || n.name === "iterationIndexes") && literal !== undefined) {
        const loopType = n.name === "items" ? "Foreach" : "Until";
        const anc = owner ? (located.get(owner)?.ancestors ?? []) : [];
        if (!anc.includes(literal) || located.get(literal)?.action.type !== loopType) {
          add("items-outside-loop", where, `${n.name}('${literal}') is only valid inside the ${loopType} "${literal}"`);
        }
      }
      if (n.name === "variables" && literal !== undefined && !variables.has(literal))
        add("variable-undeclared", where, `variable "${literal}" is never initialized`);
      if (n.name === "parameters" && literal !== undefined && !parameterNames.has(literal))
        add("parameter-undeclared", where, `parameter "${literal}" is not in the definition's parameters`);
    }
  };

  const checkStrings = (v: unknown, where: string, owner: string | undefined): void => {
    if (typeof v === "string") {
      if (!v.includes("@")) return;
      if (v.length > LIMITS.expressionLength) add("expression-length", where, `expression is ${v.length} characters (at most ${LIMITS.expressionLength})`);
      try {
        const t = parseTemplate(v);
        if (t.kind === "expression") checkExpression(t.expr, where, owner);
        if (t.kind === "interpolation") for (const part of t.parts) if (typeof part !== "string") checkExpression(part, where, owner);
      } catch (e) {
        if (e instanceof ExpressionSyntaxError) add("expression-syntax", where, e.message);
        else throw e;
      }
    } else if (Array.isArray(v)) v.forEach((x) => checkStrings(x, where, owner));
    else if (v && typeof v === "object") for (const x of Object.values(v)) checkStrings(x, where, owner);
  };

  for (const [name, trigger] of triggers) {
    checkStrings((trigger as { inputs?: Json }).inputs, `trigger ${name}`, undefined);
    checkOperation(trigger as WdlAction, `trigger ${name}`, true);
  }
  for (const l of located.values()) {
    const where = pathOf(l.name);
    const { actions: _children, else: _else, cases: _cases, default: _default, runAfter: _runAfter, ...own } = l.action;
    checkStrings(own, where, l.name);
    for (const c of Object.values(l.action.cases ?? {})) checkStrings(c.case, where, l.name);
    checkOperation(l.action, where, false);
    checkLimits(l.action, where);
  }

  function checkLimits(a: WdlAction, where: string): void {
    const reps = a.runtimeConfiguration?.concurrency?.repetitions;
    if (reps !== undefined && (reps < LIMITS.foreachConcurrency.min || reps > LIMITS.foreachConcurrency.max)) {
      add("foreach-concurrency", where, `Foreach concurrency ${reps} is outside ${LIMITS.foreachConcurrency.min}..${LIMITS.foreachConcurrency.max}`);
    }
    const items = a.runtimeConfiguration?.paginationPolicy?.minimumItemCount;
    if (items !== undefined && (items < 1 || items > LIMITS.paginationItems)) {
      add("pagination-limit", where, `pagination threshold ${items} is outside 1..${LIMITS.paginationItems}`);
    }
    if (a.type === "Switch" && Object.keys(a.cases ?? {}).length > LIMITS.switchCases) add("switch-cases", where, `more than ${LIMITS.switchCases} cases`);
    if (a.type === "Until" && (a.limit?.count ?? 60) > LIMITS.untilCount) add("until-limit", where, `Until count above ${LIMITS.untilCount}`);
  }

  function checkOperation(a: WdlAction, where: string, isTrigger: boolean): void {
    const inputs = a.inputs as
      { host?: { connectionName?: string; operationId?: string }; operationId?: string; parameters?: Record<string, Json> } | undefined;
    if (!inputs) return;
    const isConnector = a.type === "OpenApiConnection" || a.type === "OpenApiConnectionWebhook" || (a.type === "Request" && a.kind === "ApiConnection");
    if (!isConnector) return;
    const connection = inputs.host?.connectionName ?? (a.type === "Request" ? DATAVERSE : undefined);
    const operationId = inputs.host?.operationId ?? inputs.operationId;
    if (!connection || !operationId) {
      add("connector-operation", where, "a connector action needs host.connectionName and an operationId");
      return;
    }
    const ref = connections[connection];
    if (!ref) {
      add("connection-unknown", where, `connection "${connection}" is not among the flow's connectionReferences`);
      return;
    }
    const api = ref.api?.name;
    const custom = api === undefined ? undefined : ctx.customConnectors.get(api);
    const definition = api === DATAVERSE ? ctx.dataverse : custom?.definition;
    const label = api === DATAVERSE ? "Dataverse" : (custom?.label ?? String(api));
    if (!definition) {
      if (!custom) add("connection-unknown", where, `API "${api}" is not a connector this product uses`);
      else add("connector-operation", where, `the ${custom.label} connector definition (${custom.definitionFile}) is missing`);
      return;
    }
    const op = definition.operations.get(operationId);
    if (!op) {
      add(api === DATAVERSE ? "dataverse-operation" : "connector-operation", where, `${label} has no operation "${operationId}"`);
      return;
    }
    const params = inputs.parameters ?? {};
    for (const key of Object.keys(params)) {
      if (!parameterKnown(op, key))
        add(api === DATAVERSE ? "dataverse-parameter" : "connector-parameter", where, `${label} operation ${operationId} has no parameter "${key}"`);
    }
    for (const p of op.parameters) {
      // The platform fills internal parameters (connection id, headers with defaults).
      if (!p.required || p.visibility === "internal" || p.default !== undefined || p.in === "header") continue;
      const given = Object.keys(params).some((k) => k === p.name || k.startsWith(`${p.name}/`));
      if (!given)
        add(api === DATAVERSE ? "dataverse-parameter" : "connector-parameter", where, `${label} operation ${operationId} needs the parameter "${p.name}"`);
    }
    if (api === DATAVERSE) {
      const entityName = params.entityName;
      if (typeof entityName === "string" && !entityName.startsWith("@") && !isTrigger && !ctx.entitySets.has(entityName)) {
        add("dataverse-entity-set", where, `"${entityName}" is not an entity set name (actions take the plural set name, e.g. contacts)`);
      }
      if (isTrigger && operationId === "RecordSelected" && typeof entityName === "string" && !ctx.entitySets.has(entityName)) {
        add("dataverse-entity-set", where, `"${entityName}" is not an entity set name`);
      }
      const triggerEntity = params["subscriptionRequest/entityname"];
      if (typeof triggerEntity === "string" && !ctx.logicalNames.has(triggerEntity)) {
        add("dataverse-trigger-entity", where, `"${triggerEntity}" is not a table logical name (the trigger takes the singular logical name, e.g. contact)`);
      }
      const top = params.$top;
      if (typeof top === "number" && (top < 1 || top > LIMITS.listPageSize)) add("top-limit", where, `$top ${top} is outside 1..${LIMITS.listPageSize}`);
      // Dataverse pages FetchXML with the fetch element's page and paging-cookie, never with
      // @odata.nextLink (page-results.md), and nothing documents that the connector's pagination
      // follows a FetchXML query: a flow relying on it may get the first page only, silently.
      if (operationId === "ListRecords" && params.fetchXml !== undefined && a.runtimeConfiguration?.paginationPolicy) {
        add(
          "fetchxml-pagination",
          where,
          "pagination is not documented for a FetchXML query (Dataverse pages FetchXML with page and paging-cookie); read its pages in the flow",
        );
      }
    }
  }
  const view: FlowView = {
    connectionReferences: connections as FlowView["connectionReferences"],
    definition: {
      triggers: def.triggers ?? {},
      actions: def.actions ?? {},
      parameters: (def.parameters ?? {}) as FlowView["definition"]["parameters"],
      outputs: (def as { outputs?: Json }).outputs,
    },
    triggers: triggers.map(([name, trigger]) => ({ name, trigger: trigger as FlowView["triggers"][number]["trigger"] })),
    actions: [...located.values()].map((l) => ({
      name: l.name,
      action: l.action,
      path: pathOf(l.name),
      containers: l.ancestors.map((n) => ({ name: n, action: located.get(n)?.action as WdlAction })),
    })),
  };
  for (const rule of RULES) rule(view, add, { relationshipTables: ctx.relationshipTables ?? new Set() });
  return problems;
}
