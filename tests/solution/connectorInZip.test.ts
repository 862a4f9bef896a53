import { readFileSync } from "node:fs";
import { join } from "node:path";
import JSZip from "jszip";
import { product } from "../../solution/src/model/product";
import { kid, kids, textOf } from "../../solution/src/verify/parseXml";
import { verifySolutionZip } from "../../solution/src/verify/verifyZip";
import { builtZip, REPO_ROOT, zipText, zipXml } from "./helpers";

const NAME = "clvr_5Fcleverreach-20connector";

describe("the built zip carries the CleverReach connector", () => {
  test("Connector/ holds the definition, connection parameters, policies and icon", async () => {
    const zip = await JSZip.loadAsync(await builtZip());
    const entries = Object.keys(zip.files)
      .filter((n) => n.startsWith("Connector/"))
      .sort();
    expect(entries).toEqual(
      [`${NAME}_connectionparameters.json`, `${NAME}_iconblob.Png`, `${NAME}_openapidefinition.json`, `${NAME}_policytemplateinstances.json`].map(
        (f) => `Connector/${f}`,
      ),
    );
    const swagger = JSON.parse(await zipText(await builtZip(), `Connector/${NAME}_openapidefinition.json`)) as { swagger: string; paths: object };
    expect(swagger).toEqual(JSON.parse(readFileSync(join(REPO_ROOT, "connector", "apiDefinition.swagger.json"), "utf8")));
    const params = JSON.parse(await zipText(await builtZip(), `Connector/${NAME}_connectionparameters.json`)) as {
      token: { oAuthSettings: { identityProvider: string } };
    };
    expect(params.token.oAuthSettings.identityProvider).toBe("oauth2");
    const icon = await zip.file(`Connector/${NAME}_iconblob.Png`)?.async("nodebuffer");
    expect(icon?.equals(readFileSync(join(REPO_ROOT, "connector", "icon.png")))).toBe(true);
  });

  test("customizations.xml lists the Connector and the clvr_CleverReach connection reference pointing at it", async () => {
    const c = await zipXml(await builtZip(), "customizations.xml");
    const connector = kids(kid(c, "Connectors"), "Connector");
    expect(connector.map((n) => textOf(n, "name"))).toEqual([NAME]);
    expect(textOf(connector[0], "displayname")).toBe("CleverReach Connector");
    const ref = kids(kid(c, "connectionreferences"), "connectionreference").find((r) => r.attrs.connectionreferencelogicalname === "clvr_CleverReach");
    expect(ref).toBeDefined();
    expect(textOf(kid(ref, "customconnectorid"), "connectorid")).toBe(product.connector.id);
  });

  test("no client secret or token travels in the zip", async () => {
    const zip = await JSZip.loadAsync(await builtZip());
    for (const name of Object.keys(zip.files).filter((n) => n.endsWith(".json") || n.endsWith(".xml"))) {
      const text = (await zip.file(name)?.async("string")) ?? "";
      expect({ name, secret: /clientSecret|client_secret|access_token/i.test(text) }).toEqual({ name, secret: false });
    }
  });

  test("passes verify", async () => {
    expect(await verifySolutionZip(await builtZip())).toEqual([]);
  });
});
