import { buildFlows } from "../../flows";
import { acceptedTypesKey, isEligible, groupSelection, indexIsCurrent, UNREADABLE_CHECKLISTS_NOTE } from "../../flows/product/rules/eligibility";
import { parseChecklist } from "../../pcf-checklist/src/checklist";
import { COLUMNS } from "../../solution/src/model/handles";
import { selectedRows, startFakes, type Fakes } from "../sim/harness";
import { checklist, groupContents, patchRow, personRow, seedContacts, seedStaticList } from "./scenario";

/**
 * SPEC §6.7 and issue 14, finding 1 (issue 15, item 3): "Update Synchronisation" reads who is
 * eligible from each person's checklist JSON, not from the derived column clvr_acceptedtypes that
 * only the person flows keep in step. Every scenario here is data changed while the person flows
 * were off (only the menu flow and Sync group run), then the menu flow run once.
 */
describe("Update Synchronisation repairs: eligibility from the people's checklists", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const menuFlow = () => {
    const f = buildFlows().find((x) => x.displayName.en.startsWith("Update Synchronisation CleverReach") && x.displayName.en.includes("Marketing List"));
    if (!f) throw new Error("no Update Synchronisation flow for marketing lists");
    return f;
  };
  const updateSynchronisation = async (listId: string) => {
    const [r] = await fakes.simulator(buildFlows()).fire(menuFlow(), selectedRows({ listid: listId }));
    expect(r?.error).toBeUndefined();
  };
  const groupOf = (listId: string) => Number(fakes.dataverse.row("list", listId)?.[COLUMNS.cleverReachGroupId]);
  const activeIn = (groupId: number) =>
    [...groupContents(fakes, groupId)]
      .filter(([, r]) => r.active)
      .map(([e]) => e)
      .sort();
  /** A person as an import writes it: the checklist set, the derived column whatever the import left. */
  const imported = (firstname: string, states: Record<number, 0 | 1 | 2>, derived: string) => ({
    ...personRow({ firstname, states }),
    [COLUMNS.acceptedTypes]: derived,
  });

  test("imported people: accepted with an empty derived column are added, a hand-edited column makes nobody eligible, stale columns are corrected", async () => {
    const ids = fakes.dataverse.seed("contact", [
      imported("Ann", { 0: 1 }, ""), // accepted, index empty (imported with the flows off)
      imported("Ben", { 0: 2 }, ",0,"), // declined, index still says accepted
      imported("Cem", {}, ",0,"), // chose nothing, index hand-edited to make him eligible
      imported("Eve", { 0: 1, 3: 1 }, ",3,0,"), // right, in another order
    ]);
    const listId = seedStaticList(fakes, "Imported", { 0: 1 }, ids);
    await updateSynchronisation(listId);
    expect(activeIn(groupOf(listId))).toEqual(["ann@example.com", "eve@example.com"]);
    // The oracle agrees.
    const selection = groupSelection(checklist({ 0: 1 }));
    const rows = fakes.dataverse.rows("contact");
    const eligible = rows
      .filter((p) =>
        isEligible({ via: "contact", active: true, email: p.emailaddress1 as string, checklist: p[COLUMNS.newsletterChecklist] as string }, selection, [
          "contact",
        ]),
      )
      .map((p) => p.emailaddress1)
      .sort();
    expect(eligible).toEqual(["ann@example.com", "eve@example.com"]);
    // The derived column is only an index: put right where it was stale, left alone where it held the same ids.
    const key = (i: number) => fakes.dataverse.row("contact", ids[i]!)?.[COLUMNS.acceptedTypes] ?? "";
    expect([key(0), key(1), key(2), key(3)]).toEqual([",0,", "", "", ",3,0,"]);
    for (const row of fakes.dataverse.rows("contact")) {
      expect(indexIsCurrent(row[COLUMNS.acceptedTypes] as string, parseChecklist(row[COLUMNS.newsletterChecklist] as string))).toBe(true);
    }
  });

  test("a person who declined while the flows were off is removed by the next Update Synchronisation", async () => {
    const ids = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const listId = seedStaticList(fakes, "Declined later", { 0: 1 }, ids);
    await updateSynchronisation(listId);
    expect(activeIn(groupOf(listId))).toEqual(["ann@example.com", "ben@example.com"]);
    // A bulk edit with the flows off: Ben's checklist says declined, his derived column still ",0,".
    patchRow(fakes, "contacts", ids[1]!, { [COLUMNS.newsletterChecklist]: JSON.stringify(checklist({ 0: 2 })) });
    expect(fakes.dataverse.row("contact", ids[1]!)?.[COLUMNS.acceptedTypes]).toBe(acceptedTypesKey(checklist({ 0: 1 })));
    await updateSynchronisation(listId);
    expect([...groupContents(fakes, groupOf(listId)).keys()]).toEqual(["ann@example.com"]);
  });

  test("a type CleverReach declined counts as declined, whatever the checklist says", async () => {
    const ids = fakes.dataverse.seed("contact", [
      personRow({ firstname: "Ann", states: { 0: 1 } }),
      {
        ...personRow({ firstname: "Fay", states: { 0: 1 } }),
        [COLUMNS.cleverReachDeclines]: JSON.stringify([{ id: 0, group: "77", on: "2026-11-01T10:00:00Z", state: "unsubscribed" }]),
      },
      { ...personRow({ firstname: "Gil", states: { 0: 1 } }), [COLUMNS.cleverReachDeclines]: "[{broken" },
    ]);
    const listId = seedStaticList(fakes, "Declines", { 0: 1 }, ids);
    await updateSynchronisation(listId);
    expect(activeIn(groupOf(listId))).toEqual(["ann@example.com"]);
    // The derived column holds what the person flows write: accepted less CleverReach's declines.
    expect(fakes.dataverse.row("contact", ids[1]!)?.[COLUMNS.acceptedTypes]).toBe("");
  });

  test("people whose checklist is not valid are skipped and counted on the record; the rest of the group is synced", async () => {
    const ids = fakes.dataverse.seed("contact", [
      personRow({ firstname: "Ann", states: { 0: 1 } }),
      { ...personRow({ firstname: "Dan" }), [COLUMNS.newsletterChecklist]: "[{oops", [COLUMNS.acceptedTypes]: ",0," },
      { ...personRow({ firstname: "Ida" }), [COLUMNS.newsletterChecklist]: '[{"id":0,"state":"1"}]', [COLUMNS.acceptedTypes]: ",0," },
    ]);
    const listId = seedStaticList(fakes, "Dirty", { 0: 1 }, ids);
    await updateSynchronisation(listId);
    expect(activeIn(groupOf(listId))).toEqual(["ann@example.com"]);
    expect(fakes.dataverse.row("list", listId)?.[COLUMNS.lastSyncError]).toBe(`2${UNREADABLE_CHECKLISTS_NOTE}`);
    // Their stored values are left as they were.
    expect(fakes.dataverse.row("contact", ids[1]!)?.[COLUMNS.newsletterChecklist]).toBe("[{oops");
    expect(fakes.dataverse.row("contact", ids[1]!)?.[COLUMNS.acceptedTypes]).toBe(",0,");
  });
});
