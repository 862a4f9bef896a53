import { create } from "xmlbuilder2";
import { label } from "../../solution/src/labels";
import { kid, kids, parseXml, walk, type ParsedNode } from "../../solution/src/verify/parseXml";
import {
  MULTILINE_TEXT_CLASSID,
  placeChecklist,
  placeSubgrid,
  removeChecklist,
  removeSubgrid,
  SUBGRID_CLASSID,
  type ChecklistPlacement,
} from "../../scripts/setup/formXml";
import { formAdditionProblems } from "../../scripts/setup/formCheck";
import { syncLogPlacements } from "../../scripts/setup/steps/forms";
import { XsdSet, xsdProblems } from "../../solution/src/verify/xsd";
import { builtZip, zipXml } from "../solution/helpers";
import { mainForm } from "./fixture";

const P: ChecklistPlacement = {
  column: "clvr_newsletterchecklist",
  control: "clvr_CleverReach.NewsletterChecklist",
  boundProperty: "value",
  tabName: "clvr_newsletterchecklist_tab",
  tabLabel: label("Newsletter", "Newsletter"),
  cellLabel: label("Newsletter checklist", "Newsletter-Checkliste"),
};
const FORM_ID = "1fed44d1-ae68-4a41-bd2b-f13acac4acfa";

const controls = (form: ParsedNode, column: string): ParsedNode[] =>
  [...walk(form)].map((w) => w.node).filter((n) => n.name === "control" && n.attrs.datafieldname === column);
const descriptions = (form: ParsedNode): ParsedNode[] => kids(kid(form, "controlDescriptions"), "controlDescription");

function applied(xml: string): string {
  const outcome = placeChecklist(xml, FORM_ID, P);
  if (!("xml" in outcome)) throw new Error(`nothing changed: ${outcome.kind}`);
  return outcome.xml;
}

