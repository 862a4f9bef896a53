import JSZip from "jszip";
import { parseXml, walk } from "../../solution/src/verify/parseXml";
import { XsdSet, xsdProblems } from "../../solution/src/verify/xsd";
import { placeSubgrid } from "./formXml";
import { syncLogPlacements } from "./steps/forms";

/** A main form as small as the XSD allows, for checking what setup adds to a form. */
const EMPTY_MAIN_FORM = "<form><tabs /></form>";
const FORM_ID = "00000000-0000-0000-0000-000000000001";

/**
 * What `npm run setup` adds to the forms, checked with the zip it goes with (npm run verify): the sync
 * log tab has the structure the CRM SDK's FormXml.xsd allows (the committed reading of the XSDs,
 * solution/src/verify/xsd.ts), and its subgrid names a view and a relationship the zip carries.
 */
export async function formAdditionProblems(zip: Buffer, placements = syncLogPlacements()): Promise<string[]> {
  const customizations = await (await JSZip.loadAsync(zip)).file("customizations.xml")?.async("string");
  if (customizations === undefined) return ["the zip lacks customizations.xml"];
  const nodes = [...walk(parseXml(customizations))].map((w) => w.node);
  const viewIds = new Set(nodes.filter((n) => n.name === "savedqueryid").map((n) => n.text.trim().toLowerCase()));
  const relationships = new Set(nodes.filter((n) => n.name === "EntityRelationship").map((n) => n.attrs.Name ?? ""));
  const problems: string[] = [];
  for (const [table, p] of placements) {
    const where = `setup's "${p.tabLabel.en}" tab on the ${table} forms`;
    const outcome = placeSubgrid(EMPTY_MAIN_FORM, FORM_ID, p);
    if (outcome.kind !== "added a tab") {
      problems.push(`${where}: nothing was added to an empty form`);
      continue;
    }
    problems.push(...xsdProblems(XsdSet.committed(), parseXml(outcome.xml), where));
    if (!viewIds.has(p.viewId.toLowerCase())) problems.push(`${where}: its subgrid names the view ${p.viewId}, which the zip does not carry`);
    if (!relationships.has(p.relationshipName))
      problems.push(`${where}: its subgrid names the relationship ${p.relationshipName}, which the zip does not carry`);
  }
  return problems;
}
