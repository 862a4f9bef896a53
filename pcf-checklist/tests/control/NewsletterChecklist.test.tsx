/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, within } from "@testing-library/react";
import { SEED } from "../checklist/seed";
import { checkedLabel, openForm, settle } from "./fakeForm";

// Whichever test renders first pays for loading Fluent UI into jsdom: 1.4 s here, several times that
// on a busy 2-core machine, so this file does not rely on jest's 5 s default.
jest.setTimeout(20_000);

const STORED =
  '[{"id":0,"state":1,"description":"Information","modifiedby":"Ann","modifiedon":"2026-01-02T03:04:05.000Z","position":1},' +
  '{"id":9,"state":2,"description":"Retired","modifiedby":"Bo","modifiedon":"2020-01-01T00:00:00.000Z","position":0}]';

function groups(): HTMLElement[] {
  return screen.getAllByRole("radiogroup");
}

describe("newsletter checklist control on a form", () => {
  test("shows one labelled radio group per configured type, in position order, with the stored states", async () => {
    const form = await openForm({ value: STORED, defaultValue: SEED });
    const [first, second] = groups();
    expect(groups()).toHaveLength(2);
    expect(screen.getByRole("radiogroup", { name: "Werbung und Spiele" })).toBe(first);
    expect(screen.getByRole("radiogroup", { name: "Information" })).toBe(second);
    expect(checkedLabel(first as HTMLElement)).toBe("Not chosen");
    expect(checkedLabel(second as HTMLElement)).toBe("Accepted");
    expect(
      within(second as HTMLElement)
        .getAllByRole("radio")
        .map((r) => r.getAttribute("aria-label")),
    ).toEqual(["Not chosen", "Accepted", "Declined"]);
    expect(screen.queryByText("Retired")).toBeNull();
    // Only the chosen option is a tab stop (one per group).
    expect(
      within(second as HTMLElement)
        .getAllByRole("radio")
        .map((r) => r.tabIndex),
    ).toEqual([-1, 0, -1]);
    // Loading the form writes nothing: no dirty form.
    expect(form.outputs).toEqual([]);
  });

  test("reads the current value of the environment variable over its default", async () => {
    const form = await openForm({ value: null, defaultValue: SEED, currentValue: '[{"id":3,"description":"Events","position":0}]' });
    expect(groups().map((g) => g.getAttribute("aria-labelledby") && document.getElementById(g.getAttribute("aria-labelledby") as string)?.textContent)).toEqual(
      ["Events"],
    );
    expect(form.queries).toEqual([
      "environmentvariabledefinition?$select=environmentvariabledefinitionid,defaultvalue&$filter=schemaname eq 'clvr_NewsletterTypes'",
      "environmentvariablevalue?$select=value&$filter=_environmentvariabledefinitionid_value eq d1",
    ]);
  });

  test("a click sets that row, stamps user and time, keeps hidden rows, and getOutputs returns the JSON", async () => {
    jest.useFakeTimers({ now: new Date("2026-11-25T09:00:00.000Z"), doNotFake: ["queueMicrotask", "setTimeout"] });
    try {
      const form = await openForm({ value: STORED, defaultValue: SEED });
      fireEvent.click(within(screen.getByRole("radiogroup", { name: "Werbung und Spiele" })).getByRole("radio", { name: "Declined" }));
      await settle();
      expect(form.outputs).toEqual([
        {
          value:
            '[{"id":0,"state":1,"description":"Information","modifiedby":"Ann","modifiedon":"2026-01-02T03:04:05.000Z","position":1},' +
            '{"id":9,"state":2,"description":"Retired","modifiedby":"Bo","modifiedon":"2020-01-01T00:00:00.000Z","position":0},' +
            '{"id":1,"state":2,"description":"Werbung und Spiele","modifiedby":"Erika Mustermann","modifiedon":"2026-11-25T09:00:00.000Z","position":0}]',
        },
      ]);
      expect(checkedLabel(screen.getByRole("radiogroup", { name: "Werbung und Spiele" }))).toBe("Declined");
      // Clicking the state it already has is not a change.
      fireEvent.click(within(screen.getByRole("radiogroup", { name: "Werbung und Spiele" })).getByRole("radio", { name: "Declined" }));
      await settle();
      expect(form.outputs).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });

  test("arrow keys move and choose within a row; Home/End and Space work; focus follows", async () => {
    const form = await openForm({ value: SEED, defaultValue: SEED });
    const group = screen.getByRole("radiogroup", { name: "Information" });
    const radios = within(group).getAllByRole("radio");
    (radios[0] as HTMLElement).focus();
    fireEvent.keyDown(radios[0] as HTMLElement, { key: "ArrowRight" });
    await settle();
    expect(document.activeElement).toBe(within(group).getByRole("radio", { name: "Accepted" }));
    expect(JSON.parse(form.value() as string)[0]).toMatchObject({ id: 0, state: 1, modifiedby: "Erika Mustermann" });
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: "ArrowLeft" });
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: "ArrowLeft" });
    await settle();
    expect(checkedLabel(group)).toBe("Declined");
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: "Home" });
    await settle();
    expect(checkedLabel(group)).toBe("Not chosen");
    expect(form.outputs.map((o) => JSON.parse(o.value as string)[0].state)).toEqual([1, 0, 2, 0]);
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: "Tab" });
    expect(form.outputs).toHaveLength(4);
  });

  test("an empty column shows all types unchosen and writes the full checklist on the first change", async () => {
    const form = await openForm({ value: null, defaultValue: SEED });
    expect(groups().map(checkedLabel)).toEqual(["Not chosen", "Not chosen"]);
    expect(form.outputs).toEqual([]);
    fireEvent.keyDown(within(screen.getByRole("radiogroup", { name: "Information" })).getByRole("radio", { name: "Not chosen" }), { key: "End" });
    await settle();
    const written = JSON.parse(form.outputs[0]?.value as string);
    expect(written.map((r: { id: number; state: number }) => [r.id, r.state])).toEqual([
      [0, 2],
      [1, 0],
    ]);
  });

  test("read-only: states are shown but neither click nor key changes anything", async () => {
    const form = await openForm({ value: STORED, defaultValue: SEED, disabled: true });
    const group = screen.getByRole("radiogroup", { name: "Information" });
    expect(group.getAttribute("aria-disabled")).toBe("true");
    fireEvent.click(within(group).getByRole("radio", { name: "Declined" }));
    fireEvent.keyDown(within(group).getByRole("radio", { name: "Accepted" }), { key: "ArrowRight" });
    await settle();
    expect(checkedLabel(group)).toBe("Accepted");
    expect(form.outputs).toEqual([]);
  });

  test("invalid stored JSON: a clear error, the raw value shown and kept, nothing written", async () => {
    const form = await openForm({ value: "{broken", defaultValue: SEED });
    expect(screen.getByText(/The stored newsletter checklist is not valid/).textContent).toMatch(/not valid JSON/);
    expect(screen.getByText("{broken")).toBeTruthy();
    expect(screen.queryAllByRole("radiogroup")).toEqual([]);
    expect(form.outputs).toEqual([]);
    expect(form.value()).toBe("{broken");
  });

  test("a host without a Web API shows the rows when the form property is set", async () => {
    await openForm({ value: SEED, noWebApi: true, override: SEED });
    expect(groups()).toHaveLength(2);
  });

  test("the form's input property overrides the variable without asking the Web API", async () => {
    const form = await openForm({ value: SEED, defaultValue: SEED, override: '[{"id":1,"description":"Promotions","position":0}]' });
    expect(groups()).toHaveLength(1);
    expect(screen.getByRole("radiogroup", { name: "Promotions" })).toBeTruthy();
    expect(form.queries).toEqual([]);
  });

  test("German users get German labels", async () => {
    await openForm({ value: SEED, defaultValue: SEED, languageId: 1031 });
    expect(
      within(screen.getByRole("radiogroup", { name: "Information" }))
        .getAllByRole("radio")
        .map((r) => r.getAttribute("aria-label")),
    ).toEqual(["Keine Auswahl", "Zugestimmt", "Abgelehnt"]);
  });

  test("a new value from the form (e.g. a flow's update) replaces local edits", async () => {
    const form = await openForm({ value: SEED, defaultValue: SEED });
    fireEvent.click(within(screen.getByRole("radiogroup", { name: "Information" })).getByRole("radio", { name: "Accepted" }));
    await settle();
    form.refresh({ value: SEED.replace('"state":0,"description":"Information"', '"state":2,"description":"Information"') });
    expect(checkedLabel(screen.getByRole("radiogroup", { name: "Information" }))).toBe("Declined");
  });
});
