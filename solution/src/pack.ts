import JSZip from "jszip";
import { contentTypesXml } from "./contentTypes";
import { braced } from "./ids";
import type { SolutionModel } from "./model/types";
import type { PartContribution, RootComponent, SolutionPart, ZipFile } from "./parts";
import { PartError } from "./parts";
import { modelProblems } from "./validateModel";
import { toExportXml } from "./xml";
import { customizationsXml } from "./xml/customizationsXml";
import { environmentVariablePath, environmentVariableXml } from "./xml/environmentVariableXml";
import { solutionXml } from "./xml/solutionXml";

/** Component type numbers of solution.xml (solutioncomponent table reference). */
export const COMPONENT_TYPE = {
  entity: 1,
  role: 20,
  workflow: 29,
  customControl: 66,
  fieldSecurityProfile: 70,
  connector: 372,
  environmentVariable: 380,
} as const;

export class SolutionModelError extends Error {
  constructor(problems: string[]) {
    super(`the solution model is not valid:\n  - ${problems.join("\n  - ")}`);
    this.name = "SolutionModelError";
  }
}

/**
 * How an export is packaged: unmanaged for development, managed for test and production
 * (Microsoft's "Managed and unmanaged solutions", power-platform/alm/solution-concepts-alm).
 */
export type PackageType = "unmanaged" | "managed";

export const PACKAGE_TYPES: readonly PackageType[] = ["unmanaged", "managed"];

/** What a managed export adds to the zip name (`…_1_0_0_0_managed.zip`), as make.powerapps.com names it. */
export const MANAGED_SUFFIX = "_managed";

/** `<UniqueName>_<version with underscores>[_managed].zip`, the name Dataverse gives an export. */
export function zipFileName(model: SolutionModel, packageType: PackageType = "unmanaged"): string {
  const suffix = packageType === "managed" ? MANAGED_SUFFIX : "";
  return `${model.solution.uniqueName}_${model.solution.version.replace(/\./g, "_")}${suffix}.zip`;
}

/**
 * Root components in the order exports list them: by type (tables, roles, flows, controls, field
 * security profiles, connectors, env vars), roles by id as in pnp/powerplatform-samples PromptManager.
 */
function rootComponents(model: SolutionModel, parts: PartContribution[]): RootComponent[] {
  const tables: RootComponent[] = [
    ...model.tables.map((t): RootComponent => ({ type: COMPONENT_TYPE.entity, schemaName: t.schemaName.toLowerCase(), behavior: 0 })),
    ...model.extensions.map((x): RootComponent => ({ type: COMPONENT_TYPE.entity, schemaName: x.table.logicalName, behavior: 2 })),
  ].sort((a, b) => (a.schemaName ?? "").localeCompare(b.schemaName ?? ""));
  const fromParts = parts.flatMap((p) => p.rootComponents);
  const envVars = model.environmentVariables.map((v): RootComponent => ({ type: COMPONENT_TYPE.environmentVariable, schemaName: v.schemaName, behavior: 0 }));
  const byId = (a: RootComponent, b: RootComponent): number => (a.id ?? "").localeCompare(b.id ?? "");
  const security: RootComponent[] = [
    ...model.roles.map((r): RootComponent => ({ type: COMPONENT_TYPE.role, id: braced(r.id), behavior: 0 })).sort(byId),
    ...model.fieldSecurityProfiles.map((p): RootComponent => ({ type: COMPONENT_TYPE.fieldSecurityProfile, id: braced(p.id), behavior: 0 })).sort(byId),
  ];
  return [...tables, ...fromParts, ...security, ...envVars].sort((a, b) => a.type - b.type);
}

/** Loads every part; a required part that is missing, or any part that is broken, stops the build. */
export function loadParts(parts: SolutionPart[], repoRoot: string, log: (line: string) => void = () => undefined): PartContribution[] {
  const loaded: PartContribution[] = [];
  for (const part of parts) {
    const contribution = part.load(repoRoot);
    if (contribution) {
      loaded.push(contribution);
      log(`included ${part.name}`);
    } else if (part.required) {
      throw new PartError(part.name, `it has not been built; see ${part.source}`);
    } else {
      log(`left out ${part.name} (not built yet; see ${part.source})`);
    }
  }
  return loaded;
}

/**
 * Every file of the zip, in the entry order of a CrmLive export (solution-format.md §1). The managed
 * package differs from the unmanaged one only in solution.xml (FORMAT-NOTES.md, "Managed zip").
 */
export function solutionFiles(model: SolutionModel, parts: PartContribution[], packageType: PackageType = "unmanaged"): ZipFile[] {
  const problems = modelProblems(model);
  if (problems.length > 0) throw new SolutionModelError(problems);

  const partFiles = parts.flatMap((p) => p.files);
  const envFiles: ZipFile[] = model.environmentVariables.map((v) => ({
    path: environmentVariablePath(v),
    content: toExportXml(environmentVariableXml(v)),
  }));
  const group = (prefix: string): ZipFile[] => partFiles.filter((f) => f.path.startsWith(prefix));
  const known = ["Workflows/", "Connector/", "Controls/"];
  const other = partFiles.filter((f) => !known.some((k) => f.path.startsWith(k)));
  const rest = [...group("Workflows/"), ...envFiles, ...group("Connector/"), ...group("Controls/"), ...other];

  const seen = new Set<string>();
  for (const f of rest) {
    if (seen.has(f.path)) throw new PartError("packer", `two parts write the same zip entry ${f.path}`);
    seen.add(f.path);
  }

  const customizations = toExportXml(customizationsXml(model, parts));
  const solution = toExportXml(solutionXml(model, rootComponents(model, parts), packageType === "managed"));
  const allPaths = ["customizations.xml", "solution.xml", ...rest.map((f) => f.path)];
  return [
    { path: "customizations.xml", content: customizations },
    { path: "[Content_Types].xml", content: contentTypesXml(allPaths) },
    { path: "solution.xml", content: solution },
    ...rest,
  ];
}

// A fixed timestamp keeps the zip byte-identical for identical input (reproducible builds).
const FIXED_DATE = new Date("2026-01-01T00:00:00Z");

/** Writes the files into a zip: deflated entries, forward slashes, no directory entries. */
export async function zipFiles(files: ZipFile[]): Promise<Buffer> {
  const zip = new JSZip();
  for (const f of files) {
    zip.file(f.path, f.content, { createFolders: false, date: FIXED_DATE, compression: "DEFLATE" });
  }
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 9 }, platform: "DOS" });
}

export async function packSolution(model: SolutionModel, parts: PartContribution[], packageType: PackageType = "unmanaged"): Promise<Buffer> {
  return zipFiles(solutionFiles(model, parts, packageType));
}
