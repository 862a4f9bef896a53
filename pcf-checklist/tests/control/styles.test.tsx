/**
 * @jest-environment jsdom
 */
import { screen, within } from "@testing-library/react";
import { SEED } from "../checklist/seed";
import { openForm, rowGroup } from "./fakeForm";

// The first render loads Fluent UI into jsdom: seconds on a busy 2-core machine, beyond jest's 5 s default.
jest.setTimeout(20_000);

/** Every CSS rule on the page, as merge-styles injected them. */
function cssRules(): CSSStyleRule[] {
  return Array.from(document.styleSheets).flatMap((sheet) => Array.from(sheet.cssRules).filter((r): r is CSSStyleRule => "selectorText" in r));
}

/** The declarations that apply to `el` while the pointer is over it (jsdom has no :hover state). */
function hoverDeclarations(el: Element): string[] {
  return cssRules()
    .filter((r) => r.selectorText.split(",").some((sel) => sel.trim().endsWith(":hover") && el.matches(sel.trim().slice(0, -":hover".length))))
    .map((r) => r.style.cssText);
}

/** Issue 16, finding 4 (looks): hover on a read-only option, row layout at 320 px, the message bar's icon. */
describe("looks", () => {
  test("a read-only option keeps its colours under the pointer; an editable one shows hover", async () => {
    await openForm({ value: SEED, defaultValue: SEED, disabled: true });
    const radios = within(rowGroup("Information")).getAllByRole("radio");
    for (const radio of radios) expect(hoverDeclarations(radio)).toEqual([]);
    document.body.innerHTML = "";
    // The same check finds hover rules where they belong, so an empty list above means something.
    await openForm({ value: SEED, defaultValue: SEED });
    for (const radio of within(rowGroup("Information")).getAllByRole("radio")) expect(hoverDeclarations(radio).join(";")).toMatch(/background|filter/);
  });

  test("every row wraps alike, whatever its label's length, and keeps its buttons at the right edge", async () => {
    const long = "Ein sehr langer Newsletter-Typ mit Einladungen zu Veranstaltungen, Webinaren und Messen";
    await openForm({
      value: null,
      override: JSON.stringify([
        { id: 0, description: "Info", position: 0 },
        { id: 1, description: long, position: 1 },
      ]),
    });
    // jsdom has no layout; the browser test measures the real thing at 320 px. Here: the rules that make it so.
    const bases = screen.getAllByRole("radiogroup").map((group) => {
      const label = getComputedStyle(group.previousElementSibling as HTMLElement);
      expect(getComputedStyle(group).marginLeft).toBe("auto");
      expect(label.flexGrow).toBe("1");
      return label.flexBasis;
    });
    // The same basis in every row, and not the text's width: a long label wraps inside its column.
    expect(new Set(bases).size).toBe(1);
    expect(bases[0]).toMatch(/^\d+(\.\d+)?(em|rem|px)$/);
  });

  test("the message bar's icon is inline SVG, not a glyph of Fluent's icon font", async () => {
    const { view } = await openForm({ value: "{broken", defaultValue: SEED });
    await screen.findByRole("alert");
    expect(view.container.querySelector("[data-icon-name]")).toBeNull();
    expect(view.container.querySelector(".ms-MessageBar-icon svg")).not.toBeNull();
    document.body.innerHTML = "";
    const empty = await openForm({ value: SEED, override: "[]" });
    await screen.findByRole("status");
    expect(empty.view.container.querySelector("[data-icon-name]")).toBeNull();
    expect(empty.view.container.querySelector(".ms-MessageBar-icon svg")).not.toBeNull();
  });
});
