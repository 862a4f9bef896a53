import { childFlowTrigger, recurrence } from "../../flows/toolkit/builder/triggers";
import { FlowBuilder } from "../../flows/toolkit/builder/flow";
import { flowOutline } from "../../flows/toolkit/outline/markdown";
import { flowDiagram, mermaidProblems } from "../../flows/toolkit/outline/mermaid";
import { code, conditionText, mermaidText, plain } from "../../flows/toolkit/outline/text";
import { describeTrigger } from "../../flows/toolkit/outline/trigger";
import type { WdlTrigger } from "../../flows/toolkit/wdl";
import { outlineSampleFlow } from "./outlineSample";

/** The outline of outlineSampleFlow(), written out in full: this is the generator's specification. */
const EXPECTED = [
  "# Outline sample",
  "",
  "Greets contacts.",
  "",
  "- Runs as: the flow owner",
  "",
  "## Trigger",
  "",
  "`When_a_contact_changes`: Dataverse: `contact` row modified",
  "",
  "| Setting | Value |",
  "|---|---|",
  "| Kind | Dataverse: when a row is modified (`OpenApiConnectionWebhook`) |",
  "| Table | `contact` |",
  "| Change type | modified |",
  "| Scope | organization |",
  "| Filtering columns | `firstname`, `lastname` |",
  "| Row filter | `statecode eq 0` |",
  "| Run as | flow owner |",
  "| Connection | `shared_commondataserviceforapps` |",
  "",
  "## Connections",
  "",
  "| Connection | Connection reference | API |",
  "|---|---|---|",
  "| `shared_commondataserviceforapps` | `new_Dataverse` | `shared_commondataserviceforapps` |",
  "",
  "## Environment variables",
  "",
  "| Parameter | Schema name | Type | Default |",
  "|---|---|---|---|",
  "| `Row limit (new_RowLimit)` | `new_RowLimit` | Int | `3` |",
  '| `Separator (new_Separator)` | `new_Separator` | String | `" \\| "` |',
  "",
  "## Actions",
  "",
  "- `Rows` — OpenApiConnection: `ListRecords`, table `contacts` via `shared_commondataserviceforapps`",
  "- `Any_rows` — If: ``and(not(equals(triggerBody()?['note'], 'Say \"hi\" [#1] <b> & `x` | y')), lessOrEquals(length(body('Rows')?['value']), parameters('Row limit (new_RowLimit)')))``",
  "  - true branch:",
  "    - `Each_row` — Foreach: items `body('Rows')?['value']`, 2 at a time",
  "      - `Greeting` — Compose",
  "  - false branch:",
  "    - `Nothing` — Compose",
  "- `Too_many` — Terminate: run ends Failed with `TooMany` — after `Any_rows` Failed or TimedOut",
  "",
  "## Diagram",
  "",
  "```mermaid",
  "flowchart TD",
  '  trigger(["When_a_contact_changes<br/>Dataverse: contact row modified"])',
  '  n1["Rows<br/>OpenApiConnection: ListRecords, table contacts via shared_commondatas…"]',
  '  subgraph n2["If: Any_rows"]',
  "    n2_h{\"and(not(equals(triggerBody()?['note'], 'Say #quot;hi#quot; [#35;1] #lt;b#gt; #amp; #96;x#96; | y')…\"}",
  '    subgraph n2_b0["true branch"]',
  '      subgraph n3["Foreach: Each_row"]',
  "        n3_h[/\"items body('Rows')?['value'], 2 at a time\"/]",
  '        n4["Greeting<br/>Compose"]',
  "      end",
  "    end",
  '    subgraph n2_b1["false branch"]',
  '      n5["Nothing<br/>Compose"]',
  "    end",
  "  end",
  '  n6["Too_many<br/>Terminate: run ends Failed with TooMany"]',
  "  n3_h --> n4",
  '  n2_h -->|"true branch"| n2_b0',
  '  n2_h -->|"false branch"| n2_b1',
  "  trigger --> n1",
  "  n1 --> n2",
  '  n2 -.->|"Failed, TimedOut"| n6',
  "```",
  "",
].join("\n");

