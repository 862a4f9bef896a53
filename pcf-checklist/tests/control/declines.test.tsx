/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, within } from "@testing-library/react";
import { SEED } from "../checklist/seed";
import { checkedLabel, openForm, option, rowGroup, settle } from "./fakeForm";

// The first render loads Fluent UI into jsdom: seconds on a busy 2-core machine, beyond jest's 5 s default.
jest.setTimeout(20_000);

const STORED =
  '[{"id":0,"state":1,"description":"Information","modifiedby":"Ann","modifiedon":"2026-01-02T03:04:05.000Z","position":1},' +
  '{"id":1,"state":1,"description":"Werbung und Spiele","modifiedby":"Ann","modifiedon":"2026-01-02T03:04:05.000Z","position":0}]';
const DECLINES = '[{"id":0,"group":"1001","on":"2026-11-25T10:00:00Z","state":"unsubscribed"}]';

function description(el: Element): string {
  return (el.getAttribute("aria-describedby") ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" ");
}

/**
 * Issue 15 item 9: CleverReach's declines are a second bound column the control shows and never
 * writes, so a form opened before a decline came back cannot turn it green again, and a user's
 * choice cannot make the person eligible for that type.
 */
describe("CleverReach's declines on the checklist", () => {
  test("a declined type shows red with the reason and date, in words a screen reader reads with every option", async () => {
    await openForm({ value: STORED, declines: DECLINES, defaultValue: SEED });
    const group = rowGroup("Information");
    expect(checkedLabel(group)).toBe("Declined");
    const text = screen.getByText(/Unsubscribed in CleverReach on 2026-11-25/);
    expect(text.textContent).toContain("stays declined");
    for (const radio of within(group).getAllByRole("radio")) {
      expect(description(radio)).toContain("Unsubscribed in CleverReach on 2026-11-25");
      expect(description(radio)).toContain("Changed by Ann on 2026-01-02");
      expect(radio.getAttribute("aria-disabled")).toBe("true");
    }
    expect(group.closest("[data-declined]")?.getAttribute("data-declined")).toBe("cleverreach");
    // The other type is the user's to change as before.
    expect(checkedLabel(rowGroup("Werbung und Spiele"))).toBe("Accepted");
    expect(option("Werbung und Spiele", "Declined").getAttribute("aria-disabled")).not.toBe("true");
  });

  test("the user's choice for a declined type changes nothing, and the control never writes the declines", async () => {
    const form = await openForm({ value: STORED, declines: DECLINES, defaultValue: SEED });
    fireEvent.click(option("Information", "Accepted"));
    fireEvent.keyDown(option("Information", "Declined"), { key: "ArrowLeft" });
    await settle();
    expect(form.notifications()).toBe(0);
    expect(form.value()).toBe(STORED);
    // A change of another type writes only the checklist column, with the stored row of the declined type as it was.
    fireEvent.click(option("Werbung und Spiele", "Declined"));
    await settle();
    expect(form.outputs.map((o) => Object.keys(o))).toEqual([["value"]]);
    expect(JSON.parse(form.value() ?? "[]")[0]).toEqual(JSON.parse(STORED)[0]);
  });

  test("a decline that arrives while the form is open turns the row red at once", async () => {
    const form = await openForm({ value: STORED, defaultValue: SEED });
    expect(checkedLabel(rowGroup("Information"))).toBe("Accepted");
    form.refresh({ declines: DECLINES });
    expect(checkedLabel(rowGroup("Information"))).toBe("Declined");
  });

  test("German: the reason in the user's language; bounces and blacklist entries say so", async () => {
    await openForm({
      value: STORED,
      declines:
        '[{"id":0,"group":"1001","on":"2026-11-25T10:00:00Z","state":"bounced"},{"id":1,"group":"1002","on":"2026-11-26T10:00:00Z","state":"blacklisted"}]',
      defaultValue: SEED,
      languageId: 1031,
    });
    expect(screen.getByText(/In CleverReach unzustellbar \(Bounce\) am 2026-11-25/)).toBeTruthy();
    expect(screen.getByText(/In CleverReach auf die Blacklist gesetzt am 2026-11-26/)).toBeTruthy();
  });

  test("declines that cannot be read: a message says the person gets no newsletters until an administrator corrects them", async () => {
    await openForm({ value: STORED, declines: "[{", defaultValue: SEED });
    // Fluent's MessageBar renders its text a moment later (for screen readers' live region).
    expect(await screen.findByText(/cannot be read, so this person gets no newsletters/)).toBeTruthy();
  });

  test("no declines column bound (lists, campaigns): the checklist as before", async () => {
    await openForm({ value: STORED, defaultValue: SEED });
    expect(screen.queryByText(/CleverReach on/)).toBeNull();
    expect(checkedLabel(rowGroup("Information"))).toBe("Accepted");
  });
});
