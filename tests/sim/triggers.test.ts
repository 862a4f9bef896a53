import { call, triggerOutputs } from "../../flows/toolkit/expr/build";
import { updateRow, rowTrigger } from "../../flows/toolkit/builder/dataverse";
import { ProductFlow } from "../../flows/product/patterns/productFlow";
import { label } from "../../solution/src/labels";
import { startFakes, TriggerRouter, type Fakes } from "./harness";

/** A row trigger with filtering attributes fires on those columns only, and the flow sees the row. */
describe("Dataverse row triggers in the simulator", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  function stampOnRename(): ProductFlow {
    const f = new ProductFlow({ key: "rename-stamp", displayName: label("Rename stamp", "Umbenennung") });
    f.useDataverse();
    f.trigger("When_a_list_is_renamed", rowTrigger({ message: "modified", table: "list", filteringAttributes: ["listname"] }));
    f.actions.add(
      "Stamp",
      updateRow("lists", triggerOutputs().get("body/listid"), {
        clvr_receiverstatus: call("concat", "renamed to ", triggerOutputs().get("body/listname"), " (", triggerOutputs().get("body/SdkMessage"), ")"),
      }),
    );
    return f;
  }

  test("fires on a change of a filtering attribute, not on other columns, not on create", async () => {
    const router = new TriggerRouter(fakes, [stampOnRename().build()]);
    const [id] = fakes.dataverse.seed("list", [{ listname: "A", type: false, createdfromcode: 2 }]);
    const patch = (body: Record<string, unknown>) =>
      fakes.dataverse.handle({ method: "PATCH", path: `/api/data/v9.2/lists(${id})`, query: {}, headers: { "If-Match": "*" }, body });
    await patch({ description: "only the description" });
    await router.settle();
    expect(router.runs).toHaveLength(0);
    await patch({ listname: "B" });
    await router.settle();
    // The flow's own write changes clvr_receiverstatus only, so it does not trigger itself again.
    expect(router.runs).toHaveLength(1);
    expect(router.runs[0]?.result?.status).toBe("Succeeded");
    expect(fakes.dataverse.row("list", id!)?.clvr_receiverstatus).toBe("renamed to B (Update)");
    router.stop();
  });
});
