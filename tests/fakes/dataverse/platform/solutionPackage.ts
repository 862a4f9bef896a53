import JSZip from "jszip";
import { kid, kids, parseXml, textOf } from "../../../../solution/src/verify/parseXml";

/** What the fake's importer takes from a solution zip (the export layout, solution-format.md §1). */
export interface ImportedPackage {
  uniqueName: string;
  friendlyName: string;
  version: string;
  managed: boolean;
  environmentVariables: Array<{ schemaName: string; displayName: string; defaultValue: string; type: number }>;
  connectionReferences: Array<{ logicalName: string; displayName: string; connectorId: string }>;
  workflows: Array<{ id: string; name: string; category: number; stateCode: number; statusCode: number; clientData: string }>;
  customControls: string[];
  /** Names of the security roles and field security profiles the zip carries (inline in customizations.xml). */
  roles: string[];
  fieldSecurityProfiles: string[];
  /** Table logical name → columns the zip adds to it. */
  columns: Map<string, string[]>;
}

const unbrace = (id: string): string => id.replace(/[{}]/g, "").toLowerCase();

/** Reads the zip as the importer would; throws an Error with the importer-style reason when it cannot. */
export async function readPackage(zipBytes: Buffer): Promise<ImportedPackage> {
  const zip = await JSZip.loadAsync(zipBytes);
  const text = async (path: string): Promise<string> => {
    const f = zip.file(path);
    if (!f)
      throw new Error(
        `The solution file is invalid. The compressed file must contain the following files at its root: solution.xml, customizations.xml, and [Content_Types].xml.`,
      );
    return f.async("string");
  };
  const manifest = kid(parseXml(await text("solution.xml")), "SolutionManifest");
  const customizations = parseXml(await text("customizations.xml"));
  const environmentVariables: ImportedPackage["environmentVariables"] = [];
  for (const name of Object.keys(zip.files).filter((n) => /^environmentvariabledefinitions\/[^/]+\/environmentvariabledefinition\.xml$/.test(n))) {
    // The default is kept as written: "CRM - " ends in a space that belongs to it.
    const def = parseXml(await text(name), true);
    environmentVariables.push({
      schemaName: def.attrs.schemaname ?? "",
      displayName: kid(def, "displayname")?.attrs.default ?? "",
      defaultValue: textOf(def, "defaultvalue") ?? "",
      type: Number(textOf(def, "type")),
    });
  }
  const workflows: ImportedPackage["workflows"] = [];
  for (const w of kids(kid(customizations, "Workflows"), "Workflow")) {
    workflows.push({
      id: unbrace(w.attrs.WorkflowId ?? ""),
      name: w.attrs.Name ?? "",
      category: Number(textOf(w, "Category")),
      stateCode: Number(textOf(w, "StateCode")),
      statusCode: Number(textOf(w, "StatusCode")),
      clientData: await text((textOf(w, "JsonFileName") ?? "").replace(/^\//, "")),
    });
  }
  const columns = new Map<string, string[]>();
  for (const e of kids(kid(customizations, "Entities"), "Entity")) {
    const entity = kid(kid(e, "EntityInfo"), "entity");
    const table = (entity?.attrs.Name ?? "").toLowerCase();
    columns.set(
      table,
      kids(kid(entity, "attributes"), "attribute").map((a) => textOf(a, "LogicalName") ?? ""),
    );
  }
  return {
    uniqueName: textOf(manifest, "UniqueName") ?? "",
    friendlyName: kid(kid(manifest, "LocalizedNames"), "LocalizedName")?.attrs.description ?? "",
    version: textOf(manifest, "Version") ?? "",
    managed: textOf(manifest, "Managed") === "1",
    environmentVariables,
    connectionReferences: kids(kid(customizations, "connectionreferences"), "connectionreference").map((c) => ({
      logicalName: c.attrs.connectionreferencelogicalname ?? "",
      displayName: textOf(c, "connectionreferencedisplayname") ?? "",
      connectorId: textOf(c, "connectorid") ?? "",
    })),
    workflows,
    customControls: kids(kid(customizations, "CustomControls"), "CustomControl").map((c) => textOf(c, "Name") ?? ""),
    roles: kids(kid(customizations, "Roles"), "Role").map((r) => r.attrs.name ?? ""),
    fieldSecurityProfiles: kids(kid(customizations, "FieldSecurityProfiles"), "FieldSecurityProfile").map((f) => f.attrs.name ?? ""),
    columns,
  };
}
