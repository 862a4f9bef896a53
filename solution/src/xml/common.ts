import { labelEntries, type Label } from "../labels";
import { el, type XNode } from "../xml";

/**
 * Export-style label lists, one entry per shipped language. `container`/`item` differ by place:
 * LocalizedNames/LocalizedName, displaynames/displayname, Descriptions/Description, labels/label.
 */
export function labels(container: string, item: string, l: Label, attrOrder: "description-first" | "languagecode-first" = "description-first"): XNode {
  return el(
    container,
    undefined,
    labelEntries(l).map((e) =>
      attrOrder === "description-first"
        ? el(item, { description: e.text, languagecode: e.languagecode })
        : el(item, { languagecode: e.languagecode, description: e.text }),
    ),
  );
}

export const XSI = "http://www.w3.org/2001/XMLSchema-instance";
