import { create, fragment } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";
import { uuidV5 } from "../../solution/src/ids";
import { labelEntries, type Label } from "../../solution/src/labels";

/**
 * Placing the checklist control on an existing main form, the way the form designer stores it
 * (solution-format.md §3.8: a `<control>` bound to the column with a `uniqueid`, and a
 * `<controlDescription forControl="{uniqueid}">` naming the code component for each form factor).
 *
 * Only additions: a form that lacks the column gets a new tab of its own at the end (Microsoft's
 * advice for changes to existing forms: "include your new elements within new container elements,
 * such as a section or tab", power-platform/alm/how-managed-solutions-merged); a form that already
 * shows the column gets the control description for it. Nothing of the maker's form is removed or
 * moved, and a column already bound to another component is left as the maker set it.
 */

/** The classic multiline text control a code component replaces (its classid in form XML, §3.8). */
export const MULTILINE_TEXT_CLASSID = "{E0DECE4B-6FC8-4A8F-A065-082708572369}";

/** Form factors a control description lists: 0 web, 1 tablet, 2 phone (§3.8). */
const FORM_FACTORS = ["0", "1", "2"] as const;

export interface ChecklistPlacement {
  /** The column's logical name, e.g. clvr_newsletterchecklist. */
  column: string;
  /** The code component's name, e.g. clvr_CleverReach.NewsletterChecklist. */
  control: string;
  /** The manifest's bound property (`value`, of-type Multiple). */
  boundProperty: string;
  /**
   * Further bound properties and the columns they take on this table (contact and lead: the
   * control's `cleverReachDeclines` → `clvr_cleverreachdeclines`); each is a parameter of the same
   * control description, as the first one is.
   */
  alsoBound?: ReadonlyArray<{ property: string; column: string }>;
  /** Name of the tab setup adds, so a later run recognises it. */
  tabName: string;
  tabLabel: Label;
  cellLabel: Label;
}

export type FormOutcome =
  | { kind: "already there" }
  | { kind: "bound to another component"; component: string }
  | { kind: "added a tab"; xml: string }
  | { kind: "bound the field already on the form"; xml: string };

// xmlbuilder2 hands out DOM nodes typed as Node; an element's attributes are read through the DOM.
const attr = (b: XMLBuilder, name: string): string | null => (b.node as unknown as { getAttribute(n: string): string | null }).getAttribute(name);
const isElement = (b: XMLBuilder, name: string): boolean => b.node.nodeName === name;
/** DOM nodeType of an element. */
const ELEMENT_NODE = 1;

function labels(parent: XMLBuilder, label: Label): void {
  const l = parent.ele("labels");
  for (const { languagecode, text } of labelEntries(label)) l.ele("label", { description: text, languagecode: String(languagecode) });
}

function controlDescription(parent: XMLBuilder, uniqueId: string, p: ChecklistPlacement): void {
  const d = parent.ele("controlDescription", { forControl: uniqueId });
  d.ele("customControl", { id: MULTILINE_TEXT_CLASSID }).ele("parameters").ele("datafieldname").txt(p.column);
  for (const formFactor of FORM_FACTORS) {
    const parameters = d.ele("customControl", { formFactor, name: p.control }).ele("parameters");
    parameters.ele(p.boundProperty, { type: "Multiple" }).txt(p.column);
    for (const b of p.alsoBound ?? []) parameters.ele(b.property, { type: "Multiple" }).txt(b.column);
  }
}

/** Ids of the parts setup adds, derived from the form and the part: the same on every run. */
const partId = (formId: string, part: string): string => `{${uuidV5(formId.replace(/[{}]/g, "").toLowerCase(), `clvr checklist ${part}`)}}`;

