import {
  addDeclines,
  type CleverReachDecline,
  type DeclineState,
  declinedTypeIds,
  declineGroupTypes,
  idFromNumbers,
  isoFromUnix,
  readDeclines,
  receiverState,
  RECEIVER_STATE,
  UNREADABLE_DECLINES,
} from "../../flows/product/rules/receiverStates";
import { parseChecklist, serializeChecklist } from "../../pcf-checklist/src/checklist";
import { checklist } from "../sync/scenario";

describe("CleverReach → CRM rules", () => {
  test("row ids: the two numbers in decimal digits laid out as a guid, the same on every run", () => {
    expect(idFromNumbers(1001, 5002)).toBe("00000000-0000-1001-0000-000000005002");
    expect(idFromNumbers("1155236", 98765432101)).toBe("00000000-0115-5236-0000-098765432101");
    expect(() => idFromNumbers(-1, 2)).toThrow();
  });

  test("state: blacklist outranks unsubscribe outranks bounce", () => {
    expect(receiverState({ activated: 1, deactivated: 5, bounced: 3 }, true)).toBe(RECEIVER_STATE.blacklisted);
    expect(receiverState({ activated: 1, deactivated: 5, bounced: 3 }, false)).toBe(RECEIVER_STATE.unsubscribed);
    expect(receiverState({ activated: 1, deactivated: 0, bounced: 3 }, false)).toBe(RECEIVER_STATE.bounced);
    expect(receiverState({ activated: 1, deactivated: 0, bounced: 0 }, false)).toBe(RECEIVER_STATE.active);
    expect(isoFromUnix(0)).toBe("1970-01-01T00:00:00Z");
  });

  test("declining the group's types: only the group's sent types turn red, missing ones are added, unknown keys kept", () => {
    const person = parseChecklist(
      '[{"id":0,"state":1,"description":"A","modifiedby":"U","modifiedon":"x","position":1,"custom":7},{"id":3,"state":1,"description":"C","modifiedby":"U","modifiedon":"x","position":2}]',
    );
    const group = checklist({ 0: 1, 1: 1, 3: 2 });
    const out = declineGroupTypes(person, group, "2026-11-25T10:00:00Z");
    expect(serializeChecklist(out)).toBe(
      '[{"id":0,"state":2,"description":"A","modifiedby":"CleverReach","modifiedon":"2026-11-25T10:00:00Z","position":1,"custom":7},' +
        '{"id":3,"state":1,"description":"C","modifiedby":"U","modifiedon":"x","position":2},' +
        '{"id":1,"state":2,"description":"Type 1","modifiedby":"CleverReach","modifiedon":"2026-11-25T10:00:00Z","position":1}]',
    );
    // Repeated: nothing changes (the flows then write nothing).
    expect(declineGroupTypes(out, group, "2026-12-01T00:00:00Z")).toEqual(out);
  });
});

describe("declines from CleverReach (the flows-only declines column)", () => {
  const d = (id: number, group = "1001", state: DeclineState = "unsubscribed"): CleverReachDecline => ({ id, group, on: "2026-11-25T10:00:00Z", state });

  test("empty or missing: no declines", () => {
    for (const t of [null, undefined, "", "  ", "[]"]) expect(declinedTypeIds(t)).toEqual([]);
  });

  test("declined type ids, once each, whatever the group or state", () => {
    const text = JSON.stringify([d(3), d(0, "1002", "bounced"), d(3, "1002", "blacklisted")]);
    expect(declinedTypeIds(text)).toEqual([0, 3]);
    expect(readDeclines(text)).toEqual({ declines: [d(3), d(0, "1002", "bounced"), d(3, "1002", "blacklisted")] });
  });

  test("an entry with an odd state or missing group/time still declines its type (read too widely, never too narrowly)", () => {
    expect(declinedTypeIds('[{"id":4,"state":"whatever"},{"id":5}]')).toEqual([4, 5]);
  });

  test.each([
    ["not JSON", "[{"],
    ["not an array", '{"id":1}'],
    ["an element that is not an object", "[1]"],
    ["an id that is a string", '[{"id":"1"}]'],
    ["a fractional id", '[{"id":1.5}]'],
    ["a negative id", '[{"id":-1}]'],
    ["no id", '[{"group":"1001"}]'],
  ])("%s cannot be read: the person is eligible for no group, and the reason is given in words", (_what, text) => {
    expect(declinedTypeIds(text)).toBeNull();
    expect(readDeclines(text)).toEqual({ problem: UNREADABLE_DECLINES });
  });

  test("adding a group's declines: one per sent type and group, first time kept, nothing dropped", () => {
    const group = checklist({ 0: 1, 1: 2, 3: 1 });
    const once = addDeclines([d(7, "999")], group, "1001", "2026-11-25T10:00:00Z", "unsubscribed");
    expect(once).toEqual([d(7, "999"), d(0), d(3)]);
    expect(addDeclines(once, group, "1001", "2026-12-01T00:00:00Z", "blacklisted")).toEqual(once);
    expect(addDeclines(once, group, "1002", "2026-11-25T10:00:00Z", "bounced")).toEqual([...once, d(0, "1002", "bounced"), d(3, "1002", "bounced")]);
  });
});
