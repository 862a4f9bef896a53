import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { product } from "../../solution/src/model/product";
import { kid, kids, textOf } from "../../solution/src/verify/parseXml";
import { verifySolutionZip } from "../../solution/src/verify/verifyZip";
import { zipEntries } from "../../solution/src/verify/zipEntries";
import { builtZip, REPO_ROOT, zipText, zipXml } from "../solution/helpers";

const BUILT = join(REPO_ROOT, "pcf-checklist", "out", "controls", "NewsletterChecklist");
const NAME = "clvr_CleverReach.NewsletterChecklist";
const FOLDER = `Controls/${NAME}`;

describe("the newsletter checklist control in the solution zip", () => {
  beforeAll(() => {
    // npm test builds the control first (the pcf-checklist workspace's test script); say so if not.
    if (!existsSync(join(BUILT, "ControlManifest.xml"))) throw new Error(`${BUILT} is missing: run "npm run build:pcf" (npm test does)`);
  });

  test("the zip holds the built manifest, bundle and both resx files", async () => {
    const names = zipEntries(await builtZip()).map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        `${FOLDER}/ControlManifest.xml`,
        `${FOLDER}/bundle.js`,
        `${FOLDER}/strings/NewsletterChecklist.1033.resx`,
        `${FOLDER}/strings/NewsletterChecklist.1031.resx`,
      ]),
    );
    expect(names.filter((n) => n.startsWith("Controls/"))).toHaveLength(4);
  });

  test("the manifest is the one pcf-scripts built, unchanged", async () => {
    const zip = await builtZip();
    const manifest = await zipText(zip, `${FOLDER}/ControlManifest.xml`);
    expect(manifest).toBe(readFileSync(join(BUILT, "ControlManifest.xml"), "utf8"));
    expect(manifest).toMatch(/<built-by name="pac" version="[\d.]+"\/>/);
    expect(manifest).toContain('<code path="bundle.js" order="1"/>');
    const control = kid(await zipXml(zip, `${FOLDER}/ControlManifest.xml`), "control");
    expect(control?.attrs).toMatchObject({ namespace: "CleverReach", constructor: "NewsletterChecklist", "control-type": "virtual" });
    expect(kids(control, "property").map((p) => p.attrs)).toContainEqual(expect.objectContaining({ name: "value", "of-type": "Multiple", usage: "bound" }));
    expect(await zipText(zip, `${FOLDER}/bundle.js`)).toContain("registerControl('CleverReach.NewsletterChecklist'");
  });

  test("it is a CustomControl and a root component, and the zip verifies", async () => {
    const zip = await builtZip();
    const controls = kids(kid(await zipXml(zip, "customizations.xml"), "CustomControls"), "CustomControl");
    expect(controls.map((c) => [textOf(c, "Name"), textOf(c, "FileName")])).toEqual([[NAME, `/${FOLDER}/ControlManifest.xml`]]);
    const roots = kids(kid(kid(await zipXml(zip, "solution.xml"), "SolutionManifest"), "RootComponents"), "RootComponent").map((r) => r.attrs);
    expect(roots).toContainEqual({ type: "66", schemaName: NAME, behavior: "0" });
    expect(await verifySolutionZip(zip)).toEqual([]);
    expect(product.publisher.prefix).toBe("clvr");
  }, 15_000);
});
