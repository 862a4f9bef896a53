import { create } from "xmlbuilder2";
import { label } from "../../solution/src/labels";
import { kid, kids, parseXml, walk, type ParsedNode } from "../../solution/src/verify/parseXml";
import { MULTILINE_TEXT_CLASSID, placeChecklist, removeChecklist, type ChecklistPlacement } from "../../scripts/setup/formXml";
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
