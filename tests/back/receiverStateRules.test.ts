import { declineGroupTypes, idFromNumbers, isoFromUnix, receiverState, RECEIVER_STATE } from "../../flows/product/rules/receiverStates";
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
