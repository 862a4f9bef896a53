/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, within } from "@testing-library/react";
import { SEED } from "../checklist/seed";
import { openForm, option, rowGroup, settle } from "./fakeForm";

// The first render loads Fluent UI into jsdom: seconds on a busy 2-core machine, beyond jest's 5 s default.
jest.setTimeout(20_000);

const STORED =
  '[{"id":0,"state":1,"description":"Information","modifiedby":"Ann","modifiedon":"2026-01-02T03:04:05.000Z","position":1},' +
  '{"id":1,"state":2,"description":"Werbung und Spiele","modifiedby":"CleverReach","modifiedon":"","position":0}]';

/** The text of the elements an element's aria-describedby points at, as a screen reader reads it. */
function description(el: Element): string {
  return (el.getAttribute("aria-describedby") ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" ");
}

/**
 * Issue 16, finding 3: "Changed by … on …" was only a hover tooltip on a label nobody can focus, and
 * the invalid value's <pre aria-label> has no role that carries a name.
 */
describe("who changed a row and when, without a mouse", () => {
  test("is on screen under the row's label and describes every option of the row", async () => {
    await openForm({ value: STORED, defaultValue: SEED });
    const shown = screen.getByText("Changed by Ann on 2026-01-02");
    // Text on the page, not an attribute only a pointer brings up.
    expect(shown.closest("[title]")).toBeNull();
    for (const radio of within(rowGroup("Information")).getAllByRole("radio")) {
      expect(description(radio)).toBe("Changed by Ann on 2026-01-02");
    }
    // The label still names the row by its description alone.
    expect(rowGroup("Information").getAttribute("aria-labelledby")).not.toContain(shown.id);
    // What a row has of the stamps is said; a row nobody changed has no description.
    expect(description(option("Werbung und Spiele", "Declined"))).toBe("Changed by CleverReach");
  });

  test("follows a change, so a screen reader hears who changed it now", async () => {
    jest.useFakeTimers({ now: new Date("2026-11-25T09:00:00.000Z"), doNotFake: ["queueMicrotask", "setTimeout"] });
    try {
      await openForm({ value: SEED, defaultValue: SEED });
      expect(option("Information", "Accepted").getAttribute("aria-describedby")).toBeNull();
      fireEvent.keyDown(option("Information", "Not chosen"), { key: "ArrowRight" });
      await settle();
      expect(description(document.activeElement as Element)).toBe("Changed by Erika Mustermann on 2026-11-25");
    } finally {
      jest.useRealTimers();
    }
  });

  test("in German", async () => {
    await openForm({ value: STORED, defaultValue: SEED, languageId: 1031 });
    expect(description(option("Information", "Zugestimmt"))).toBe("Geändert von Ann am 2026-01-02");
    expect(description(option("Werbung und Spiele", "Abgelehnt"))).toBe("Geändert von CleverReach");
  });
});

test("an invalid stored value is shown in a figure named by its visible caption", async () => {
  await openForm({ value: "{broken", defaultValue: SEED, languageId: 1031 });
  const figure = screen.getByRole("figure", { name: "Gespeicherter Wert" });
  expect(within(figure).getByText("{broken").tagName).toBe("PRE");
  expect(screen.getByText("Gespeicherter Wert").tagName).toBe("FIGCAPTION");
});
