import { dataverseOperation, type Rule } from "./types";

/**
 * list-rows-fetchxml: "Aggregation queries aren't currently supported when using the List rows
 * action with FetchXML queries", and "the distinct operator isn't currently supported directly in
 * FetchXML queries from the List rows action", use union() instead (MicrosoftDocs/power-automate-docs
 * articles/dataverse/list-rows.md, "Fetch Xml Query"; the same page also says distinct is supported,
 * so the stricter reading is kept).
 */
export const listRowsFetchXml: Rule = (flow, report) => {
  for (const a of flow.actions) {
    if (dataverseOperation(a.action, flow.connectionReferences) !== "ListRecords") continue;
    const fetch = (a.action.inputs as { parameters?: { fetchXml?: unknown } } | undefined)?.parameters?.fetchXml;
    if (typeof fetch !== "string") continue;
    const root = /<fetch\b[^>]*>/.exec(fetch)?.[0] ?? "";
    if (/\bdistinct\s*=\s*["']true["']/.test(root))
      report("list-rows-fetchxml", a.path, '<fetch distinct="true"> isn\'t supported in FetchXML queries from the List rows action; use union() on the rows');
    if (/\baggregate\s*=\s*["']true["']/.test(root))
      report("list-rows-fetchxml", a.path, "aggregation queries aren't supported when using the List rows action with FetchXML queries");
  }
};
