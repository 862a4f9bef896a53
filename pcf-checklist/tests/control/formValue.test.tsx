/**
 * @jest-environment jsdom
 */
import { fireEvent } from "@testing-library/react";
import { SEED } from "../checklist/seed";
import { checkedLabel, openForm, option, rowGroup, settle } from "./fakeForm";

// The first render loads Fluent UI into jsdom: seconds on a busy 2-core machine, beyond jest's 5 s default.
jest.setTimeout(20_000);

interface Row {
  id: number;
  state: number;
  modifiedby: string;
  modifiedon: string;
}

function lastWritten(form: { outputs: Array<{ value?: string }> }): Row[] {
  return JSON.parse(form.outputs[form.outputs.length - 1]?.value as string);
}

async function click(row: string, state: string): Promise<void> {
  fireEvent.click(option(row, state));
  await settle();
}

/**
 * Issue 16, finding 1: the control kept an edit for as long as the form handed in the value the
 * edit started from, so that value coming back (three ways) brought back the thrown-away edit.
 */
describe("an earlier value handed in again does not bring back a thrown-away edit", () => {
  test("an OnChange script's setValue(previous): the form never shows the edit, the control drops it", async () => {
    const form = await openForm({ value: SEED, defaultValue: SEED, onChange: (_value, previous) => previous });
    await click("Information", "Accepted");
    expect(form.outputs).toHaveLength(1);
    expect(form.value()).toBe(SEED);
    expect(checkedLabel(rowGroup("Information"))).toBe("Not chosen");
    // The next change starts from the form's value, not from the edit the script threw away.
    await click("Werbung und Spiele", "Declined");
    expect(lastWritten(form).map((r) => [r.id, r.state])).toEqual([
      [0, 0],
      [1, 2],
    ]);
    expect(lastWritten(form)[0]).toMatchObject({ modifiedby: "", modifiedon: "" });
  });

  test("a refresh after discarding unsaved changes shows the saved value, and the next change builds on it", async () => {
    const form = await openForm({ value: SEED, defaultValue: SEED });
    await click("Information", "Accepted");
    expect(checkedLabel(rowGroup("Information"))).toBe("Accepted");
    form.refresh({ value: SEED });
    expect(checkedLabel(rowGroup("Information"))).toBe("Not chosen");
    await click("Werbung und Spiele", "Declined");
    expect(lastWritten(form).map((r) => [r.id, r.state])).toEqual([
      [0, 0],
      [1, 2],
    ]);
  });

  test("the same control bound to another record whose column is also empty shows that record, not the last one's edit", async () => {
    const form = await openForm({ value: null, defaultValue: SEED });
    await click("Information", "Accepted");
    expect(form.value()).not.toBeNull();
    form.refresh({ value: null });
    expect([checkedLabel(rowGroup("Werbung und Spiele")), checkedLabel(rowGroup("Information"))]).toEqual(["Not chosen", "Not chosen"]);
    await click("Werbung und Spiele", "Declined");
    expect(lastWritten(form).map((r) => [r.id, r.state, r.modifiedby])).toEqual([
      [0, 0, ""],
      [1, 2, "Erika Mustermann"],
    ]);
  });

  test("a value the form hands in before it took the control's change wins: the stale change is not handed over", async () => {
    const fromFlow = SEED.replace('"state":0,"description":"Werbung und Spiele"', '"state":2,"description":"Werbung und Spiele"');
    const form = await openForm({ value: SEED, defaultValue: SEED, deferOutputs: true });
    await click("Information", "Accepted");
    expect(form.notifications()).toBe(1);
    form.refresh({ value: fromFlow });
    await form.takeOutputs();
    expect(form.outputs).toEqual([{}]);
    expect(form.value()).toBe(fromFlow);
    expect(checkedLabel(rowGroup("Information"))).toBe("Not chosen");
    expect(checkedLabel(rowGroup("Werbung und Spiele"))).toBe("Declined");
  });
});

/** Issue 16, finding 4: setting a row back to its stored state wrote new stamps and left the form dirty. */
describe("setting a row back to its stored state is no change", () => {
  // Pretty-printed and without a row for type 1: what the control writes differs from it in every
  // byte, so only handing back the stored text itself gives the form its own value again.
  const STORED = '[\n  {"id": 0, "state": 1, "description": "Information", "modifiedby": "Ann", "modifiedon": "2026-01-02T03:04:05.000Z", "position": 1}\n]';

  test("undone before the form took the change: nothing more is notified and getOutputs hands over nothing", async () => {
    const form = await openForm({ value: SEED, defaultValue: SEED, deferOutputs: true });
    await click("Information", "Accepted");
    await click("Information", "Not chosen");
    expect(form.notifications()).toBe(1);
    await form.takeOutputs();
    expect(form.outputs).toEqual([{}]);
    expect(form.value()).toBe(SEED);
    expect(form.dirty()).toBe(false);
    expect(checkedLabel(rowGroup("Information"))).toBe("Not chosen");
  });

  test("undone after the form took the change: getOutputs hands back the stored value byte for byte", async () => {
    const form = await openForm({ value: STORED, defaultValue: SEED });
    await click("Information", "Declined");
    expect(form.dirty()).toBe(true);
    await click("Information", "Accepted");
    expect(form.outputs).toHaveLength(2);
    expect(form.outputs[1]).toEqual({ value: STORED });
    expect(form.value()).toBe(STORED);
    expect(form.dirty()).toBe(false);
    // Setting it to what the form now holds again is no change at all.
    await click("Information", "Accepted");
    expect(form.notifications()).toBe(2);
  });

  test("an empty column goes back to empty (getOutputs' value undefined empties it), not to a stamped list", async () => {
    const form = await openForm({ value: null, defaultValue: SEED });
    await click("Information", "Declined");
    await click("Information", "Not chosen");
    expect(form.outputs).toHaveLength(2);
    expect("value" in (form.outputs[1] as object) && form.outputs[1]?.value === undefined).toBe(true);
    expect(form.value()).toBeNull();
    expect(form.dirty()).toBe(false);
  });

  test("one of two changed rows set back: that row gets its stored stamps back, the other keeps its new ones", async () => {
    const form = await openForm({ value: SEED, defaultValue: SEED });
    await click("Information", "Accepted");
    await click("Werbung und Spiele", "Declined");
    await click("Information", "Not chosen");
    expect(lastWritten(form)).toEqual([
      { id: 0, state: 0, description: "Information", modifiedby: "", modifiedon: "", position: 1 },
      expect.objectContaining({ id: 1, state: 2, modifiedby: "Erika Mustermann" }),
    ]);
    expect(form.dirty()).toBe(true);
  });
});