describe("flow outline (flows/toolkit/outline)", () => {
  test("a flow with a condition, a loop and a catch is outlined exactly as specified", () => {
    expect(flowOutline(outlineSampleFlow(), { title: "Outline sample", purpose: "Greets contacts.", facts: [["Runs as", "the flow owner"]] })).toBe(EXPECTED);
  });

  test("its diagram passes the structural check", () => {
    expect(mermaidProblems(flowDiagram(outlineSampleFlow()))).toEqual([]);
  });

  test("conditions: condition objects read as one expression", () => {
    expect(conditionText("@equals(1, 2)")).toBe("equals(1, 2)");
    expect(conditionText({ and: [{ equals: ["@variables('a')", true] }] })).toBe("variables('a')");
    expect(conditionText({ or: [{ equals: ["@variables('a')", "it's"] }, { greater: ["@variables('n')", 3] }] })).toBe(
      "or(equals(variables('a'), 'it''s'), greater(variables('n'), 3))",
    );
    expect(conditionText({ and: [{ not: { equals: ["@{variables('a')}", "x"] } }, { contains: ["@body('b')", "y"] }] })).toBe(
      "and(not(equals(@{variables('a')}, 'x')), contains(body('b'), 'y'))",
    );
  });

  test("code spans hold backticks; Mermaid labels escape what would end or break them", () => {
    expect(code("a`b")).toBe("``a`b``");
    expect(code("`a")).toBe("`` `a ``");
    expect(code("line\nbreak")).toBe("`line\\nbreak`");
    expect(mermaidText('say "#1" <b> & `x`')).toBe("say #quot;#35;1#quot; #lt;b#gt; #amp; #96;x#96;");
  });

  test("triggers: schedule, child flow, row selected", () => {
    const summary = (t: WdlTrigger): string => {
      const f = new FlowBuilder({ id: "00000000-0000-4000-8000-000000000001", displayName: { en: "T" } });
      f.trigger("start", t);
      return plain(describeTrigger(f.clientData()).summary);
    };
    expect(summary(recurrence("Hour", 1))).toBe("Schedule: every hour");
    expect(summary(recurrence("Minute", 15))).toBe("Schedule: every 15 minutes");
    expect(summary(childFlowTrigger({ type: "object", properties: { id: { type: "string" } }, required: ["id"] }))).toBe(
      "Called manually or by another flow (inputs: id)",
    );
    expect(summary({ type: "Request", kind: "ApiConnection", inputs: { operationId: "RecordSelected", parameters: { entityName: "lists" } } })).toBe(
      "A user runs it on a selected lists row",
    );
  });
});

describe("the Mermaid structural check bites", () => {
  const ok = ["flowchart TD", '  a["A"]', '  subgraph s["S"]', '    b{"B"}', "  end", '  a -->|"x"| s', "  s -.-> b"];
  const problems = (lines: string[]): string[] => mermaidProblems(lines.join("\n"));

  test("a well-formed diagram has no problems", () => {
    expect(problems(ok)).toEqual([]);
  });

  test.each([
    ["no header", ["graph TD", ...ok.slice(1)], /not a flowchart header/],
    ["a subgraph left open", ok.filter((l) => l.trim() !== "end"), /not closed/],
    ["an end too many", [...ok, "end"], /end without a subgraph/],
    ["an id defined twice", [...ok, '  b["again"]'], /defined twice/],
    ["a keyword as id", [...ok, '  end["E"]'], /keyword/],
    ["a quote inside a label", [...ok, '  c["say "hi""]'], /not a node/],
    ["an edge to an unknown id", [...ok, "  a --> z"], /z, which is not defined/],
    ["a raw < in a label", [...ok, '  c["a <b> c"]'], /unescaped </],
    ["a stray #", [...ok, '  c["#1"]'], /no entity code/],
  ])("%s", (_name, lines, message) => {
    expect(problems(lines).join("\n")).toMatch(message);
  });
});
