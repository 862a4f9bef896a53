import { buildFlows } from "../../flows";
import { COLUMNS } from "../../solution/src/model/handles";
import { RECORD_ERROR_MAX, recordError } from "../../flows/product/patterns/recordError";
import { ProductFlow } from "../../flows/product/patterns/productFlow";
import { label } from "../../solution/src/labels";
import { compose } from "../../flows/toolkit/builder/actions";
import { childFlowTrigger } from "../../flows/toolkit/builder/triggers";
import { triggerBody } from "../../flows/toolkit/expr/build";
import { startFakes, type Fakes } from "../sim/harness";

/**
 * Dataverse refuses a Last sync error longer than its column (tests/fakes/dataverse/columnLengths.ts),
 * and then the error is lost with the write: every flow writes it through recordError().
 */
describe("Last sync error always fits its column", () => {
  type Action = {
    inputs?: { parameters?: Record<string, unknown> };
    actions?: Record<string, Action>;
    else?: { actions?: Record<string, Action> };
    cases?: Record<string, { actions?: Record<string, Action> }>;
    default?: { actions?: Record<string, Action> };
  };
  function* writes(actions: Record<string, Action> | undefined, where: string): Generator<[string, unknown]> {
    for (const [name, a] of Object.entries(actions ?? {})) {
      const value = a.inputs?.parameters?.[`item/${COLUMNS.lastSyncError}`];
      if (value !== undefined) yield [`${where}/${name}`, value];
      yield* writes(a.actions, `${where}/${name}`);
      yield* writes(a.else?.actions, `${where}/${name}`);
      for (const c of Object.values(a.cases ?? {})) yield* writes(c.actions, `${where}/${name}`);
      yield* writes(a.default?.actions, `${where}/${name}`);
    }
  }

  test("every write of the column in every flow is cut to the column, or a literal that fits, or null", () => {
    const found: string[] = [];
    for (const f of buildFlows()) {
      for (const [where, value] of writes(f.clientData.properties.definition.actions as Record<string, Action>, f.displayName.en)) {
        found.push(where);
        const ok =
          value === null ||
          (typeof value === "string" && (!value.startsWith("@") ? value.length <= RECORD_ERROR_MAX : value.includes(`, ${RECORD_ERROR_MAX - 1}), '…')`)));
        expect([where, ok]).toEqual([where, true]);
      }
    }
    expect(found.length).toBeGreaterThan(15);
  });

  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  test("a long text is cut with … to the column's length; a short one and null stay as they are", async () => {
    const f = new ProductFlow({ key: "test-record-error", displayName: label("Fit", "Fit") });
    f.trigger("manual", childFlowTrigger());
    f.actions.add("Fitted", compose(recordError(triggerBody().get("text"))));
    const flow = f.build();
    const run = async (text: unknown) => (await fakes.simulator([flow]).run(flow, { body: { text } })).actions.get("Fitted")?.outputs;
    const long = (await run("x".repeat(RECORD_ERROR_MAX + 500))) as string;
    expect(long).toHaveLength(RECORD_ERROR_MAX);
    expect(long.endsWith("…")).toBe(true);
    expect(await run("short")).toBe("short");
    expect(await run(null)).toBeNull();
    expect(() => recordError("y".repeat(RECORD_ERROR_MAX + 1))).toThrow(/does not fit/);
  });
});