export function placeChecklist(formXml: string, formId: string, p: ChecklistPlacement): FormOutcome {
  const doc = create(formXml);
  const form = doc.root();
  if (!isElement(form, "form")) throw new Error(`the form XML's root is <${form.node.nodeName}>, not <form>`);
  let descriptionsNode = form.find((n) => isElement(n, "controlDescriptions"), false, false);
  const descriptionFor = (uniqueId: string): XMLBuilder | undefined =>
    descriptionsNode?.find((d) => isElement(d, "controlDescription") && (attr(d, "forControl") ?? "").toLowerCase() === uniqueId.toLowerCase(), false, false);
  const descriptions = (): XMLBuilder => (descriptionsNode ??= form.ele("controlDescriptions"));

  const fields = form.filter((n) => isElement(n, "control") && attr(n, "datafieldname") === p.column, false, true);
  if (fields.length > 0) {
    let changed = false;
    for (const field of fields) {
      let uniqueId = attr(field, "uniqueid");
      const existing = uniqueId ? descriptionFor(uniqueId) : undefined;
      if (existing) {
        const names = existing.filter((c) => isElement(c, "customControl") && attr(c, "name") !== null, false, false).map((c) => attr(c, "name") ?? "");
        if (names.includes(p.control)) continue;
        return { kind: "bound to another component", component: names.join(", ") || "a platform control" };
      }
      if (!uniqueId) {
        uniqueId = partId(formId, `control ${fields.indexOf(field)}`);
        field.att("uniqueid", uniqueId);
      }
      controlDescription(descriptions(), uniqueId, p);
      changed = true;
    }
    return changed ? { kind: "bound the field already on the form", xml: doc.end({ headless: true }) } : { kind: "already there" };
  }

  const tabs = form.find((n) => isElement(n, "tabs"), false, false) ?? form.ele("tabs");
  const uniqueId = partId(formId, "control");
  const tab = fragment().ele("tab", { name: p.tabName, id: partId(formId, "tab"), IsUserDefined: "0", locklevel: "0", showlabel: "true", expanded: "true" });
  labels(tab, p.tabLabel);
  const section = tab
    .ele("columns")
    .ele("column", { width: "100%" })
    .ele("sections")
    .ele("section", { name: `${p.tabName}_section`, id: partId(formId, "section"), IsUserDefined: "0", showlabel: "false", showbar: "false", columns: "1" });
  labels(section, p.tabLabel);
  const cell = section
    .ele("rows")
    .ele("row")
    .ele("cell", { id: partId(formId, "cell"), showlabel: "false", colspan: "1", rowspan: "1" });
  labels(cell, p.cellLabel);
  cell.ele("control", { id: p.column, classid: MULTILINE_TEXT_CLASSID, datafieldname: p.column, disabled: "false", uniqueid: uniqueId });
  tabs.import(tab.doc());
  controlDescription(descriptions(), uniqueId, p);
  return { kind: "added a tab", xml: doc.end({ headless: true }) };
}

/**
 * The reverse, before the product is removed: the tab setup added and every control description
 * naming the checklist. A field the maker placed stays (without the checklist it is a text box).
 * Undefined when the form has neither.
 */
export function removeChecklist(formXml: string, p: ChecklistPlacement): string | undefined {
  const doc = create(formXml);
  const form = doc.root();
  if (!isElement(form, "form")) throw new Error(`the form XML's root is <${form.node.nodeName}>, not <form>`);
  const tabs = form.filter((n) => isElement(n, "tab") && attr(n, "name") === p.tabName, false, true);
  const described = form.filter(
    (n) => isElement(n, "controlDescription") && n.some((c) => isElement(c, "customControl") && attr(c, "name") === p.control, false, false),
    false,
    true,
  );
  if (tabs.length === 0 && described.length === 0) return undefined;
  for (const n of [...tabs, ...described]) n.remove();
  const emptied = form.find((n) => isElement(n, "controlDescriptions") && !n.some((c) => c.node.nodeType === ELEMENT_NODE, false, false), false, false);
  emptied?.remove();
  return doc.end({ headless: true });
}

/**
 * The subgrid control's class id in form XML. The shape below is the form designer's, as a real
 * export stores it (microsoft/coe-starter-kit CenterofExcellenceCoreComponents/SolutionPackage/src/
 * Entities/admin_Environment/FormXml/main/{898bd883-98f4-4ee4-8221-29b1c39912ed}.xml, tab "Creation
 * Request"; solution/FORMAT-NOTES.md, "The sync log on the forms").
 */
export const SUBGRID_CLASSID = "{E7A81278-8635-4D9E-8D4D-59480B391C5B}";

/** Rows a subgrid cell spans; the rows below its cell are written empty, as the designer does. */
const SUBGRID_ROWS = 8;

