import { FAILURE_SENTENCES, syncFailureText, type FailedService } from "../../flows/product/rules/messages";
import { syncFailureText as syncFailureTextExpression } from "../../flows/product/sync/messages";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { lit, variables } from "../../flows/toolkit/expr/build";
import { evaluateString } from "../../flows/toolkit/sim/evaluate";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import { COLUMNS } from "../../solution/src/model/handles";
import { startFakes, type Fakes } from "../sim/harness";
import { seedContacts, seedStaticList } from "./scenario";

/** Issue 15 item 20: a failed sync says in words what went wrong and what to do, on the record. */
describe("errors in words", () => {
  test("the flows' failure text is the rule's, for every service and status", () => {
    for (const service of ["cleverreach", "dataverse"] as FailedService[]) {
      for (const [status, message] of [
        [0, ""],
        [0, "it broke"],
        [400, "it broke"],
        [401, "it broke"],
        [403, ""],
        [404, "x"],
        [409, "x"],
        [429, "x"],
        [500, "x"],
        [503, "x"],
        [599, "x"],
      ] as const) {
        const failed = { name: "Some_step", outputs: status === 0 ? null : { statusCode: status }, error: message === "" ? null : { message } };
        const evaluated = evaluateString(syncFailureTextExpression(variables("failure"), lit(service === "cleverreach")).value, {
          context: { variables: () => failed },
          functions: FUNCTIONS,
        });
        expect(evaluated).toBe(syncFailureText({ service, status, step: "Some_step", message }));
      }
    }
  });

  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const listWithAnn = () => {
    const ids = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    return seedStaticList(fakes, "News", { 0: 1 }, ids);
  };
  const run = (id: string) => fakes.simulator([syncGroupFlow().build()]).run(syncGroupFlow().build(), { body: { table: "list", id } });
  const lastError = (id: string) => String(fakes.dataverse.row("list", id)?.[COLUMNS.lastSyncError]);

  test("the CleverReach connection's sign-in revoked (401): the record says to sign in again", async () => {
    const listId = listWithAnn();
    fakes.cleverReach.server.revokeToken(fakes.cleverReach.token);
    const r = await run(listId);
    expect(r.status).toBe("Failed");
    expect(lastError(listId)).toContain(FAILURE_SENTENCES.cleverreach[401]);
    expect(lastError(listId)).toMatch(/Details: step List_groups \(401\): /);
    expect(r.error?.message).toBe(lastError(listId));
  });

  test("CleverReach busy (429) or failing (503) after the retries: the record says nothing is lost and to try later", async () => {
    for (const [status, sentence] of [
      [429, FAILURE_SENTENCES.cleverreach[429]],
      [503, FAILURE_SENTENCES.cleverreach.server],
    ] as const) {
      const listId = listWithAnn();
      fakes.cleverReach.server.injectFault({ kind: "status", status, times: 20, operationId: "ListGroups" });
      const r = await run(listId);
      expect(r.status).toBe("Failed");
      expect(lastError(listId)).toContain(sentence);
      fakes.cleverReach.server.faults.clear();
    }
  }, 60_000);

  test("Dataverse refuses a write of the sync (403): the record says to check the connection's rights", async () => {
    const listId = listWithAnn();
    const gate = fakes.gates.hold({ connector: "cleverreach", operationId: "ListGroups" });
    const running = run(listId);
    await gate.reached;
    fakes.dataverse.failNext(1, 403);
    gate.release();
    const r = await running;
    expect(r.status).toBe("Failed");
    expect(lastError(listId)).toContain(FAILURE_SENTENCES.dataverse.any);
    expect(lastError(listId)).toMatch(/\(403\)/);
  });
});
