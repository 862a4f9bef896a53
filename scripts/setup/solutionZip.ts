import JSZip from "jszip";
import type { EnvironmentVariable } from "../../solution/src/model/types";
import { kid, kids, parseXml, textOf } from "../../solution/src/verify/parseXml";
import { ENVIRONMENT_VARIABLE_TYPE_CODE } from "../../solution/src/xml/environmentVariableXml";
import { SetupError } from "./errors";

export interface ZipFlow {
  /** workflowid, lower-case without braces. */
  id: string;
  name: string;
  /** Connection references the flow's definition names (properties.connectionReferences). */
  connectionReferences: string[];
  /** Child flows it calls (a Workflow action's host.workflowReferenceName). */
  children: string[];
}

/** What setup needs from the zip it imports: everything else it learns from the environment. */
export interface SolutionZip {
  bytes: Buffer;
  uniqueName: string;
  displayName: string;
  version: string;
  managed: boolean;
  environmentVariables: Array<{ schemaName: string; type: EnvironmentVariable["type"]; defaultValue: string }>;
  connectionReferences: Array<{ logicalName: string; displayName: string; connectorId: string }>;
  flows: ZipFlow[];
  /** Code components: name (`<prefix>_<namespace>.<constructor>`) and the manifest's bound property. */
  /** `boundProperty`: the manifest's first bound property (the checklist); `otherBound`: the rest, in order. */
  customControls: Array<{ name: string; boundProperty: string; otherBound: string[] }>;
}

const unbrace = (id: string): string => id.replace(/[{}]/g, "").toLowerCase();

interface FlowDefinition {
  properties?: { connectionReferences?: Record<string, { connection?: { connectionReferenceLogicalName?: string } }> };
}

/** Reads the built zip (dist/…zip); a zip that is not a solution export stops setup before it signs in. */
export async function readSolutionZip(bytes: Buffer, path: string): Promise<SolutionZip> {
  const component = `solution zip ${path}`;
  const fail = (problem: string): never => {
    throw new SetupError("settings", component, problem, "run npm run build and pass one of the zips in dist/ (or leave --zip out)");
  };
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (e) {
    return fail(`it is not a readable zip (${(e as Error).message})`);
  }
  const text = async (name: string): Promise<string> => (await zip.file(name)?.async("string")) ?? fail(`it has no ${name}`);
  const manifest = kid(parseXml(await text("solution.xml")), "SolutionManifest");
  const customizations = parseXml(await text("customizations.xml"));
  const typeByCode = new Map(Object.entries(ENVIRONMENT_VARIABLE_TYPE_CODE).map(([type, code]) => [code, type as EnvironmentVariable["type"]]));
  const environmentVariables: SolutionZip["environmentVariables"] = [];
  for (const name of Object.keys(zip.files)
    .filter((n) => /^environmentvariabledefinitions\/[^/]+\/environmentvariabledefinition\.xml$/.test(n))
    .sort()) {
    // The default is kept as written: "CRM - " ends in a space that belongs to it.
    const def = parseXml(await text(name), true);
    const type = typeByCode.get(Number(textOf(def, "type")));
    if (!type) fail(`${name} has a type setup does not set values for (${textOf(def, "type")})`);
    environmentVariables.push({
      schemaName: def.attrs.schemaname ?? "",
      type: type as EnvironmentVariable["type"],
      defaultValue: textOf(def, "defaultvalue") ?? "",
    });
  }
  const flows: ZipFlow[] = [];
  for (const w of kids(kid(customizations, "Workflows"), "Workflow")) {
    if (textOf(w, "Category") !== "5") continue;
    const json = await text((textOf(w, "JsonFileName") ?? "").replace(/^\//, ""));
    const definition = JSON.parse(json) as FlowDefinition;
    flows.push({
      id: unbrace(w.attrs.WorkflowId ?? ""),
      name: w.attrs.Name ?? "",
      connectionReferences: [
        ...new Set(Object.values(definition.properties?.connectionReferences ?? {}).map((r) => r.connection?.connectionReferenceLogicalName ?? "")),
      ].filter((n) => n !== ""),
      children: [...new Set([...json.matchAll(/"workflowReferenceName"\s*:\s*"([^"]+)"/g)].map((m) => unbrace(m[1] ?? "")))],
    });
  }
  return {
    bytes,
    uniqueName: textOf(manifest, "UniqueName") ?? fail("solution.xml has no UniqueName"),
    displayName: kid(kid(manifest, "LocalizedNames"), "LocalizedName")?.attrs.description ?? "",
    version: textOf(manifest, "Version") ?? fail("solution.xml has no Version"),
    managed: textOf(manifest, "Managed") === "1",
    environmentVariables,
    connectionReferences: kids(kid(customizations, "connectionreferences"), "connectionreference").map((c) => ({
      logicalName: c.attrs.connectionreferencelogicalname ?? "",
      displayName: textOf(c, "connectionreferencedisplayname") ?? "",
      connectorId: textOf(c, "connectorid") ?? "",
    })),
    flows,
    customControls: await Promise.all(
      kids(kid(customizations, "CustomControls"), "CustomControl").map(async (c) => {
        const manifest = parseXml(await text((textOf(c, "FileName") ?? "").replace(/^\//, "")));
        const [bound, ...others] = kids(kid(manifest, "control"), "property").filter((p) => p.attrs.usage === "bound");
        return {
          name: textOf(c, "Name") ?? "",
          boundProperty: bound?.attrs.name ?? fail(`the control ${textOf(c, "Name")} has no bound property in its manifest`),
          otherBound: others.map((o) => o.attrs.name ?? ""),
        };
      }),
    ),
  };
}

/**
 * The order to turn flows on: every child before the flows that call it (a parent cannot be turned
 * on while a child has never been on: ChildFlowNeverPublished, coe-starter-kit issues 1567, 3168),
 * otherwise in the zip's order.
 */
export function activationOrder(flows: ZipFlow[]): ZipFlow[] {
  const byId = new Map(flows.map((f) => [f.id, f]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: ZipFlow[] = [];
  const visit = (f: ZipFlow, path: string[]): void => {
    if (done.has(f.id)) return;
    if (visiting.has(f.id)) {
      throw new SetupError(
        "flows",
        `flow "${f.name}"`,
        `it calls itself through ${path.join(" → ")}`,
        "a flow cycle cannot be turned on in any order; fix the flow builders and rebuild",
      );
    }
    visiting.add(f.id);
    for (const c of f.children) {
      const child = byId.get(c);
      if (!child)
        throw new SetupError("flows", `flow "${f.name}"`, `it calls the child flow ${c}, which is not in the zip`, "rebuild the zip with npm run build");
      visit(child, [...path, child.name]);
    }
    visiting.delete(f.id);
    done.add(f.id);
    order.push(f);
  };
  for (const f of flows) visit(f, [f.name]);
  return order;
}
