import type { FlowClientData } from "../wdl";
import { actionViews, type ActionView, type FlowNames } from "./actions";
import { mermaidText, plain, shorten } from "./text";
import { describeTrigger } from "./trigger";

/** Longest text of one line of a node label; the outline above the diagram has the full text. */
const LABEL_MAX = 70;
const INDENT = "  ";

const label = (...lines: string[]): string => `"${lines.map((l) => mermaidText(shorten(l, LABEL_MAX))).join("<br/>")}"`;

/** The node that shows a container's own setting (condition, items, exit test, switch value). */
function headShape(type: string, text: string): string {
  switch (type) {
    case "If":
    case "Switch":
      return `{${label(text)}}`;
    case "Foreach":
      return `[/${label(text)}/]`;
    case "Until":
      return `{{${label(text)}}}`;
    default:
      return `[${label(text)}]`;
  }
}

class Diagram {
  readonly lines: string[] = ["flowchart TD"];
  private readonly edges: string[] = [];
  private next = 0;

  /** Draws one scope's actions at `indent`; roots are linked from `entry` (the trigger or a loop's head). */
  scope(views: ActionView[], indent: string, entry: string | undefined): void {
    const ids = new Map<string, string>();
    for (const v of views) {
      const id = `n${++this.next}`;
      ids.set(v.name, id);
      this.action(v, id, indent);
    }
    for (const v of views) {
      const id = ids.get(v.name) ?? "";
      const before = Object.entries(v.runAfter);
      if (before.length === 0 && entry) this.edges.push(`${entry} --> ${id}`);
      for (const [name, statuses] of before) {
        const from = ids.get(name);
        // A runAfter naming an action outside this scope is the linter's to report, not a line to draw.
        if (!from) continue;
        const succeeded = statuses.length === 1 && statuses[0] === "Succeeded";
        this.edges.push(succeeded ? `${from} --> ${id}` : `${from} -.->|${label(statuses.join(", "))}| ${id}`);
      }
    }
  }

  private action(v: ActionView, id: string, indent: string): void {
    const detail = plain(v.detail);
    const drawn = v.branches.some((b) => b.actions.length > 0);
    if (!drawn) {
      this.lines.push(`${indent}${id}[${label(v.name, detail ? `${v.type}: ${detail}` : v.type)}]`);
      return;
    }
    this.lines.push(`${indent}subgraph ${id}[${label(`${v.type}: ${v.name}`)}]`);
    const inner = indent + INDENT;
    const head = detail ? `${id}_h` : undefined;
    if (head) this.lines.push(`${inner}${head}${headShape(v.type, detail)}`);
    v.branches.forEach((b, i) => {
      if (b.label === undefined) {
        this.scope(b.actions, inner, head);
        return;
      }
      if (b.actions.length === 0) return;
      const branch = `${id}_b${i}`;
      this.lines.push(`${inner}subgraph ${branch}[${label(b.label)}]`);
      this.scope(b.actions, inner + INDENT, undefined);
      this.lines.push(`${inner}end`);
      if (head) this.edges.push(`${head} -->|${label(b.label)}| ${branch}`);
    });
    this.lines.push(`${indent}end`);
  }

  text(): string {
    // Edges come last: a node belongs to the subgraph where it is first written.
    return [...this.lines, ...this.edges.map((e) => `${INDENT}${e}`)].join("\n");
  }
}

/**
 * A Mermaid `flowchart TD` of the trigger and the actions: scopes, loops and conditions are
 * subgraphs (a condition's or switch's branches are subgraphs inside it, reached from a decision
 * node); arrows follow runAfter, dashed and labelled where an action waits for a failure.
 */
export function flowDiagram(clientData: FlowClientData, flowNames: FlowNames = {}): string {
  const d = new Diagram();
  const trigger = describeTrigger(clientData);
  d.lines.push(`${INDENT}trigger([${label(trigger.name || "trigger", plain(trigger.summary))}])`);
  d.scope(actionViews(clientData.properties.definition.actions, flowNames), INDENT, "trigger");
  return d.text();
}

const ID = "[A-Za-z][A-Za-z0-9_]*";
const LABEL = '"([^"]*)"';
const NODE = new RegExp(`^(${ID})(?:\\[${LABEL}\\]|\\(\\[${LABEL}\\]\\)|\\{\\{${LABEL}\\}\\}|\\{${LABEL}\\}|\\[/${LABEL}/\\])$`);
const SUBGRAPH = new RegExp(`^subgraph (${ID})\\[${LABEL}\\]$`);
const EDGE = new RegExp(`^(${ID}) (?:-->|-\\.->)(?:\\|${LABEL}\\|)? (${ID})$`);
/** Words the flowchart grammar reads as keywords wherever an id stands. */
const RESERVED = new Set(["end", "subgraph", "graph", "flowchart", "style", "linkStyle", "classDef", "class", "click", "call", "href", "default", "direction"]);

function labelProblem(text: string): string | undefined {
  const rest = text.replace(/<br\/>/g, "").replace(/#(?:[a-z]+|\d+);/g, "");
  if (/[<>]/.test(rest)) return "an unescaped < or > in a label";
  if (rest.includes("#")) return "a # in a label that is no entity code";
  if (rest.startsWith("`")) return "a label starting with a backtick (read as Markdown)";
  return undefined;
}

/**
 * A structural check of the Mermaid subset flowDiagram writes, without a browser: a `flowchart`
 * header, node / subgraph / end / edge lines only, subgraphs closed in order, ids unique and not
 * keywords, every edge between defined ids, labels quoted with nothing that ends or breaks them.
 */
export function mermaidProblems(source: string): string[] {
  const problems: string[] = [];
  const lines = source.split("\n");
  if (!/^flowchart (TD|TB|BT|LR|RL)$/.test(lines[0] ?? "")) problems.push(`line 1: not a flowchart header: ${lines[0] ?? ""}`);
  const defined = new Set<string>();
  const edges: Array<[number, string]> = [];
  let depth = 0;
  const define = (n: number, id: string): void => {
    if (RESERVED.has(id)) problems.push(`line ${n}: the id ${id} is a keyword`);
    if (defined.has(id)) problems.push(`line ${n}: the id ${id} is defined twice`);
    defined.add(id);
  };
  const checkLabels = (n: number, texts: Array<string | undefined>): void => {
    for (const t of texts) {
      const p = t === undefined ? undefined : labelProblem(t);
      if (p) problems.push(`line ${n}: ${p}`);
    }
  };
  lines.slice(1).forEach((raw, i) => {
    const n = i + 2;
    const line = raw.trim();
    if (line === "") return;
    let m: RegExpMatchArray | null;
    if (line === "end") {
      depth -= 1;
      if (depth < 0) problems.push(`line ${n}: end without a subgraph`);
    } else if ((m = SUBGRAPH.exec(line))) {
      depth += 1;
      define(n, m[1] ?? "");
      checkLabels(n, [m[2]]);
    } else if ((m = EDGE.exec(line))) {
      edges.push([n, m[1] ?? ""], [n, m[3] ?? ""]);
      checkLabels(n, [m[2]]);
    } else if ((m = NODE.exec(line))) {
      define(n, m[1] ?? "");
      checkLabels(n, m.slice(2));
    } else {
      problems.push(`line ${n}: not a node, subgraph, end or edge: ${line}`);
    }
  });
  if (depth > 0) problems.push(`${depth} subgraph(s) not closed with end`);
  for (const [n, id] of edges) if (!defined.has(id)) problems.push(`line ${n}: the edge refers to ${id}, which is not defined`);
  return problems;
}
