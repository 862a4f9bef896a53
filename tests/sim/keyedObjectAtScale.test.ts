import { FlowBuilder } from "../../flows/toolkit/builder/flow";
import { childFlowTrigger } from "../../flows/toolkit/builder/triggers";
import type { WdlAction } from "../../flows/toolkit/wdl";
import { RUN_LIMITS } from "../../flows/toolkit/sim/limits";
import { CLEVERREACH_API, startFakes, type Fakes } from "./harness";

/**
 * Why the flows may not build one keyed object for a whole group (issue 11): the pattern the full
 * sync and CleverReachToCrm used, `json(concat('{', join(<"email":receiver> entries, ','), '}'))`,
 * builds one string of ~260 characters per receiver, and Power Automate refuses any such string
 * past 131,072 characters. The flow here is that pattern alone, over a group in the fake CleverReach.
 */
const RECEIVERS_THAT_FAIL = 500;

function keyedGroupFlow() {
  const f = new FlowBuilder({ id: "00000000-0000-0000-0000-000000000011", displayName: { en: "Keyed group (old way)" } });
  const cr = f.useConnection({ apiName: CLEVERREACH_API, connectionReferenceLogicalName: "test_CleverReach", connectorLogicalName: "test_5Fcleverreach" });
  f.trigger("manual", childFlowTrigger({ type: "object", properties: { group: { type: "integer" } } }));
  const read: WdlAction = {
    type: "OpenApiConnection",
    inputs: {
      host: { connectionName: cr, operationId: "ListGroupReceivers", apiId: "" },
      parameters: { group_id: "@triggerBody()?['group']", page: 0, pagesize: 5000, type: "all" },
    },
  };
  f.actions.add("Receivers", read);
  f.actions.add("Entries", { type: "Select", inputs: { from: "@body('Receivers')", select: `@concat('"', item()?['email'], '":', string(item()))` } });
  f.actions.add("By_email", { type: "Compose", inputs: "@json(concat('{', join(body('Entries'), ','), '}'))" });
  return f.build();
}

describe("a keyed object for a whole group, in the strict simulator", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  const groupOf = (n: number): number => {
    const group = fakes.cleverReach.seed.group(`Group of ${n}`);
    const rows = Array.from({ length: n }, (_, i) => ({
      email: `person${i}@example.com`,
      activated: 1_700_000_000,
      registered: 1_700_000_000,
      global_attributes: { firstname: `Person ${i}`, lastname: "Example", crm_table: "contact", crm_id: "3f2504e0-4f89-11d3-9a0c-0305e82c3301" },
    }));
    fakes.cleverReach.seed.receivers(group.id, rows);
    return group.id;
  };

  test(`works for a small group and fails at ${RECEIVERS_THAT_FAIL} receivers with the platform's limit`, async () => {
    const flow = keyedGroupFlow();
    const small = await fakes.simulator().run(flow, { body: { group: groupOf(100) } });
    expect(small.status).toBe("Succeeded");
    expect(Object.keys(small.actions.get("By_email")?.outputs as object)).toHaveLength(100);
    const entry = String((small.actions.get("Entries")?.outputs as { body: string[] }).body[0]).length;
    // At this entry size the limit falls between the two group sizes.
    expect(entry * RECEIVERS_THAT_FAIL).toBeGreaterThan(RUN_LIMITS.expressionResultCharacters);

    const large = await fakes.simulator().run(flow, { body: { group: groupOf(RECEIVERS_THAT_FAIL) } });
    expect(large.status).toBe("Failed");
    expect(large.actions.get("By_email")?.error?.message).toMatch(
      /^The template language function 'join' failed: its result has \d+ characters; the expression evaluation limit is 131072 characters/,
    );
  }, 20_000);
});
