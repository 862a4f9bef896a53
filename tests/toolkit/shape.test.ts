import { compose, terminate } from "../../flows/toolkit/builder/actions";
import { FlowBuilder } from "../../flows/toolkit/builder/flow";
import { operationMetadataId } from "../../flows/toolkit/builder/operationMetadata";
import { childFlowTrigger, designerInputs, recurrence } from "../../flows/toolkit/builder/triggers";
import { call, lit } from "../../flows/toolkit/expr/build";
import { childScopes, type WdlAction } from "../../flows/toolkit/wdl";

function build(id: string) {
  const f = new FlowBuilder({ id, displayName: { en: "Shape" } });
  f.trigger("Recurrence", recurrence("Hour", 1), { concurrency: 1 });
  const a = f.actions;
  a.add("Top", compose(1));
  a.forEach("Each", call("createArray", 1), (l) => {
    l.condition(
      "Check",
      lit(true),
      (y) => y.add("Yes", compose(2)),
      (n) => n.add("No", compose(3)),
    );
  });
  a.switch("Pick", lit(1), { One: { value: 1, body: (c) => c.add("In_case", compose(4)) } }, { otherwise: (d) => d.add("Otherwise", terminate("Succeeded")) });
  return f.clientData();
}

function everyAction(list: Record<string, WdlAction>): Array<[string, WdlAction]> {
  return Object.entries(list).flatMap(([n, a]) => [[n, a] as [string, WdlAction], ...childScopes(a).flatMap((s) => everyAction(s.actions))]);
}

describe("flow shape as the designer writes it", () => {
  test("operationMetadataId: a version 5 GUID of flow id and name, on the trigger and every action, the same on every build", () => {
    const one = build("11111111-1111-4111-8111-111111111111");
    const def = one.properties.definition;
    const actions = everyAction(def.actions);
    expect(actions.map(([n]) => n).sort()).toEqual(["Check", "Each", "In_case", "No", "Otherwise", "Pick", "Top", "Yes"]);
    for (const [name, a] of actions) expect(a.metadata?.operationMetadataId).toBe(operationMetadataId("11111111-1111-4111-8111-111111111111", name));
    expect(def.triggers.Recurrence?.metadata?.operationMetadataId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(actions.map(([, a]) => a.metadata?.operationMetadataId)).size).toBe(actions.length);
    expect(JSON.stringify(build("11111111-1111-4111-8111-111111111111"))).toBe(JSON.stringify(one));
    expect(operationMetadataId("22222222-2222-4222-8222-222222222222", "Top")).not.toBe(operationMetadataId("11111111-1111-4111-8111-111111111111", "Top"));
  });

  test("definition.outputs is {} and trigger concurrency is runtimeConfiguration.concurrency.runs", () => {
    const def = build("33333333-3333-4333-8333-333333333333").properties.definition;
    expect(def.outputs).toEqual({});
    expect(def.triggers.Recurrence?.runtimeConfiguration).toEqual({ concurrency: { runs: 1 } });
  });

  test("child flow inputs carry what the designer writes (BACoreChildGetDynamicDataInstance)", () => {
    const t = childFlowTrigger(
      designerInputs({
        table: { title: "Table", type: "string", description: "Which table", options: ["list", "campaign"] },
        notify: { title: "Notify", type: "boolean", description: "Whether to notify", required: false },
      }),
    );
    expect(t.inputs).toEqual({
      schema: {
        type: "object",
        properties: {
          table: {
            title: "Table",
            type: "string",
            "x-ms-dynamically-added": true,
            description: "Which table",
            "x-ms-content-hint": "TEXT",
            enum: ["list", "campaign"],
          },
          notify: { title: "Notify", type: "boolean", "x-ms-dynamically-added": true, description: "Whether to notify", "x-ms-content-hint": "BOOLEAN" },
        },
        required: ["table"],
      },
    });
  });
});
