import { readFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import JSZip from "jszip";
import { buildFlows } from "../../flows/index";
import { DEPLOYMENT_SETTINGS_PATH, deploymentSettingsJson, type DeploymentSettings } from "../../solution/src/deploymentSettings";
import { product } from "../../solution/src/model/product";
import { loadParts } from "../../solution/src/pack";
import { solutionParts } from "../../solution/src/slots";
import { kid, kids, textOf } from "../../solution/src/verify/parseXml";
import { builtZip, REPO_ROOT, zipXml } from "./helpers";

const BUILD_TIMEOUT = 60_000;

const committedText = (): string => readFileSync(join(REPO_ROOT, DEPLOYMENT_SETTINGS_PATH), "utf8");
const committed = (): DeploymentSettings => JSON.parse(committedText()) as DeploymentSettings;
const byName =
  <T>(key: (t: T) => string) =>
  (a: T, b: T): number =>
    key(a).localeCompare(key(b));

/** Default values are read untrimmed: a group prefix ends with a space. */
const rawParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", parseTagValue: false, trimValues: false });

async function zipEnvironmentVariables(zip: Buffer): Promise<Array<{ SchemaName: string; Value: string }>> {
  const z = await JSZip.loadAsync(zip);
  const paths = Object.keys(z.files).filter((p) => /^environmentvariabledefinitions\/[^/]+\/environmentvariabledefinition\.xml$/.test(p));
  const out: Array<{ SchemaName: string; Value: string }> = [];
  for (const p of paths) {
    const doc = rawParser.parse((await z.file(p)?.async("string")) ?? "") as { environmentvariabledefinition: { schemaname: string; defaultvalue: string } };
    out.push({ SchemaName: doc.environmentvariabledefinition.schemaname, Value: doc.environmentvariabledefinition.defaultvalue });
  }
  return out;
}

describe("solution/deploymentSettings.json (pac solution import --settings-file)", () => {
  test(
    "the committed file is what the build writes now",
    () => {
      expect(committedText()).toBe(deploymentSettingsJson(product, loadParts(solutionParts(product), REPO_ROOT)));
    },
    BUILD_TIMEOUT,
  );

  test("it has the two lists of the settings format and nothing else", () => {
    const s = committed();
    expect(Object.keys(s)).toEqual(["EnvironmentVariables", "ConnectionReferences"]);
    for (const v of s.EnvironmentVariables) expect(Object.keys(v)).toEqual(["SchemaName", "Value"]);
    for (const c of s.ConnectionReferences) expect(Object.keys(c)).toEqual(["LogicalName", "ConnectionId", "ConnectorId"]);
  });

  test(
    "every environment variable of the zip, with its default as the value (an empty value fails the import)",
    async () => {
      const inZip = await zipEnvironmentVariables(await builtZip());
      expect(inZip.length).toBeGreaterThan(0);
      const key = byName((v: { SchemaName: string }) => v.SchemaName);
      expect([...committed().EnvironmentVariables].sort(key)).toEqual([...inZip].sort(key));
      for (const v of committed().EnvironmentVariables) expect(v.Value).not.toBe("");
    },
    BUILD_TIMEOUT,
  );

  test(
    "every connection reference of the zip, with the zip's connector id and no connection yet",
    async () => {
      const customizations = await zipXml(await builtZip(), "customizations.xml");
      const inZip = kids(kid(customizations, "connectionreferences"), "connectionreference").map((r) => ({
        LogicalName: r.attrs.connectionreferencelogicalname ?? "",
        ConnectionId: "",
        ConnectorId: textOf(r, "connectorid") ?? "",
      }));
      expect(inZip.map((r) => r.LogicalName)).toEqual(expect.arrayContaining(["clvr_Dataverse", "clvr_CleverReach"]));
      const key = byName((c: { LogicalName: string }) => c.LogicalName);
      expect([...committed().ConnectionReferences].sort(key)).toEqual([...inZip].sort(key));
    },
    BUILD_TIMEOUT,
  );

  test("every connection reference a flow uses is in the settings", () => {
    const settings = new Set(committed().ConnectionReferences.map((c) => c.LogicalName));
    const used = buildFlows().flatMap((f) =>
      Object.values(f.clientData.properties.connectionReferences).map((c) => c.connection.connectionReferenceLogicalName),
    );
    expect([...new Set(used)].filter((n) => !settings.has(n))).toEqual([]);
  });
});
