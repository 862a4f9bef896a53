import { buildFlows } from "../../flows";
import { COLUMNS } from "../../solution/src/model/handles";
import { selectedRowsBy, startFakes, type Fakes } from "../sim/harness";
import { seedContacts, seedStaticList } from "./scenario";

/**
 * Update Synchronisation runs Sync group with the flows' identity; a user may start it only for a
 * record that user may change (issue 15, roles: "run the menu flows on records they can write").
 */
describe("Update Synchronisation only for records the user may change", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const menuFlow = () => {
    const f = buildFlows().find((x) => x.displayName.en === "Update Synchronisation CleverReach (Marketing List)");
    if (!f) throw new Error("no Update Synchronisation flow for marketing lists");
    return f;
  };
  const list = () => seedStaticList(fakes, "Spring", { 0: 1 }, seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]));
  const cleverReachCalls = () => fakes.cleverReach.server.requests.length;

  test("a user who may only read the list: refused in words, nothing reaches CleverReach", async () => {
    const listId = list();
    fakes.dataverse.denyWrite("reader@contoso.example", "list", [listId]);
    const before = cleverReachCalls();
    const [run] = await fakes.simulator(buildFlows()).fire(menuFlow(), selectedRowsBy("reader@contoso.example", { listid: listId }));
    expect(run?.status).toBe("Failed");
    expect(run?.error?.code).toBe("NotAllowedToSync");
    expect(run?.error?.message).toMatch(/^You may not change this marketing list, so you cannot sync it with CleverReach; ask its owner/);
    // Dataverse's own words follow, for the administrator.
    expect(run?.error?.message).toMatch(/SecLib::AccessCheckEx failed.*AccessRights: WriteAccess/);
    expect(cleverReachCalls()).toBe(before);
    expect(fakes.dataverse.row("list", listId)?.[COLUMNS.cleverReachGroupId]).toBeFalsy();
    expect(fakes.dataverse.row("list", listId)?.[COLUMNS.syncRequestedOn]).toBeFalsy();
  });

  test("a user who may change the list: the request is stamped with the user's connection and the group is synced", async () => {
    const listId = list();
    fakes.dataverse.denyWrite("reader@contoso.example", "list", [listId]);
    const [run] = await fakes.simulator(buildFlows()).fire(menuFlow(), selectedRowsBy("editor@contoso.example", { listid: listId }));
    expect(run?.error).toBeUndefined();
    expect(fakes.dataverse.row("list", listId)?.[COLUMNS.syncRequestedOn]).toBeTruthy();
    expect(Number(fakes.dataverse.row("list", listId)?.[COLUMNS.cleverReachGroupId])).toBeGreaterThan(0);
  });

  test("a run without the user's own connection syncs nothing and says so", async () => {
    const listId = list();
    const [run] = await fakes.simulator(buildFlows()).fire(menuFlow(), { body: { rows: [{ entity: { listid: listId } }] } });
    expect(run?.error?.code).toBe("SyncNotRequested");
    expect(run?.error?.message).toMatch(/Could not check that you may change this marketing list, so nothing was synced/);
    expect(fakes.dataverse.row("list", listId)?.[COLUMNS.cleverReachGroupId]).toBeFalsy();
  });

  test("the check goes through the user's connection, the sync through the flows' own", () => {
    const refs = menuFlow().clientData.properties.connectionReferences;
    expect(Object.entries(refs).map(([key, r]) => [key, r.runtimeSource, r.connection.connectionReferenceLogicalName])).toEqual([
      ["shared_commondataserviceforapps", "embedded", "clvr_Dataverse"],
      ["shared_commondataserviceforapps_1", "invoker", "clvr_Dataverse"],
    ]);
  });
});
