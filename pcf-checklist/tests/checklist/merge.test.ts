import { mergeWithTypes, parseChecklist, serializeChecklist, setRowState, visibleRows, type ChecklistRow, type NewsletterType } from "../../src/checklist";
import { SEED } from "./seed";

const TYPES: NewsletterType[] = [
  { id: 0, description: "Information", position: 1 },
  { id: 1, description: "Werbung und Spiele", position: 0 },
];
const NOW = new Date("2026-11-25T10:20:30.456Z");

describe("merge with the configured types", () => {
  test("the seed with its own configuration is unchanged and shown in position order", () => {
    const merged = mergeWithTypes(parseChecklist(SEED), TYPES);
    expect(serializeChecklist(merged)).toBe(SEED);
    expect(visibleRows(merged, TYPES).map((r) => r.description)).toEqual(["Werbung und Spiele", "Information"]);
  });

  test("an empty value shows every configured type with state 0", () => {
    const rows = visibleRows(mergeWithTypes(parseChecklist(""), TYPES), TYPES);
    expect(rows.map((r) => [r.id, r.state, r.position])).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
  });

  test("a stored id that is no longer configured is kept untouched and hidden", () => {
    const stored = parseChecklist('[{"id":9,"state":1,"description":"Old","modifiedby":"Bo","modifiedon":"2020-01-01T00:00:00.000Z","position":0,"x":true}]');
    const merged = mergeWithTypes(stored, TYPES);
    expect(merged[0]).toBe(stored[0]);
    expect(visibleRows(merged, TYPES).map((r) => r.id)).toEqual([1, 0]);
    expect(serializeChecklist(merged)).toMatch(
      /^\[\{"id":9,"state":1,"description":"Old","modifiedby":"Bo","modifiedon":"2020-01-01T00:00:00.000Z","position":0,"x":true\},/,
    );
  });

  test("description and position follow the configuration; state and stamps stay", () => {
    const stored = parseChecklist('[{"id":0,"state":2,"description":"Info (old)","modifiedby":"Ann","modifiedon":"2024-05-06T07:08:09.000Z","position":5}]');
    const [row] = mergeWithTypes(stored, [{ id: 0, description: "Info", position: 3 }]);
    expect(row).toEqual({ id: 0, state: 2, description: "Info", modifiedby: "Ann", modifiedon: "2024-05-06T07:08:09.000Z", position: 3 });
  });

  test("missing types are appended after the stored rows in configuration order", () => {
    const types = [...TYPES, { id: 5, description: "Events", position: 2 }, { id: 4, description: "Tips", position: 3 }];
    expect(mergeWithTypes(parseChecklist(SEED), types).map((r) => r.id)).toEqual([0, 1, 5, 4]);
  });

  test("equal positions are ordered by id", () => {
    const types = [
      { id: 2, description: "b", position: 0 },
      { id: 1, description: "a", position: 0 },
    ];
    expect(visibleRows(mergeWithTypes([], types), types).map((r) => r.id)).toEqual([1, 2]);
  });
});

describe("set a row's state", () => {
  const rows = mergeWithTypes(parseChecklist(SEED), TYPES);

  test("stamps the user and ISO 8601 UTC time on that row only", () => {
    const next = setRowState(rows, 1, 1, "Erika Mustermann", NOW);
    expect(next[1]).toEqual({ ...rows[1], state: 1, modifiedby: "Erika Mustermann", modifiedon: "2026-11-25T10:20:30.456Z" });
    expect(next[0]).toBe(rows[0]);
    expect(serializeChecklist(next)).toBe(
      '[{"id":0,"state":0,"description":"Information","modifiedby":"","modifiedon":"","position":1},' +
        '{"id":1,"state":1,"description":"Werbung und Spiele","modifiedby":"Erika Mustermann","modifiedon":"2026-11-25T10:20:30.456Z","position":0}]',
    );
  });

  test("choosing the state a row already has is no change (same array)", () => {
    expect(setRowState(rows, 0, 0, "Ann", NOW)).toBe(rows);
  });

  test("an unknown id is no change", () => {
    expect(setRowState(rows, 42, 1, "Ann", NOW)).toBe(rows);
  });

  test("choosing the state a row has in the stored value puts the stored row back, stamps included", () => {
    const stored = mergeWithTypes(
      parseChecklist('[{"id":0,"state":2,"description":"Information","modifiedby":"Ann","modifiedon":"2024-05-06T07:08:09.000Z","position":1}]'),
      TYPES,
    );
    const changed = setRowState(stored, 0, 1, "Erika Mustermann", NOW);
    const back = setRowState(changed, 0, 2, "Erika Mustermann", NOW, stored);
    expect(back[0]).toBe(stored[0]);
    expect(serializeChecklist(back)).toBe(serializeChecklist(stored));
    // Another state than the stored one is a change like any other: new stamps.
    expect(setRowState(changed, 0, 0, "Erika Mustermann", NOW, stored)[0]).toMatchObject({
      state: 0,
      modifiedby: "Erika Mustermann",
      modifiedon: NOW.toISOString(),
    });
    // A row the stored value did not have yet goes back to its unchosen, unstamped form.
    const accepted = setRowState(stored, 1, 1, "Erika Mustermann", NOW);
    expect(setRowState(accepted, 1, 0, "Erika Mustermann", NOW, stored)[1]).toEqual({
      id: 1,
      state: 0,
      description: "Werbung und Spiele",
      modifiedby: "",
      modifiedon: "",
      position: 0,
    });
  });

  test("does not modify its input", () => {
    const copy: ChecklistRow[] = JSON.parse(JSON.stringify(rows));
    setRowState(rows, 0, 2, "Ann", NOW);
    expect(rows).toEqual(copy);
  });
});
