import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { startFakes, type Fakes } from "./harness";
import { groupContents, seedContacts, seedStaticList } from "../sync/scenario";

/** The gates order overlapping runs deterministically and lose answers after the write (tests/sim/gates.ts). */
describe("gates on connector calls", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const flow = syncGroupFlow().build();
  const listOf = (names: string[]) =>
    seedStaticList(
      fakes,
      "Gated",
      { 0: 1 },
      seedContacts(
        fakes,
        names.map((firstname) => ({ firstname, states: { 0: 1 } })),
      ),
    );

  test("a call held at its request has not reached the service until it is released", async () => {
    const listId = listOf(["Ann"]);
    const gate = fakes.gates.hold({ connector: "cleverreach", operationId: "UpsertReceivers" });
    const run = fakes.simulator([flow]).run(flow, { body: { table: "list", id: listId } });
    const call = await gate.reached;
    expect(call.operationId).toBe("UpsertReceivers");
    const groupId = Number(fakes.dataverse.row("list", listId)?.clvr_cleverreachgroupid);
    expect(groupContents(fakes, groupId).size).toBe(0);
    gate.release();
    expect((await run).error).toBeUndefined();
    expect([...groupContents(fakes, groupId).keys()]).toEqual(["ann@example.com"]);
  });

  test("an answer lost after the service did the work reaches the flow as 504, and the call is sent again", async () => {
    const listId = listOf(["Ann"]);
    const gate = fakes.gates.hold({ connector: "cleverreach", operationId: "ListGroups", at: "answer" });
    const run = fakes.simulator([flow]).run(flow, { body: { table: "list", id: listId } });
    await gate.reached;
    gate.lose();
    const r = await run;
    expect(r.error).toBeUndefined();
    const listCalls = fakes.cleverReach.server.requests.filter((q) => q.operationId === "ListGroups");
    // The fake answered both; the flow saw the first answer as lost and retried.
    expect(listCalls.length).toBe(2);
  });

  test("a gate catches only as many calls as it is told to", async () => {
    const listId = listOf(["Ann", "Ben"]);
    const gate = fakes.gates.hold({ connector: "dataverse", operationId: "GetItem", times: 1 });
    const run = fakes.simulator([flow]).run(flow, { body: { table: "list", id: listId } });
    await gate.reached;
    gate.release();
    expect((await run).error).toBeUndefined();
    expect(gate.caught).toHaveLength(1);
  });
});
