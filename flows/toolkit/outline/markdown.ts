import type { FlowClientData } from "../wdl";
import { actionViews, type ActionView, type FlowNames } from "./actions";
import { flowDiagram } from "./mermaid";
import { code, markdown, tableCell } from "./text";
import { describeTrigger } from "./trigger";

export interface OutlineOptions {
  /** The flow's display name. */
  title: string;
  /** One line on what the flow is for. */
  purpose?: string;
  /** Facts the definition does not hold (file, run-as…), label → Markdown, listed under the title. */
  facts?: Array<[string, string]>;
  flowNames?: FlowNames;
}

function table(head: string[], rows: string[][]): string[] {
  if (rows.length === 0) return ["None."];
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(tableCell).join(" | ")} |`)];
}

function actionLines(views: ActionView[], indent: string): string[] {
  return views.flatMap((v) => {
    const detail = v.detail.length > 0 ? `: ${markdown(v.detail)}` : "";
    const after = v.after.length > 0 ? ` — ${markdown(v.after)}` : "";
    const lines = [`${indent}- ${code(v.name)} — ${v.type}${detail}${after}`];
    for (const b of v.branches) {
      if (b.label === undefined) {
        lines.push(...actionLines(b.actions, `${indent}  `));
      } else if (b.actions.length === 0) {
        lines.push(`${indent}  - ${b.label}: nothing`);
      } else {
        lines.push(`${indent}  - ${b.label}:`, ...actionLines(b.actions, `${indent}    `));
      }
    }
    return lines;
  });
}

/**
 * A flow as a reader wants it before importing: trigger, connections, environment-variable
 * parameters, the action tree and a diagram, all read from the definition (clientdata) alone.
 */
export function flowOutline(clientData: FlowClientData, o: OutlineOptions): string {
  const { connectionReferences, definition } = clientData.properties;
  const trigger = describeTrigger(clientData);
  const connections = Object.entries(connectionReferences).map(([key, c]) => [
    code(key),
    code(c.connection.connectionReferenceLogicalName),
    c.api.logicalName ? `${code(c.api.name)} (${code(c.api.logicalName)})` : code(c.api.name),
  ]);
  const parameters = Object.entries(definition.parameters)
    .filter(([name]) => !name.startsWith("$"))
    .map(([name, p]) => [code(name), p.metadata?.schemaName ? code(p.metadata.schemaName) : "", p.type, code(JSON.stringify(p.defaultValue))]);
  const actions = actionViews(definition.actions, o.flowNames);
  const lines = [
    `# ${o.title}`,
    "",
    ...(o.purpose ? [o.purpose, ""] : []),
    ...(o.facts && o.facts.length > 0 ? [...o.facts.map(([k, v]) => `- ${k}: ${v}`), ""] : []),
    "## Trigger",
    "",
    `${code(trigger.name)}: ${markdown(trigger.summary)}`,
    "",
    ...table(["Setting", "Value"], trigger.details),
    "",
    "## Connections",
    "",
    ...table(["Connection", "Connection reference", "API"], connections),
    "",
    "## Environment variables",
    "",
    ...table(["Parameter", "Schema name", "Type", "Default"], parameters),
    "",
    "## Actions",
    "",
    ...(actions.length > 0 ? actionLines(actions, "") : ["None."]),
    "",
    "## Diagram",
    "",
    "```mermaid",
    flowDiagram(clientData, o.flowNames),
    "```",
    "",
  ];
  return lines.join("\n");
}

/** One row of the index of flows. */
export interface IndexEntry {
  title: string;
  clientData: FlowClientData;
  purpose?: string;
  outlineHref: string;
  definitionHref: string;
}

/** A Markdown index of flows: name, trigger, purpose, and links to each outline and definition. */
export function flowIndex(heading: string, intro: string, entries: IndexEntry[]): string {
  const rows = entries.map((e) => [
    e.title,
    markdown(describeTrigger(e.clientData).summary),
    e.purpose ?? "",
    `[outline](${encodeURI(e.outlineHref)})`,
    `[JSON](${encodeURI(e.definitionHref)})`,
  ]);
  return [`# ${heading}`, "", intro, "", ...table(["Flow", "Trigger", "Purpose", "Outline", "Definition"], rows), ""].join("\n");
}
