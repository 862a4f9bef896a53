import { el } from "../xml";

/** The empty ribbon customization every exported entity node ends with. */
export function ribbonDiff() {
  return el(
    "RibbonDiffXml",
    undefined,
    el("CustomActions"),
    el("Templates", undefined, el("RibbonTemplates", { Id: "Mscrm.Templates" })),
    el("CommandDefinitions"),
    el("RuleDefinitions", undefined, el("TabDisplayRules"), el("DisplayRules"), el("EnableRules")),
    el("LocLabels"),
  );
}
