import type { Json, WdlAction, WdlParameter, WdlTrigger } from "../../wdl";

/** One action as a rule sees it: where it sits and what contains it. */
export interface PlacedAction {
  name: string;
  action: WdlAction;
  /** `Outer/Inner/Name`, as problems name it. */
  path: string;
  /** The containing actions, outermost first. */
  containers: Array<{ name: string; action: WdlAction }>;
}

/** What the rules read of one flow. */
export interface FlowView {
  connectionReferences: Record<string, { api?: { name?: string; logicalName?: string } }>;
  definition: { triggers: Record<string, WdlTrigger>; actions: Record<string, WdlAction>; parameters: Record<string, WdlParameter>; outputs?: Json };
  triggers: Array<{ name: string; trigger: WdlTrigger }>;
  actions: PlacedAction[];
}

export interface RuleContext {
  /** Tables that carry N:N memberships (logical names), on which the row trigger cannot fire. */
  relationshipTables: ReadonlySet<string>;
}

export type Report = (rule: string, where: string, message: string) => void;

/** One problem the platform (or the designer) refuses, checked on a whole flow. */
export type Rule = (flow: FlowView, report: Report, ctx: RuleContext) => void;

export const DATAVERSE_API = "shared_commondataserviceforapps";

/** A Dataverse connector operation id of a trigger or action, when it is one. */
export function dataverseOperation(op: WdlAction | WdlTrigger, connections: FlowView["connectionReferences"]): string | undefined {
  const inputs = op.inputs as { host?: { connectionName?: string; operationId?: string; connection?: unknown }; operationId?: string } | undefined;
  if (!inputs) return undefined;
  // Hybrid triggers (type Request, kind ApiConnection) name the operation beside `host` and only Dataverse's are used here.
  if (op.type === "Request" && op.kind === "ApiConnection") return inputs.operationId;
  const connection = inputs.host?.connectionName;
  if (!connection || connections[connection]?.api?.name !== DATAVERSE_API) return undefined;
  return inputs.host?.operationId;
}
