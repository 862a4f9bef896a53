import { FakeDataverse } from "./fakeDataverse";
import { SYSTEM_COLUMN_LENGTHS } from "./columnLengths";
import { tableByName } from "./metadata";
import { errorMessage, patch, post } from "./testRequests";

const LIST = "44444444-4444-4444-4444-444444444444";
const STATE = "00000000-0000-1001-0000-000000005001";

describe("fake Dataverse: column lengths are enforced as Dataverse does (issue 14 finding 8)", () => {
  const dv = (): FakeDataverse => {
    const d = new FakeDataverse();
    d.seed("list", [{ listid: LIST, listname: "News", createdfromcode: 2, type: false }]);
    return d;
  };
  const code = (r: { body?: unknown }): string => (r.body as { error: { code: string } }).error.code;

  it("a marketing list renamed to 300 characters is refused with Dataverse's error, and nothing is written", async () => {
    const d = dv();
    const r = await patch(d, "v9.2", `lists(${LIST})`, { listname: "x".repeat(300) }, { "If-Match": "*" });
    expect(r.status).toBe(400);
    expect(code(r)).toBe("0x80044331");
    expect(errorMessage(r)).toBe(
      "A validation error occurred.  The length of the 'listname' attribute of the 'list' entity exceeded the maximum allowed length of '128'.",
    );
    expect(d.row("list", LIST)?.listname).toBe("News");
    // 128 is allowed.
    expect((await patch(d, "v9.2", `lists(${LIST})`, { listname: "x".repeat(128) }, { "If-Match": "*" })).status).toBe(204);
  });

  it("create and upsert are checked too, on system columns and on our columns (lengths from the solution model)", async () => {
    const d = dv();
    const create = await post(d, "contacts", { lastname: "L", emailaddress1: `${"a".repeat(95)}@example.com` });
    expect(create.status).toBe(400);
    expect(errorMessage(create)).toMatch(/'emailaddress1' attribute of the 'contact' entity exceeded the maximum allowed length of '100'/);
    const upsert = await patch(d, "v9.1", `clvr_receiverstates(${STATE})`, { clvr_name: "n", clvr_email: `${"a".repeat(95)}@example.com` });
    expect(upsert.status).toBe(400);
    expect(errorMessage(upsert)).toMatch(/'clvr_email' attribute of the 'clvr_receiverstate' entity exceeded the maximum allowed length of '100'/);
    expect(d.rows("clvr_receiverstate")).toEqual([]);
  });

  it("every documented length names a text column of the fake", () => {
    for (const [table, columns] of Object.entries(SYSTEM_COLUMN_LENGTHS)) {
      for (const [name, { maxLength }] of Object.entries(columns)) {
        const col = tableByName(table).columns[name];
        expect([table, name, col?.type === "string" || col?.type === "memo", col?.maxLength]).toEqual([table, name, true, maxLength]);
      }
    }
  });
});