export interface SubgridPlacement {
  /** Name of the tab setup adds, so a later run recognises it. */
  tabName: string;
  tabLabel: Label;
  /** The control's id on the form. */
  controlId: string;
  /** Logical name of the table the grid lists. */
  targetTable: string;
  /** The one-to-many relationship from the form's table to `targetTable` (only this record's rows). */
  relationshipName: string;
  /** The view (its order: newest first). */
  viewId: string;
  recordsPerPage: number;
}

const subgridPartId = (formId: string, part: string): string => `{${uuidV5(formId.replace(/[{}]/g, "").toLowerCase(), `clvr sync log ${part}`)}}`;

/** Whether a subgrid of `relationshipName` is on the form already (setup's or the maker's own). */
function hasSubgrid(form: XMLBuilder, relationshipName: string): boolean {
  return form.some(
    (n) =>
      isElement(n, "control") &&
      (attr(n, "classid") ?? "").toUpperCase() === SUBGRID_CLASSID &&
      n.some((r) => isElement(r, "RelationshipName") && (r.node.textContent ?? "").trim() === relationshipName, false, true),
    false,
    true,
  );
}

/**
 * A tab of its own at the end of the form with the subgrid in it (the same additive change as the
 * checklist's tab); nothing when a subgrid of the relationship is on the form already.
 */
export function placeSubgrid(formXml: string, formId: string, p: SubgridPlacement): { kind: "already there" } | { kind: "added a tab"; xml: string } {
  const doc = create(formXml);
  const form = doc.root();
  if (!isElement(form, "form")) throw new Error(`the form XML's root is <${form.node.nodeName}>, not <form>`);
  if (hasSubgrid(form, p.relationshipName)) return { kind: "already there" };
  const tabs = form.find((n) => isElement(n, "tabs"), false, false) ?? form.ele("tabs");
  const tab = fragment().ele("tab", {
    name: p.tabName,
    id: subgridPartId(formId, "tab"),
    IsUserDefined: "0",
    locklevel: "0",
    showlabel: "true",
    expanded: "true",
  });
  labels(tab, p.tabLabel);
  const section = tab
    .ele("columns")
    .ele("column", { width: "100%" })
    .ele("sections")
    .ele("section", {
      name: `${p.tabName}_section`,
      id: subgridPartId(formId, "section"),
      IsUserDefined: "0",
      showlabel: "false",
      showbar: "false",
      columns: "1",
    });
  labels(section, p.tabLabel);
  const rows = section.ele("rows");
  const cell = rows
    .ele("row")
    .ele("cell", { id: subgridPartId(formId, "cell"), locklevel: "0", rowspan: String(SUBGRID_ROWS), colspan: "1", auto: "false", showlabel: "false" });
  labels(cell, p.tabLabel);
  const parameters = cell
    .ele("control", { indicationOfSubgrid: "true", id: p.controlId, classid: SUBGRID_CLASSID, uniqueid: subgridPartId(formId, "control") })
    .ele("parameters");
  for (const [name, value] of [
    ["RecordsPerPage", String(p.recordsPerPage)],
    ["AutoExpand", "Fixed"],
    ["EnableQuickFind", "false"],
    ["EnableViewPicker", "false"],
    ["EnableChartPicker", "false"],
    ["ChartGridMode", "Grid"],
    ["TargetEntityType", p.targetTable],
    ["ViewId", p.viewId],
    ["ViewIds", p.viewId],
    ["RelationshipName", p.relationshipName],
  ] as const)
    parameters.ele(name).txt(value);
  for (let i = 1; i < SUBGRID_ROWS; i++) rows.ele("row");
  tabs.import(tab.doc());
  return { kind: "added a tab", xml: doc.end({ headless: true }) };
}

/** The reverse: the tab setup added (a subgrid the maker placed stays). Undefined when there is none. */
export function removeSubgrid(formXml: string, p: SubgridPlacement): string | undefined {
  const doc = create(formXml);
  const form = doc.root();
  if (!isElement(form, "form")) throw new Error(`the form XML's root is <${form.node.nodeName}>, not <form>`);
  const tabs = form.filter((n) => isElement(n, "tab") && attr(n, "name") === p.tabName, false, true);
  if (tabs.length === 0) return undefined;
  for (const t of tabs) t.remove();
  return doc.end({ headless: true });
}
