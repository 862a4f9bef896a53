import { runtimeKindOf, type RuntimeKind } from "../../builder/odataFilter";
import { printExpression } from "../../expr/print";
import { parseTemplate } from "../../expr/parser";
import { dataverseOperation, type Rule } from "./types";

/**
 * odata-filter: every OData `$filter` of a Dataverse "List rows" (and a row trigger's filter
 * expression) is built by toolkit/builder/odataFilter.ts. The text may splice a value known only at
 * run time solely through one of its value makers (string with ' doubled, checked GUID, int(),
 * formatDateTime(), conditions a Select made the same way), a string one between quotes and the
 * others outside, so that no value can end a literal and become filter syntax (issue 15; OData v4
 * ABNF "SQUOTE-in-string = SQUOTE SQUOTE"). Not a platform refusal: Dataverse runs whatever filter
 * text it gets; this is the product's own rule, checked where the flows are made.
 */

const MESSAGE_TAIL = "build it with odataFilter() (flows/toolkit/builder/odataFilter.ts) so that every value is escaped";

/** Problems of one filter value (a definition string); `selects` gives the map of a Select action by name. */
export function filterProblems(value: unknown, selects: (name: string) => unknown, seen: ReadonlySet<string> = new Set()): string[] {
  if (typeof value !== "string") return [`$filter is not text: ${MESSAGE_TAIL}`];
  let template;
  try {
    template = parseTemplate(value);
  } catch (e) {
    return [`$filter is not a valid template (${(e as Error).message})`];
  }
  if (template.kind === "expression") return [`$filter is one whole expression (@${printExpression(template.expr)}): ${MESSAGE_TAIL}`];
  const parts = template.kind === "literal" ? [template.text] : template.parts;
  const problems: string[] = [];
  let inString = false;
  for (const part of parts) {
    if (typeof part === "string") {
      for (const ch of part) if (ch === "'") inString = !inString; // '' inside a literal toggles twice
      continue;
    }
    const shown = `@{${printExpression(part)}}`;
    const made = runtimeKindOf(part);
    if (!made) {
      problems.push(`${shown} is spliced into $filter as it is: ${MESSAGE_TAIL}`);
      continue;
    }
    const wanted: RuntimeKind[] = inString ? ["string"] : ["guid", "int", "dateTime", "conditions"];
    if (!wanted.includes(made.kind)) {
      problems.push(`${shown} (a ${made.kind} value) stands ${inString ? "inside" : "outside"} a quoted literal: ${MESSAGE_TAIL}`);
      continue;
    }
    if (made.selectAction !== undefined) {
      if (seen.has(made.selectAction)) problems.push(`${shown} joins conditions that refer to themselves`);
      else {
        const map = selects(made.selectAction);
        if (map === undefined) problems.push(`${shown} joins the output of ${made.selectAction}, which is not a Select action of this flow`);
        else problems.push(...filterProblems(map, selects, new Set([...seen, made.selectAction])).map((p) => `${made.selectAction}: ${p}`));
      }
    }
  }
  if (inString) problems.push(`$filter has an unterminated string literal: ${MESSAGE_TAIL}`);
  return problems;
}

export const odataFilters: Rule = (flow, report) => {
  const selects = (name: string): unknown => {
    const found = flow.actions.find((a) => a.name === name && a.action.type === "Select");
    return found ? (found.action.inputs as { select?: unknown } | undefined)?.select : undefined;
  };
  for (const a of flow.actions) {
    if (dataverseOperation(a.action, flow.connectionReferences) !== "ListRecords") continue;
    const filter = (a.action.inputs as { parameters?: Record<string, unknown> } | undefined)?.parameters?.["$filter"];
    if (filter === undefined) continue;
    for (const p of filterProblems(filter, selects)) report("odata-filter", a.path, p);
  }
  for (const { name, trigger } of flow.triggers) {
    const expression = (trigger.inputs as { parameters?: Record<string, unknown> } | undefined)?.parameters?.["subscriptionRequest/filterexpression"];
    if (expression === undefined) continue;
    for (const p of filterProblems(expression, selects)) report("odata-filter", `trigger ${name}`, p);
  }
};