describe("placing the checklist on a form", () => {
  test("a form without the column gets a tab of its own at the end, with the control bound through a control description", () => {
    const form = parseXml(applied(mainForm("contact")));
    const tabs = kids(kid(form, "tabs"), "tab");
    expect(tabs.map((t) => t.attrs.name)).toEqual(["SUMMARY_TAB", "maker_own_tab", "clvr_newsletterchecklist_tab"]);
    const [control] = controls(form, P.column);
    expect(control?.attrs).toEqual({
      id: P.column,
      classid: MULTILINE_TEXT_CLASSID,
      datafieldname: P.column,
      disabled: "false",
      uniqueid: expect.stringMatching(/^\{[0-9a-f-]{36}\}$/),
    });
    const [description] = descriptions(form);
    expect(description?.attrs.forControl).toBe(control?.attrs.uniqueid);
    const custom = kids(description, "customControl");
    expect(custom.map((c) => [c.attrs.formFactor ?? "classic", c.attrs.name ?? c.attrs.id])).toEqual([
      ["classic", MULTILINE_TEXT_CLASSID],
      ["0", P.control],
      ["1", P.control],
      ["2", P.control],
    ]);
    expect(kid(kid(custom[1], "parameters"), "value")).toEqual({ name: "value", attrs: { type: "Multiple" }, children: [], text: P.column });
    const cellLabels = kids(
      kid(
        [...walk(form)].map((w) => w.node).find((n) => n.name === "cell" && controls(n, P.column).length > 0),
        "labels",
      ),
      "label",
    );
    expect(cellLabels.map((l) => [l.attrs.languagecode, l.attrs.description])).toEqual([
      ["1033", "Newsletter checklist"],
      ["1031", "Newsletter-Checkliste"],
    ]);
  });

  test("on contact and lead the control's second bound property takes CleverReach's declines, in every form factor", () => {
    const outcome = placeChecklist(mainForm("contact"), FORM_ID, {
      ...P,
      alsoBound: [{ property: "cleverReachDeclines", column: "clvr_cleverreachdeclines" }],
    });
    if (!("xml" in outcome)) throw new Error(outcome.kind);
    const custom = kids(descriptions(parseXml(outcome.xml))[0], "customControl").slice(1);
    expect(custom).toHaveLength(3);
    for (const c of custom) {
      expect(kids(kid(c, "parameters"), "value").map((v) => v.text)).toEqual([P.column]);
      expect(kid(kid(c, "parameters"), "cleverReachDeclines")).toEqual({
        name: "cleverReachDeclines",
        attrs: { type: "Multiple" },
        children: [],
        text: "clvr_cleverreachdeclines",
      });
    }
  });

  test("everything of the maker's form stays, in its order", () => {
    const before = parseXml(mainForm("contact"));
    const after = parseXml(applied(mainForm("contact")));
    expect(kids(kid(after, "tabs"), "tab").slice(0, 2)).toEqual(kids(kid(before, "tabs"), "tab"));
    expect(after.attrs).toEqual(before.attrs);
  });

  test("a form that shows the column already gets only the control description (and a uniqueid if the control lacks one)", () => {
    const form = parseXml(applied(mainForm("lead", { withColumn: true })));
    expect(kids(kid(form, "tabs"), "tab").map((t) => t.attrs.name)).toEqual(["SUMMARY_TAB", "maker_own_tab"]);
    const [control] = controls(form, P.column);
    expect(descriptions(form).map((d) => d.attrs.forControl)).toEqual([control?.attrs.uniqueid]);
  });

  test("running it again finds the checklist there and changes nothing", () => {
    expect(placeChecklist(applied(mainForm("contact")), FORM_ID, P)).toEqual({ kind: "already there" });
    expect(placeChecklist(applied(mainForm("lead", { withColumn: true })), FORM_ID, P)).toEqual({ kind: "already there" });
  });

  test("the ids it adds depend on the form only: the same form gets the same ids, another form others", () => {
    expect(applied(mainForm("contact"))).toBe(applied(mainForm("contact")));
    const other = placeChecklist(mainForm("contact"), "e3b6ddb7-8df0-4410-ac7b-fd32e5053d38", P);
    expect("xml" in other && other.xml).not.toBe(applied(mainForm("contact")));
  });

  test("a column the maker bound to another component is left as it is", () => {
    const xml = applied(mainForm("lead", { withColumn: true })).replace(/name="clvr_CleverReach\.NewsletterChecklist"/g, 'name="contoso_Contoso.OtherControl"');
    expect(placeChecklist(xml, FORM_ID, P)).toEqual({
      kind: "bound to another component",
      component: "contoso_Contoso.OtherControl, contoso_Contoso.OtherControl, contoso_Contoso.OtherControl",
    });
  });

  test("an existing controlDescriptions block is extended, not duplicated", () => {
    const withOther = mainForm("contact").replace(
      "</tabs></form>",
      '</tabs><controlDescriptions><controlDescription forControl="{7b000000-0000-4000-8000-0000000000ff}"><customControl name="MscrmControls.Other" formFactor="0"><parameters /></customControl></controlDescription></controlDescriptions></form>',
    );
    const form = parseXml(applied(withOther));
    expect(kids(form, "controlDescriptions")).toHaveLength(1);
    expect(descriptions(form).map((d) => d.attrs.forControl)).toEqual(["{7b000000-0000-4000-8000-0000000000ff}", controls(form, P.column)[0]?.attrs.uniqueid]);
  });

  test("form XML whose root is not <form> is refused", () => {
    expect(() => placeChecklist("<systemform><form /></systemform>", FORM_ID, P)).toThrow("the form XML's root is <systemform>, not <form>");
  });

  test("taking it off again restores a form setup gave a tab, and leaves a maker's own field as a plain field", () => {
    expect(removeChecklist(applied(mainForm("contact")), P)).toBe(create(mainForm("contact")).end({ headless: true }));
    const lead = parseXml(removeChecklist(applied(mainForm("lead", { withColumn: true })), P) ?? "");
    expect(controls(lead, P.column)).toHaveLength(1);
    expect(descriptions(lead)).toEqual([]);
    expect(removeChecklist(mainForm("contact"), P)).toBeUndefined();
  });
});

