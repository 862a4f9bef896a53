import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { product } from "../../solution/src/model/product";
import { loadParts, packSolution } from "../../solution/src/pack";
import { PartError, type SolutionPart } from "../../solution/src/parts";
import { solutionParts } from "../../solution/src/slots";
import { flowsContribution } from "../../solution/src/slots/flows";
import { stableId } from "../../solution/src/ids";
import { label } from "../../solution/src/labels";
import { verifySolutionZip } from "../../solution/src/verify/verifyZip";
import { kid, kids, textOf } from "../../solution/src/verify/parseXml";
import { zipEntries } from "../../solution/src/verify/zipEntries";
import { builtZip, REPO_ROOT, zipXml } from "./helpers";
import { FlowBuilder } from "../../flows/toolkit/builder/flow";
import { recurrence } from "../../flows/toolkit/builder/triggers";
import { connectorApiName } from "../../solution/src/naming";

/** The smallest real flow body: a daily trigger and no actions. */
function emptyFlowClientData() {
  const f = new FlowBuilder({ id: stableId("empty-flow"), displayName: { en: "empty" } });
  f.trigger("Recurrence", recurrence("Day", 1));
  return f.clientData();
}

/** A repository root in a temp folder with only the given files, for the slots to read. */
function fakeRepo(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), "crc-parts-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const swagger = JSON.stringify({
  swagger: "2.0",
  info: { title: "CleverReach", version: "1.0" },
  host: "rest.cleverreach.com",
  basePath: "/v3",
  schemes: ["https"],
  paths: { "/groups.json": { get: { operationId: "ListGroups", responses: { "200": { description: "ok" } } } } },
});
const apiProperties = JSON.stringify({
  properties: {
    connectionParameters: {
      token: { type: "oauthSetting", oAuthSettings: { identityProvider: "oauth2", clientId: "client-id", scopes: [] } },
    },
  },
});
const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
const manifest =
  '<?xml version="1.0" encoding="utf-8"?><manifest><control namespace="CleverReach" constructor="NewsletterChecklist" version="1.0.0" display-name-key="x" control-type="virtual">' +
  '<property name="value" of-type="Multiple" usage="bound" required="true"/><resources><code path="bundle.js" order="1"/><resx path="strings/Checklist.1031.resx" version="1.0.0"/></resources></control></manifest>';

const connectorFiles = {
  "connector/apiDefinition.swagger.json": swagger,
  "connector/apiProperties.json": apiProperties,
  "connector/icon.png": PNG,
};

