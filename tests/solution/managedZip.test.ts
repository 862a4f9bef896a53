import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import JSZip from "jszip";
import { buildSolutionZip } from "../../scripts/build";
import { product } from "../../solution/src/model/product";
import { loadParts, zipFileName } from "../../solution/src/pack";
import { solutionParts } from "../../solution/src/slots";
import { verifySolutionZip } from "../../solution/src/verify/verifyZip";
import { REPO_ROOT, rewriteZip, zipXml } from "./helpers";
import { kid, textOf } from "../../solution/src/verify/parseXml";

/** Both packages from one build, as `npm run build` writes them. */
async function builtPackages(): Promise<{ unmanaged: { path: string; zip: Buffer }; managed: { path: string; zip: Buffer } }> {
  const out = mkdtempSync(join(tmpdir(), "crc-managed-"));
  const parts = loadParts(solutionParts(product), REPO_ROOT, () => undefined);
  const unmanagedPath = await buildSolutionZip(REPO_ROOT, out, () => undefined, parts, "unmanaged");
  const managedPath = await buildSolutionZip(REPO_ROOT, out, () => undefined, parts, "managed");
  return {
    unmanaged: { path: unmanagedPath, zip: readFileSync(unmanagedPath) },
    managed: { path: managedPath, zip: readFileSync(managedPath) },
  };
}

// Building both packages (PCF bundle, 25 flows, deflate level 9) takes seconds on a busy 2-core machine.
jest.setTimeout(60_000);

const packages = builtPackages();

async function entries(zip: Buffer): Promise<Map<string, Buffer>> {
  const archive = await JSZip.loadAsync(zip);
  const out = new Map<string, Buffer>();
  for (const name of Object.keys(archive.files)) out.set(name, await archive.files[name]!.async("nodebuffer"));
  return out;
}

describe("managed zip", () => {
  test("is named as make.powerapps.com names a managed export", async () => {
    const { unmanaged, managed } = await packages;
    expect(basename(unmanaged.path)).toBe("CleverReachConnector_1_0_0_0.zip");
    expect(basename(managed.path)).toBe("CleverReachConnector_1_0_0_0_managed.zip");
    expect(zipFileName(product, "managed")).toBe(basename(managed.path));
  });

  test("declares itself managed; the unmanaged zip declares itself unmanaged", async () => {
    const { unmanaged, managed } = await packages;
    expect(textOf(kid(await zipXml(managed.zip, "solution.xml"), "SolutionManifest"), "Managed")).toBe("1");
    expect(textOf(kid(await zipXml(unmanaged.zip, "solution.xml"), "SolutionManifest"), "Managed")).toBe("0");
  });

  test("differs from the unmanaged zip only in solution.xml's <Managed>, entry for entry and in the same order", async () => {
    const { unmanaged, managed } = await packages;
    const u = await entries(unmanaged.zip);
    const m = await entries(managed.zip);
    expect([...m.keys()]).toEqual([...u.keys()]);
    for (const [name, content] of u) {
      if (name === "solution.xml") {
        const managedText = m.get(name)!.toString("utf8");
        expect(managedText).not.toBe(content.toString("utf8"));
        expect(managedText.replace("<Managed>1</Managed>", "<Managed>0</Managed>")).toBe(content.toString("utf8"));
      } else {
        expect({ name, same: m.get(name)!.equals(content) }).toEqual({ name, same: true });
      }
    }
  });

  test("passes verify under its own name, as does the unmanaged zip", async () => {
    const { unmanaged, managed } = await packages;
    expect(await verifySolutionZip(managed.zip, basename(managed.path))).toEqual([]);
    expect(await verifySolutionZip(unmanaged.zip, basename(unmanaged.path))).toEqual([]);
  });

  test("verify rejects a name that contradicts the package type", async () => {
    const { unmanaged, managed } = await packages;
    expect(await verifySolutionZip(managed.zip, "CleverReachConnector_1_0_0_0.zip")).toEqual([
      'CleverReachConnector_1_0_0_0.zip holds a managed solution (<Managed>1</Managed>) but lacks the "_managed.zip" ending a managed export has',
    ]);
    expect(await verifySolutionZip(unmanaged.zip, "CleverReachConnector_1_0_0_0_managed.zip")).toEqual([
      "CleverReachConnector_1_0_0_0_managed.zip is named as a managed export, but solution.xml says <Managed>0</Managed> (unmanaged)",
    ]);
  });

  test("verify rejects <Managed>2</Managed>, which only unpacked sources carry", async () => {
    const { managed } = await packages;
    const both = await rewriteZip(managed.zip, (p, c) => (p === "solution.xml" ? c.replace("<Managed>1</Managed>", "<Managed>2</Managed>") : c));
    expect(await verifySolutionZip(both)).toContainEqual('solution.xml: <Managed> is "2"; an export has 0 (unmanaged) or 1 (managed)');
  });
});
