import { loadDataverseConnector } from "../../flows/toolkit/facts";
import { XSD_FACTS, type XsdFacts } from "../../solution/src/verify/xsd";
import { readFileSync } from "node:fs";

/** What every clone relies on, with or without ../shared: the committed facts are whole. */
describe("committed platform facts", () => {
  test("the Dataverse connector has the operations and parameters the flows use", () => {
    const dv = loadDataverseConnector();
    expect(dv.host).toBeDefined();
    // Operations our flows call or trigger on (flows/toolkit/builder/dataverse.ts, the flow linter's tests).
    for (const id of ["ListRecords", "GetItem", "UpdateOnlyRecord", "CreateRecord", "DeleteRecord", "SubscribeWebhookTrigger"]) {
      expect(dv.operations.get(id)?.operationId).toBe(id);
    }
    const list = dv.operations.get("ListRecords");
    expect(list?.method).toBe("GET");
    expect(list?.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(["entityName", "$filter", "$select", "$top"]));
    const subscribe = dv.operations.get("SubscribeWebhookTrigger")?.parameters.find((p) => p.in === "body");
    expect(subscribe?.bodyProperties?.size).toBeGreaterThan(0);
  });

  test("every model the XSD facts name is there, starting from customizations.xml's root", () => {
    const facts = JSON.parse(readFileSync(XSD_FACTS, "utf8")) as XsdFacts;
    expect(facts.roots.ImportExportXml).toBeDefined();
    const ids = [...Object.values(facts.roots), ...Object.values(facts.models).flatMap((m) => Object.values(m.children ?? {}))];
    expect(ids.filter((id) => !(id in facts.models))).toEqual([]);
  });
});