describe("solution parts (slots)", () => {
  test("the repository's own build leaves out parts that are not built and says so", () => {
    const lines: string[] = [];
    const loaded = loadParts(solutionParts(product), fakeRepo({}), (l) => lines.push(l));
    expect(loaded).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/^left out CleverReach custom connector \(not built yet; see connector\//));
  });

  test("a required part that is missing fails with a clear message", () => {
    const required: SolutionPart = { name: "checklist", source: "pcf-checklist/", required: true, load: () => undefined };
    expect(() => loadParts([required], REPO_ROOT)).toThrow('solution part "checklist": it has not been built; see pcf-checklist/');
  });

  test("a broken connector fails the build naming the file", () => {
    const root = fakeRepo({ ...connectorFiles, "connector/apiDefinition.swagger.json": "{ not json" });
    expect(() => loadParts(solutionParts(product), root)).toThrow(PartError);
    expect(() => loadParts(solutionParts(product), root)).toThrow(/apiDefinition\.swagger\.json is not valid JSON/);
    const secret = fakeRepo({ ...connectorFiles, "connector/apiProperties.json": apiProperties.replace('"clientId"', '"clientSecret":"s3cret","clientId"') });
    expect(() => loadParts(solutionParts(product), secret)).toThrow(/contains a client secret/);
  });

  test("a built connector, control and flow go into the zip as components and the zip verifies", async () => {
    const root = fakeRepo({
      ...connectorFiles,
      "pcf-checklist/out/controls/NewsletterChecklist/ControlManifest.xml": manifest,
      "pcf-checklist/out/controls/NewsletterChecklist/bundle.js": "ComponentFramework.registerControl('CleverReach.NewsletterChecklist', function(){});",
      "pcf-checklist/out/controls/NewsletterChecklist/strings/Checklist.1031.resx": "<root/>",
    });
    const flowId = stableId("test-flow");
    const flows = flowsContribution([
      { id: flowId, displayName: label("Update Synchronisation CleverReach (List)", "x"), runAs: "caller", clientData: emptyFlowClientData() },
    ]);
    const zip = await packSolution(product, [flows, ...loadParts(solutionParts(product), root)]);
    expect(await verifySolutionZip(zip)).toEqual([]);

    const names = zipEntries(zip).map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        `Workflows/UpdateSynchronisationCleverReachList-${flowId.toUpperCase()}.json`,
        "Connector/clvr_5Fcleverreach-20connector_openapidefinition.json",
        "Connector/clvr_5Fcleverreach-20connector_connectionparameters.json",
        "Connector/clvr_5Fcleverreach-20connector_policytemplateinstances.json",
        "Connector/clvr_5Fcleverreach-20connector_iconblob.Png",
        "Controls/clvr_CleverReach.NewsletterChecklist/ControlManifest.xml",
        "Controls/clvr_CleverReach.NewsletterChecklist/bundle.js",
        "Controls/clvr_CleverReach.NewsletterChecklist/strings/Checklist.1031.resx",
      ]),
    );
    // Export order: workflows, env vars, connector, controls after the three leading entries.
    const firstOf = (prefix: string): number => names.findIndex((n) => n.startsWith(prefix));
    expect(firstOf("Workflows/")).toBeLessThan(firstOf("environmentvariabledefinitions/"));
    expect(firstOf("environmentvariabledefinitions/")).toBeLessThan(firstOf("Connector/"));
    expect(firstOf("Connector/")).toBeLessThan(firstOf("Controls/"));

    const solution = kid(await zipXml(zip, "solution.xml"), "SolutionManifest");
    const roots = kids(kid(solution, "RootComponents"), "RootComponent").map((r) => r.attrs);
    expect(roots).toContainEqual({ type: "29", id: `{${flowId}}`, behavior: "0" });
    expect(roots).toContainEqual({ type: "372", id: `{${product.connector.id}}`, schemaName: "clvr_5Fcleverreach-20connector", behavior: "0" });
    expect(roots).toContainEqual({ type: "66", schemaName: "clvr_CleverReach.NewsletterChecklist", behavior: "0" });

    const customizations = await zipXml(zip, "customizations.xml");
    const order = customizations.children.map((c) => c.name);
    expect(order.indexOf("Connectors")).toBe(order.indexOf("connectionreferences") - 1);
    const workflow = kid(kid(customizations, "Workflows"), "Workflow");
    expect(textOf(workflow, "Category")).toBe("5");
    expect(textOf(workflow, "PrimaryEntity")).toBe("none");
    const cr = kids(kid(customizations, "connectionreferences"), "connectionreference").find(
      (r) => r.attrs.connectionreferencelogicalname === "clvr_CleverReach",
    );
    expect(textOf(cr, "connectorid")).toBe(`/providers/Microsoft.PowerApps/apis/${connectorApiName("clvr", "CleverReach Connector", product.connector.id)}`);
    expect(textOf(kid(cr, "customconnectorid"), "connectorid")).toBe(product.connector.id);
  }, 15_000);

  test("a control manifest listing a file the build did not write fails the build", () => {
    const root = fakeRepo({
      "pcf-checklist/out/controls/NewsletterChecklist/ControlManifest.xml": manifest,
      "pcf-checklist/out/controls/NewsletterChecklist/bundle.js": "x",
    });
    expect(() => loadParts(solutionParts(product), root)).toThrow(/lists strings\/Checklist\.1031\.resx, which the build did not write/);
  });

  test("two flows with the same id are refused", () => {
    const f = { id: stableId("same"), displayName: label("A", "A"), runAs: "owner" as const, clientData: emptyFlowClientData() };
    expect(() => flowsContribution([f, { ...f, displayName: label("B", "B") }])).toThrow(/share the workflow id/);
  });

  test("builds are reproducible: the same input gives the same bytes (stable GUIDs, fixed dates)", async () => {
    // Same parts as the build (connector and control are built by then), packed again.
    const again = await packSolution(
      product,
      loadParts(solutionParts(product), REPO_ROOT, () => undefined),
    );
    expect(again.equals(await builtZip())).toBe(true);
  });
});
