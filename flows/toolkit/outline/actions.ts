import { childScopes, type Json, type RunAfter, type WdlAction } from "../wdl";
import { conditionText, expressionText, type Piece } from "./text";

/** One action as a reader sees it; nested actions sit in its branches. */
export interface ActionView {
  name: string;
  /** `type`, or `type/kind` when the action has a kind. */
  type: string;
  /** What the action works on (operation, variable, condition, items…); empty when the type says it all. */
  detail: Piece[];
  runAfter: RunAfter;
  /** When it runs, only where that is not "after the action above it succeeded". */
  after: Piece[];
  branches: BranchView[];
}

export interface BranchView {
  /** Undefined for the body of a scope or loop, which belongs to the action itself. */
  label: string | undefined;
  actions: ActionView[];
}

/** Names of other flows by workflow id, so a child-flow call reads as the flow's name. */
export type FlowNames = Record<string, string>;

type JsonObject = Record<string, Json>;
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const field = (o: Json | undefined, key: string): Json | undefined => (isObject(o) ? o[key] : undefined);
const str = (v: Json | undefined): string | undefined => (typeof v === "string" ? v : undefined);

function detail(a: WdlAction, flowNames: FlowNames): Piece[] {
  const inputs = a.inputs;
  switch (a.type) {
    case "OpenApiConnection":
    case "ApiConnection": {
      const host = field(inputs, "host");
      const operation = str(field(host, "operationId")) ?? str(field(inputs, "operationId"));
      const connection = str(field(host, "connectionName")) ?? str(field(field(host, "connection"), "name"));
      const table = field(field(inputs, "parameters"), "entityName");
      const out: Piece[] = [];
      if (operation) out.push({ code: operation });
      if (table !== undefined) out.push(", table ", { code: expressionText(table) });
      if (connection) out.push(" via ", { code: connection });
      return out;
    }
    case "Workflow": {
      const id = str(field(field(inputs, "host"), "workflowReferenceName")) ?? "?";
      const name = flowNames[id];
      return name ? ["child flow ", { code: name }] : ["child flow ", { code: id }];
    }
    case "InitializeVariable": {
      const variables = field(inputs, "variables");
      return (Array.isArray(variables) ? variables : []).flatMap((v, i): Piece[] => [
        ...(i > 0 ? ["; "] : []),
        { code: str(field(v, "name")) ?? "?" },
        ` (${str(field(v, "type")) ?? "?"})`,
      ]);
    }
    case "SetVariable":
    case "IncrementVariable":
    case "DecrementVariable":
    case "AppendToArrayVariable":
    case "AppendToStringVariable":
      return [{ code: str(field(inputs, "name")) ?? "?" }];
    case "If":
      return [{ code: conditionText(a.expression) }];
    case "Foreach": {
      const repetitions = a.runtimeConfiguration?.concurrency?.repetitions;
      return ["items ", { code: expressionText(a.foreach) }, ...(repetitions !== undefined ? [`, ${repetitions} at a time`] : [])];
    }
    case "Until": {
      const limit = [a.limit?.count !== undefined ? `${a.limit.count} times` : "", a.limit?.timeout ?? ""].filter(Boolean).join(" or ");
      return ["until ", { code: expressionText(a.expression) }, ...(limit ? [`, at most ${limit}`] : [])];
    }
    case "Switch":
      return ["on ", { code: expressionText(a.expression) }];
    case "Query":
      return ["where ", { code: expressionText(field(inputs, "where")) }];
    case "Terminate": {
      const code = str(field(field(inputs, "runError"), "code"));
      return [`run ends ${str(field(inputs, "runStatus")) ?? "?"}`, ...(code ? [" with ", { code }] : [])];
    }
    case "Response":
      return [`status ${JSON.stringify(field(inputs, "statusCode") ?? null)}`];
    case "Wait": {
      const interval = field(inputs, "interval");
      return ["for ", { code: expressionText(field(interval, "count")) }, ` ${str(field(interval, "unit")) ?? "?"}(s)`];
    }
    default:
      return [];
  }
}

/** Empty when `runAfter` is what the designer writes for "after the action above, if it succeeded". */
function after(runAfter: RunAfter | undefined, previous: string | undefined): Piece[] {
  const entries = Object.entries(runAfter ?? {});
  if (entries.length === 0) return previous === undefined ? [] : ["at the start of its scope, alongside the actions above"];
  const [only] = entries;
  if (entries.length === 1 && only && only[0] === previous && only[1].length === 1 && only[1][0] === "Succeeded") return [];
  return entries.flatMap(([name, statuses], i): Piece[] => [i === 0 ? "after " : "; ", { code: name }, ` ${statuses.join(" or ")}`]);
}

function branchLabel(a: WdlAction, label: string): string | undefined {
  if (label === "actions") return undefined;
  if (label.startsWith("case ")) {
    const name = label.slice("case ".length);
    return `case ${name} = ${JSON.stringify(a.cases?.[name]?.case ?? null)}`;
  }
  return label;
}

/** The actions of one scope, in the order they are written, with their nested actions. */
export function actionViews(actions: Record<string, WdlAction>, flowNames: FlowNames = {}): ActionView[] {
  let previous: string | undefined;
  return Object.entries(actions).map(([name, a]) => {
    const view: ActionView = {
      name,
      type: a.kind ? `${a.type}/${a.kind}` : a.type,
      detail: [...detail(a, flowNames), ...(a.description ? [` (${a.description})`] : [])],
      runAfter: a.runAfter ?? {},
      after: after(a.runAfter, previous),
      branches: childScopes(a).map((s) => ({ label: branchLabel(a, s.label), actions: actionViews(s.actions, flowNames) })),
    };
    previous = name;
    return view;
  });
}