describe("the sync log on the forms of list, campaign and campaign activity (issue 18, item 2)", () => {
  const logs = syncLogPlacements();
  const L = logs.get("list")!;
  const placed = (xml: string): string => {
    const outcome = placeSubgrid(xml, FORM_ID, L);
    if (outcome.kind !== "added a tab") throw new Error("nothing added");
    return outcome.xml;
  };
  const subgrids = (form: ParsedNode): ParsedNode[] =>
    [...walk(form)].map((w) => w.node).filter((n) => n.name === "control" && n.attrs.classid === SUBGRID_CLASSID);

  test("one placement per table with a sync log lookup, each through its own relationship, in the newest-first view", () => {
    expect([...logs.keys()].sort()).toEqual(["campaign", "campaignactivity", "list"]);
    expect(new Set([...logs.values()].map((l) => l.relationshipName)).size).toBe(3);
    expect(L).toMatchObject({ targetTable: "clvr_synclog", tabName: "clvr_synclog_tab", relationshipName: "clvr_clvr_synclog_MarketingList_list" });
  });

  test("a tab of its own at the end with the subgrid as a real export writes it: this record's rows, the sync log's view", () => {
    const form = parseXml(placed(mainForm("list")));
    expect(kids(kid(form, "tabs"), "tab").map((t) => t.attrs.name)).toEqual(["SUMMARY_TAB", "maker_own_tab", "clvr_synclog_tab"]);
    const [grid] = subgrids(form);
    expect(grid?.attrs).toEqual({
      indicationOfSubgrid: "true",
      id: "clvr_synclog_subgrid",
      classid: SUBGRID_CLASSID,
      uniqueid: expect.stringMatching(/^\{[0-9a-f-]{36}\}$/),
    });
    expect(kid(grid!, "parameters")!.children.map((n) => [n.name, n.text])).toEqual([
      ["RecordsPerPage", "10"],
      ["AutoExpand", "Fixed"],
      ["EnableQuickFind", "false"],
      ["EnableViewPicker", "false"],
      ["EnableChartPicker", "false"],
      ["ChartGridMode", "Grid"],
      ["TargetEntityType", "clvr_synclog"],
      ["ViewId", L.viewId],
      ["ViewIds", L.viewId],
      ["RelationshipName", L.relationshipName],
    ]);
    const tab = kids(kid(form, "tabs"), "tab")[2]!;
    const rows = [...walk(tab)].map((w) => w.node).filter((n) => n.name === "row");
    // The cell spans 8 rows, the 7 below it are empty, as the designer writes a subgrid's cell.
    expect(rows).toHaveLength(8);
    expect([...walk(tab)].map((w) => w.node).find((n) => n.name === "cell")?.attrs).toMatchObject({ rowspan: "8", auto: "false", showlabel: "false" });
    expect(xsdProblems(XsdSet.committed(), form, "form")).toEqual([]);
  });

  test("a second run, or a form where the maker placed such a subgrid, adds nothing; taking it off leaves the maker's tabs", () => {
    const once = placed(mainForm("campaign"));
    expect(placeSubgrid(once, FORM_ID, L)).toEqual({ kind: "already there" });
    const removed = removeSubgrid(once, L)!;
    expect(kids(kid(parseXml(removed), "tabs"), "tab").map((t) => t.attrs.name)).toEqual(["SUMMARY_TAB", "maker_own_tab"]);
    expect(removeSubgrid(mainForm("campaign"), L)).toBeUndefined();
    // The maker's own subgrid of the relationship, on a tab of another name.
    const makers = once.replace(/name="clvr_synclog_tab"/, 'name="maker_log"').replace(/"clvr_synclog_subgrid"/, '"Subgrid_new_1"');
    expect(placeSubgrid(makers, FORM_ID, L)).toEqual({ kind: "already there" });
  });

  test("npm run verify checks the tab against FormXml.xsd and the zip, and the check bites", async () => {
    const zip = await builtZip();
    expect(await formAdditionProblems(zip)).toEqual([]);
    // The view the subgrid shows lists newest first.
    const views = [...walk(await zipXml(zip, "customizations.xml"))].map((w) => w.node).filter((n) => n.name === "savedquery");
    const view = views.find((v) => kid(v, "savedqueryid")?.text.toLowerCase() === L.viewId.toLowerCase());
    const order = [...walk(view!)].map((w) => w.node).find((n) => n.name === "order");
    expect(order?.attrs).toEqual({ attribute: "clvr_startedon", descending: "true" });
    const good = parseXml(placed("<form><tabs /></form>"));
    const bad = (edit: (xml: string) => string): string[] => xsdProblems(XsdSet.committed(), parseXml(edit(placed("<form><tabs /></form>"))), "form");
    expect(xsdProblems(XsdSet.committed(), good, "form")).toEqual([]);
    expect(bad((x) => x.replace("<AutoExpand>Fixed</AutoExpand>", "<AutoExpand>Sometimes</AutoExpand>"))).toEqual([
      expect.stringMatching(/AutoExpand has value "Sometimes", the XSD allows Auto, Fixed, AutoWithFixedMax/),
    ]);
    expect(bad((x) => x.replace("<RelationshipName>", "<Relationship>").replace("</RelationshipName>", "</Relationship>"))).toEqual([
      expect.stringMatching(/parameters\/Relationship is not an element the XSD allows under parameters/),
    ]);
    // A view or relationship the zip does not carry is named.
    const other = { ...L, viewId: "{00000000-0000-0000-0000-00000000abcd}", relationshipName: "clvr_nothing" };
    expect(await formAdditionProblems(zip, new Map([["list", other]]))).toEqual([
      expect.stringMatching(/names the view \{00000000-0000-0000-0000-00000000abcd\}, which the zip does not carry/),
      expect.stringMatching(/names the relationship clvr_nothing, which the zip does not carry/),
    ]);
  });
});
