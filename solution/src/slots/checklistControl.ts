import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import type { SolutionModel } from "../model/types";
import { PartError, type PartContribution, type SolutionPart, type ZipFile } from "../parts";
import { el, tx } from "../xml";

const NAME = "newsletter checklist control (PCF)";

/** Files a built PCF manifest lists under `<resources>`, which must sit beside it in the zip. */
function manifestResources(manifest: Record<string, unknown>): string[] {
  const resources = (manifest.control as Record<string, unknown> | undefined)?.resources as Record<string, unknown> | undefined;
  if (!resources) return [];
  const paths: string[] = [];
  for (const kind of ["code", "css", "resx", "img", "html"]) {
    const entries = resources[kind];
    for (const r of Array.isArray(entries) ? entries : entries ? [entries] : []) {
      const path = (r as Record<string, unknown>)["@_path"];
      if (typeof path === "string") paths.push(path);
    }
  }
  return paths;
}

/**
 * The PCF control built by pcf-scripts (pcf-checklist/out/controls/<Constructor>/) as a
 * CustomControl component named `<prefix>_<namespace>.<constructor>` (solution-format.md §3.6).
 */
export function checklistControlPart(model: SolutionModel): SolutionPart {
  return {
    name: NAME,
    source: "pcf-checklist/ (npm run build:pcf)",
    required: false,
    load(root: string): PartContribution | undefined {
      const outDir = join(root, "pcf-checklist", "out", "controls");
      if (!existsSync(outDir)) return undefined;
      const controls = readdirSync(outDir).filter((d) => existsSync(join(outDir, d, "ControlManifest.xml")));
      if (controls.length !== 1) throw new PartError(NAME, `expected one built control in ${outDir}, found ${controls.length}`);
      const dir = join(outDir, controls[0] as string);
      const manifestText = readFileSync(join(dir, "ControlManifest.xml"), "utf8");
      const manifest = new XMLParser({ ignoreAttributes: false }).parse(manifestText) as Record<string, unknown>;
      const manifestRoot = manifest.manifest as Record<string, unknown> | undefined;
      const control = manifestRoot?.control as Record<string, unknown> | undefined;
      const namespace = control?.["@_namespace"];
      const ctor = control?.["@_constructor"];
      if (typeof namespace !== "string" || typeof ctor !== "string") {
        throw new PartError(NAME, `${dir}/ControlManifest.xml has no control namespace/constructor`);
      }
      const name = `${model.publisher.prefix}_${namespace}.${ctor}`;
      const files: ZipFile[] = [{ path: `Controls/${name}/ControlManifest.xml`, content: manifestText }];
      for (const resource of manifestResources(manifestRoot ?? {})) {
        const source = join(dir, resource);
        if (!existsSync(source)) throw new PartError(NAME, `the manifest lists ${resource}, which the build did not write (${source})`);
        files.push({ path: `Controls/${name}/${resource}`, content: readFileSync(source) });
      }
      return {
        files,
        rootComponents: [{ type: 66, schemaName: name, behavior: 0 }],
        customControls: [el("CustomControl", undefined, tx("Name", name), tx("FileName", `/Controls/${name}/ControlManifest.xml`))],
      };
    },
  };
}
