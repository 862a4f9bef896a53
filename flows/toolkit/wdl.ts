/** The parts of the workflow definition language (WDL) that the product's flows use. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type RunStatus = "Succeeded" | "Failed" | "Skipped" | "TimedOut";
export const RUN_STATUSES: readonly RunStatus[] = ["Succeeded", "Failed", "Skipped", "TimedOut"];
export type RunAfter = Record<string, RunStatus[]>;

export interface RetryPolicy {
  type: "exponential" | "fixed" | "none";
  count?: number;
  /** ISO 8601 duration, e.g. PT10S. */
  interval?: string;
  minimumInterval?: string;
  maximumInterval?: string;
}

export interface RuntimeConfiguration {
  /** Foreach: `repetitions` (iterations at once); triggers: `runs` (runs at once) and `maximumWaitingRuns`. */
  concurrency?: { repetitions?: number; runs?: number; maximumWaitingRuns?: number };
  paginationPolicy?: { minimumItemCount: number };
  secureData?: { properties: Array<"inputs" | "outputs"> };
}

/** One action. Which fields are set depends on `type` (see the builders in builder/actions.ts and builder/control.ts). */
export interface WdlAction {
  type: string;
  kind?: string;
  runAfter?: RunAfter;
  inputs?: Json;
  /** If: the condition object; Until: the exit expression string. */
  expression?: Json;
  /** Scope, If (the true branch), Foreach, Until. */
  actions?: Record<string, WdlAction>;
  else?: { actions: Record<string, WdlAction> };
  /** Switch */
  cases?: Record<string, { case: Json; actions: Record<string, WdlAction> }>;
  default?: { actions: Record<string, WdlAction> };
  /** Foreach */
  foreach?: string;
  /** Until */
  limit?: { count?: number; timeout?: string };
  runtimeConfiguration?: RuntimeConfiguration;
  description?: string;
  metadata?: OperationMetadata;
}

/** What the designer keeps beside an operation; `operationMetadataId` is a GUID per trigger and action. */
export interface OperationMetadata {
  operationMetadataId?: string;
}

export interface WdlTrigger {
  type: string;
  kind?: string;
  inputs?: Json;
  recurrence?: Json;
  splitOn?: string;
  conditions?: Json[];
  runtimeConfiguration?: RuntimeConfiguration;
  operationOptions?: string;
  description?: string;
  metadata?: OperationMetadata;
}

export interface WdlParameter {
  type: "String" | "Int" | "Float" | "Bool" | "Object" | "Array" | "SecureString" | "SecureObject";
  defaultValue: Json;
  metadata?: { schemaName?: string; description?: string };
}

export interface WdlDefinition {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, WdlParameter>;
  triggers: Record<string, WdlTrigger>;
  actions: Record<string, WdlAction>;
  outputs?: Json;
}

const isObject = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);

/** What each parameter type holds (Workflow Definition Language, "Parameters"). */
const PARAMETER_HOLDS: Record<WdlParameter["type"], { what: string; test: (v: unknown) => boolean }> = {
  String: { what: "a string", test: (v) => typeof v === "string" },
  SecureString: { what: "a string", test: (v) => typeof v === "string" },
  Int: { what: "an integer", test: (v) => Number.isInteger(v) },
  Float: { what: "a number", test: (v) => typeof v === "number" },
  Bool: { what: "true or false", test: (v) => typeof v === "boolean" },
  Object: { what: "an object", test: isObject },
  SecureObject: { what: "an object", test: isObject },
  Array: { what: "an array", test: (v) => Array.isArray(v) },
};

/**
 * Why a value does not fit a parameter of this type, or undefined when it does. The engine
 * type-checks parameter values (WorkflowParametersValueTypeMismatch, Azure/LogicAppsUX#2962).
 */
export function parameterValueProblem(type: string, value: unknown): string | undefined {
  const holds = PARAMETER_HOLDS[type as WdlParameter["type"]];
  if (!holds) return `"${type}" is not a parameter type`;
  if (holds.test(value)) return undefined;
  const got = Array.isArray(value) ? "an array" : value === null ? "null" : typeof value;
  return `a ${type} parameter holds ${holds.what}, the value is ${got} (WorkflowParametersValueTypeMismatch)`;
}

export interface ConnectionReferenceEntry {
  runtimeSource: "embedded" | "invoker";
  connection: { connectionReferenceLogicalName: string };
  api: { name: string; logicalName?: string };
}

/** The `clientdata` of a cloud flow (the Workflows/*.json file). */
export interface FlowClientData {
  properties: {
    connectionReferences: Record<string, ConnectionReferenceEntry>;
    definition: WdlDefinition;
    templateName?: string;
  };
  schemaVersion: string;
}

export const WDL_SCHEMA = "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#";

/** Actions that contain other actions, and where. */
export function childScopes(a: WdlAction): Array<{ label: string; actions: Record<string, WdlAction> }> {
  const out: Array<{ label: string; actions: Record<string, WdlAction> }> = [];
  if (a.actions) out.push({ label: a.type === "If" ? "true branch" : "actions", actions: a.actions });
  if (a.else) out.push({ label: "false branch", actions: a.else.actions });
  for (const [name, c] of Object.entries(a.cases ?? {})) out.push({ label: `case ${name}`, actions: c.actions });
  if (a.default) out.push({ label: "default", actions: a.default.actions });
  return out;
}
