import { ROW_MESSAGE, TRIGGER_RUN_AS, TRIGGER_SCOPE } from "../builder/dataverse";
import type { FlowClientData, Json, WdlTrigger } from "../wdl";
import { code, expressionText, type Piece } from "./text";

/** What starts a flow, for people reading it. */
export interface TriggerView {
  /** The trigger's name in the definition. */
  name: string;
  /** One line saying when the flow runs. */
  summary: Piece[];
  /** The trigger's settings, label → Markdown, in reading order. */
  details: Array<[string, string]>;
}

type JsonObject = Record<string, Json>;
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const field = (o: Json | undefined, key: string): Json | undefined => (isObject(o) ? o[key] : undefined);

/** `addedOrModified` → "added or modified". */
const words = (key: string): string => key.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
const MESSAGE_WORDS: Partial<Record<keyof typeof ROW_MESSAGE, string>> = { any: "added, modified or deleted" };

/** The key of `table` whose value is `value`, in words (the numbers the definition stores). */
function named<K extends string>(table: Record<K, number>, value: Json | undefined, overrides: Partial<Record<K, string>> = {}): string {
  const key = (Object.keys(table) as K[]).find((k) => table[k] === value);
  if (key === undefined) return `code ${JSON.stringify(value ?? null)}`;
  return overrides[key] ?? words(key);
}

const columnList = (csv: string): string =>
  csv
    .split(",")
    .map((c) => code(c.trim()))
    .join(", ");

function inputList(schema: Json | undefined): string {
  const properties = field(schema, "properties");
  const required = field(schema, "required");
  if (!isObject(properties) || Object.keys(properties).length === 0) return "none";
  return Object.entries(properties)
    .map(([name, p]) => {
      const type = field(p, "type");
      const values = field(p, "enum");
      const facts = [typeof type === "string" ? type : "any", ...(Array.isArray(values) ? [`one of ${values.map((v) => code(String(v))).join(", ")}`] : [])];
      const optional = Array.isArray(required) && !required.includes(name) ? ", optional" : "";
      return `${code(name)} (${facts.join(", ")}${optional})`;
    })
    .join("; ");
}

function every(recurrence: Json | undefined): string {
  const frequency = field(recurrence, "frequency");
  const interval = field(recurrence, "interval");
  const unit = typeof frequency === "string" ? frequency.toLowerCase() : "?";
  return interval === 1 ? `every ${unit}` : `every ${String(interval)} ${unit}s`;
}

/** The Dataverse "When a row is added, modified or deleted" trigger (builder/dataverse.ts rowTrigger). */
function rowTriggerView(name: string, t: WdlTrigger, host: Json | undefined, p: JsonObject): TriggerView {
  const message = named(ROW_MESSAGE, p["subscriptionRequest/message"], MESSAGE_WORDS);
  const table = String(p["subscriptionRequest/entityname"] ?? "?");
  const details: Array<[string, string]> = [
    ["Kind", `Dataverse: when a row is ${message} (${code(t.type)})`],
    ["Table", code(table)],
    ["Change type", message],
    ["Scope", named(TRIGGER_SCOPE, p["subscriptionRequest/scope"])],
  ];
  const columns = p["subscriptionRequest/filteringattributes"];
  if (typeof columns === "string") details.push(["Filtering columns", columnList(columns)]);
  const filter = p["subscriptionRequest/filterexpression"];
  if (typeof filter === "string") details.push(["Row filter", code(filter)]);
  if (p["subscriptionRequest/runas"] !== undefined) details.push(["Run as", named(TRIGGER_RUN_AS, p["subscriptionRequest/runas"])]);
  const connection = field(host, "connectionName");
  if (typeof connection === "string") details.push(["Connection", code(connection)]);
  return { name, summary: ["Dataverse: ", { code: table }, ` row ${message}`], details };
}

function triggerView(name: string, t: WdlTrigger): TriggerView {
  const inputs = t.inputs;
  const host = field(inputs, "host");
  const operationId = field(host, "operationId") ?? field(inputs, "operationId");
  const parameters = field(inputs, "parameters");
  if (t.type === "Recurrence") {
    const schedule = every(t.recurrence);
    const details: Array<[string, string]> = [
      ["Kind", `Schedule (${code(t.type)})`],
      ["Schedule", schedule],
    ];
    for (const [k, v] of Object.entries(isObject(t.recurrence) ? t.recurrence : {})) {
      if (k !== "frequency" && k !== "interval") details.push([k, code(JSON.stringify(v))]);
    }
    return { name, summary: [`Schedule: ${schedule}`], details };
  }
  if (t.type === "OpenApiConnectionWebhook" && operationId === "SubscribeWebhookTrigger" && isObject(parameters)) {
    return rowTriggerView(name, t, host, parameters);
  }
  if (t.type === "Request" && t.kind === "Button") {
    const schema = field(inputs, "schema");
    const properties = field(schema, "properties");
    const names = isObject(properties) ? Object.keys(properties) : [];
    return {
      name,
      summary: [
        "Called manually or by another flow (inputs: ",
        ...(names.length > 0 ? names.flatMap((n, i): Piece[] => [...(i > 0 ? [", "] : []), { code: n }]) : ["none"]),
        ")",
      ],
      details: [
        ["Kind", `Manually or from another flow (${code(`${t.type} / ${t.kind}`)})`],
        ["Inputs", inputList(schema)],
      ],
    };
  }
  if (t.type === "Request" && t.kind === "ApiConnection" && operationId === "RecordSelected") {
    const table = String(field(parameters, "entityName") ?? "?");
    return {
      name,
      summary: ["A user runs it on a selected ", { code: table }, " row"],
      details: [
        ["Kind", `When a row is selected, from the row's Flow menu (${code(`${t.type} / ${t.kind}`)}, ${code("RecordSelected")})`],
        ["Table", code(table)],
      ],
    };
  }
  const kind = `${t.type}${t.kind ? ` / ${t.kind}` : ""}`;
  const details: Array<[string, string]> = [["Kind", code(kind)]];
  if (typeof operationId === "string") details.push(["Operation", code(operationId)]);
  if (isObject(parameters)) details.push(["Parameters", code(JSON.stringify(parameters))]);
  return { name, summary: [{ code: kind }, ...(typeof operationId === "string" ? [" ", { code: operationId }] : [])], details };
}

/** The flow's trigger, with the settings every kind of trigger may carry. */
export function describeTrigger(clientData: FlowClientData): TriggerView {
  const [entry] = Object.entries(clientData.properties.definition.triggers);
  if (!entry) return { name: "", summary: ["no trigger"], details: [] };
  const [name, t] = entry;
  const view = triggerView(name, t);
  for (const c of t.conditions ?? []) view.details.push(["Trigger condition", code(expressionText(field(c, "expression")))]);
  if (t.splitOn) view.details.push(["Split on", code(expressionText(t.splitOn))]);
  const runs = t.runtimeConfiguration?.concurrency?.runs;
  if (runs !== undefined) view.details.push(["Concurrent runs", String(runs)]);
  if (t.description) view.details.push(["Description", t.description]);
  return view;
}
