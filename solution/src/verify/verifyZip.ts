import JSZip from "jszip";
import { extensionOf } from "../contentTypes";
import { MANAGED_SUFFIX } from "../pack";
import { MAX_ENVVAR_NAME, MAX_RELATIONSHIP_NAME, MAX_TABLE_OR_COLUMN_NAME, prefixProblem, schemaNameProblem } from "../naming";
import { defaultValueProblems } from "../validateModel";
import { ENVIRONMENT_VARIABLE_TYPE_CODE } from "../xml/environmentVariableXml";
import { kid, kids, parseXml, textOf, walk, xmlProblem, type ParsedNode } from "./parseXml";
import { securityProblems } from "./security";
import { XsdSet, xsdProblems } from "./xsd";
import { zipEntries } from "./zipEntries";

/**
 * Opens a built solution zip and checks it the way an importer would. Every problem names the
 * file and the component; an empty list means the zip passed.
 */

/** The first three entries of every CrmLive export, in this order. */
export const LEADING_ENTRIES = ["customizations.xml", "[Content_Types].xml", "solution.xml"];

/** Top-level nodes of customizations.xml in export order (solution-format.md §3.0). */
export const CUSTOMIZATIONS_ORDER = [
  "Entities",
  "Roles",
  "Workflows",
  "FieldSecurityProfiles",
  "Templates",
  "EntityMaps",
  "EntityRelationships",
  "OrganizationSettings",
  "optionsets",
  "CustomControls",
  "AppModuleSiteMaps",
  "AppModules",
  "EntityDataProviders",
  "CanvasApps",
  "Connectors",
  "connectionreferences",
  "Languages",
];

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/"client_?secret"\s*:\s*"[^"]+"/i, "a client secret value"],
  [/<client_?secret>[^<]+</i, "a client secret value"],
  [/\bBearer\s+[A-Za-z0-9\-_]{20,}/, "a bearer token"],
  [/"(access|refresh)_?token"\s*:\s*"[^"]+"/i, "an OAuth token"],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./, "a JSON web token"],
  [/"password"\s*:\s*"[^"]+"/i, "a password"],
];

const GUID = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;
const normGuid = (g: string): string => g.replace(/[{}]/g, "").toLowerCase();

/**
 * `fileName` (the zip's own name, when known) is held to the package type solution.xml declares:
 * make.powerapps.com names a managed export `…_managed.zip`, and a maker picks the zip by that name.
 */
export async function verifySolutionZip(zipBuffer: Buffer, fileName?: string): Promise<string[]> {
  const problems: string[] = [];
  let entries;
  try {
    entries = zipEntries(zipBuffer);
  } catch (e) {
    return [`the file is not a readable zip: ${(e as Error).message}`];
  }
  const names = entries.map((e) => e.name);

  // Layout.
  LEADING_ENTRIES.forEach((expected, i) => {
    if (names[i] !== expected) problems.push(`zip entry ${i + 1} is "${names[i] ?? "(none)"}", an export has "${expected}" there`);
  });
  for (const e of entries) {
    if (e.isDirectory) problems.push(`zip has a directory entry "${e.name}"; exports have none`);
    if (e.name.includes("\\")) problems.push(`zip entry "${e.name}" uses a backslash`);
    if (!e.isDirectory && e.method !== 8) problems.push(`zip entry "${e.name}" is not deflated (method ${e.method})`);
  }
  const dupes = names.filter((n, i) => names.indexOf(n) !== i);
  for (const d of new Set(dupes)) problems.push(`zip has the entry "${d}" more than once`);

  const zip = await JSZip.loadAsync(zipBuffer);
  const text = new Map<string, string>();
  for (const name of names.filter((n) => !n.endsWith("/"))) {
    const ext = extensionOf(name)?.toLowerCase();
    if (ext === "xml" || ext === "json" || ext === "js" || ext === "css" || ext === "resx" || ext === "html") {
      text.set(name, (await zip.file(name)?.async("string")) ?? "");
    }
  }

  // Well-formedness and secrets.
  for (const [name, content] of text) {
    const ext = extensionOf(name)?.toLowerCase();
    if (ext === "xml" || ext === "resx") {
      const p = xmlProblem(content);
      if (p) problems.push(`${name} is not well-formed XML: ${p}`);
    }
    if (ext === "json") {
      try {
        JSON.parse(content.replace(/^\uFEFF/, ""));
      } catch (e) {
        problems.push(`${name} is not valid JSON: ${(e as Error).message}`);
      }
    }
    for (const [re, what] of SECRET_PATTERNS) if (re.test(content)) problems.push(`${name} contains what looks like ${what}`);
  }
  if (problems.some((p) => p.includes("well-formed"))) return problems;

  const customizationsText = text.get("customizations.xml");
  const solutionText = text.get("solution.xml");
  const contentTypesText = text.get("[Content_Types].xml");
  if (customizationsText === undefined || solutionText === undefined || contentTypesText === undefined) {
    return [...problems, "the zip lacks customizations.xml, solution.xml or [Content_Types].xml"];
  }

  // Exported text style.
  for (const [name, t] of [
    ["solution.xml", solutionText],
    ["customizations.xml", customizationsText],
  ] as const) {
    if (!t.startsWith("<ImportExportXml")) problems.push(`${name} must begin directly with <ImportExportXml (no BOM, no declaration), as exports do`);
    if (/[^\r]\n/.test(t)) problems.push(`${name} has LF line endings; exports use CRLF`);
  }
  if (!contentTypesText.startsWith("\uFEFF<?xml")) problems.push("[Content_Types].xml must start with a UTF-8 BOM and an XML declaration");
  problems.push(...contentTypeProblems(parseXml(contentTypesText), names));

  const solution = parseXml(solutionText);
  const customizations = parseXml(customizationsText);
  const manifest = kid(solution, "SolutionManifest");
  const prefix = textOf(kid(manifest, "Publisher"), "CustomizationPrefix") ?? "";
  const prefixIssue = prefixProblem(prefix);
  if (prefixIssue) problems.push(`solution.xml: ${prefixIssue}`);
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(textOf(manifest, "Version") ?? "")) problems.push("solution.xml: Version must have four numeric parts");
  problems.push(...packageTypeProblems(textOf(manifest, "Managed"), fileName));

  // Top-level order of customizations.xml.
  let last = -1;
  for (const c of customizations.children ?? []) {
    const i = CUSTOMIZATIONS_ORDER.indexOf(c.name);
    if (i < 0) problems.push(`customizations.xml: unexpected top-level node <${c.name}>`);
    else if (i < last) problems.push(`customizations.xml: <${c.name}> is out of export order`);
    else last = i;
  }

  // References: files named in customizations.xml, and every entry accounted for.
  const referenced = new Set<string>(LEADING_ENTRIES);
  const requireFile = (path: string, from: string): void => {
    const p = path.replace(/^\//, "");
    referenced.add(p);
    if (!names.includes(p)) problems.push(`${from} refers to ${path}, which is not in the zip`);
  };
  for (const w of kids(kid(customizations, "Workflows"), "Workflow")) {
    const file = textOf(w, "JsonFileName");
    if (file) requireFile(file, `workflow "${w.attrs?.Name}"`);
    else problems.push(`workflow "${w.attrs?.Name}" has no JsonFileName`);
    // Real exports: a cloud flow is a draft (0/1) or on (1/2), and RunAs is 1 in every one of them
    // (solution/FORMAT-NOTES.md, "Cloud flow definitions").
    if (textOf(w, "Category") === "5") {
      const state = `${textOf(w, "StateCode")}/${textOf(w, "StatusCode")}`;
      if (state !== "0/1" && state !== "1/2") problems.push(`workflow "${w.attrs?.Name}": StateCode/StatusCode ${state} is neither a draft (0/1) nor on (1/2)`);
      if (textOf(w, "RunAs") !== "1") problems.push(`workflow "${w.attrs?.Name}": RunAs ${textOf(w, "RunAs")}, real exports of cloud flows carry 1`);
    }
  }
  for (const c of kids(kid(customizations, "Connectors"), "Connector")) {
    for (const f of ["openapidefinition", "connectionparameters", "policytemplateinstances", "iconblob"]) {
      const file = textOf(c, f);
      if (file) requireFile(file, `connector ${textOf(c, "name")} (${f})`);
      else problems.push(`connector ${textOf(c, "name")} has no ${f}`);
    }
  }
  for (const c of kids(kid(customizations, "CustomControls"), "CustomControl")) {
    const file = textOf(c, "FileName");
    if (!file) {
      problems.push(`custom control ${textOf(c, "Name")} has no FileName`);
      continue;
    }
    requireFile(file, `custom control ${textOf(c, "Name")}`);
    const manifestXml = text.get(file.replace(/^\//, ""));
    if (manifestXml) {
      const folder = file.replace(/^\//, "").replace(/[^/]+$/, "");
      const resources = kid(kid(parseXml(manifestXml), "control"), "resources");
      for (const r of resources?.children ?? []) if (r.attrs?.path) requireFile(folder + r.attrs.path, `control manifest ${file}`);
    }
  }
  const envVarFolders = new Map<string, string>();
  for (const n of names) {
    const m = /^environmentvariabledefinitions\/([^/]+)\/(environmentvariabledefinition\.xml|environmentvariablevalues\.json)$/.exec(n);
    if (m && m[1]) {
      referenced.add(n);
      if (m[2] === "environmentvariabledefinition.xml") envVarFolders.set(m[1], n);
    }
  }
  for (const n of names) if (!referenced.has(n)) problems.push(`zip entry ${n} is not referenced by customizations.xml or solution.xml`);

  // Root components resolve.
  const entities = new Map<string, ParsedNode>();
  for (const e of kids(kid(customizations, "Entities"), "Entity")) {
    const name = e.children?.find((c) => c.name === "Name")?.text ?? "";
    entities.set(name.toLowerCase(), e);
  }
  const workflowIds = new Set(kids(kid(customizations, "Workflows"), "Workflow").map((w) => normGuid(w.attrs?.WorkflowId ?? "")));
  const connectors = kids(kid(customizations, "Connectors"), "Connector");
  const controls = new Set(kids(kid(customizations, "CustomControls"), "CustomControl").map((c) => textOf(c, "Name")));
  const roleIds = new Set(kids(kid(customizations, "Roles"), "Role").map((r) => normGuid(r.attrs.id ?? "")));
  const profileIds = new Set(
    kids(kid(customizations, "FieldSecurityProfiles"), "FieldSecurityProfile").map((p) => normGuid(p.attrs.fieldsecurityprofileid ?? "")),
  );
  const rootKeys = new Set<string>();
  for (const r of kids(kid(manifest, "RootComponents"), "RootComponent")) {
    const { type, schemaName, id, behavior } = r.attrs;
    const key = `${type}:${schemaName ?? ""}:${normGuid(id ?? "")}`;
    if (rootKeys.has(key)) problems.push(`solution.xml lists root component type ${type} ${schemaName ?? id} twice`);
    rootKeys.add(key);
    const what = `root component type ${type} ${schemaName ?? id}`;
    if (!["0", "1", "2"].includes(behavior ?? "")) problems.push(`${what} has behavior ${behavior}; it must be 0, 1 or 2`);
    switch (type) {
      case "1": {
        const entity = entities.get((schemaName ?? "").toLowerCase());
        if (!entity) problems.push(`${what}: no <Entity> of that name in customizations.xml`);
        const custom = (schemaName ?? "").toLowerCase().startsWith(`${prefix}_`);
        if (custom && behavior !== "0") problems.push(`${what}: a table the solution creates must have behavior 0`);
        if (!custom && behavior === "0") problems.push(`${what}: a system table the solution only extends must not have behavior 0 (use 2, shell)`);
        break;
      }
      case "20":
        if (!roleIds.has(normGuid(id ?? ""))) problems.push(`${what}: no <Role> with that id`);
        break;
      case "29":
        if (!workflowIds.has(normGuid(id ?? ""))) problems.push(`${what}: no <Workflow> with that WorkflowId`);
        break;
      case "66":
        if (!controls.has(schemaName)) problems.push(`${what}: no <CustomControl> of that name`);
        break;
      case "70":
        if (!profileIds.has(normGuid(id ?? ""))) problems.push(`${what}: no <FieldSecurityProfile> with that fieldsecurityprofileid`);
        break;
      case "372":
        if (!connectors.some((c) => normGuid(textOf(c, "connectorid") ?? "") === normGuid(id ?? "") && textOf(c, "name") === schemaName)) {
          problems.push(`${what}: no <Connector> with that connectorid and name`);
        }
        break;
      case "380":
        if (!envVarFolders.has(schemaName ?? "")) problems.push(`${what}: no environmentvariabledefinitions/${schemaName}/environmentvariabledefinition.xml`);
        break;
      default:
        problems.push(`${what}: type is not one this product ships`);
    }
  }
  for (const e of entities.keys()) {
    if (![...rootKeys].some((k) => k.startsWith(`1:${e}:`))) problems.push(`entity ${e} is in customizations.xml but not a root component`);
  }
  for (const v of envVarFolders.keys()) {
    if (!rootKeys.has(`380:${v}:`)) problems.push(`environment variable ${v} is in the zip but not a root component`);
  }
  // The importer adds a role or a profile to the solution only through its root component.
  for (const r of roleIds) if (!rootKeys.has(`20::${r}`)) problems.push(`role {${r}} is in customizations.xml but not a root component (type 20)`);
  for (const p of profileIds)
    if (!rootKeys.has(`70::${p}`)) problems.push(`field security profile {${p}} is in customizations.xml but not a root component (type 70)`);

  // Names, env var definitions, ids.
  problems.push(...nameProblems(customizations, prefix));
  for (const [schema, path] of envVarFolders) problems.push(...envVarProblems(schema, path, text.get(path) ?? "", prefix));
  problems.push(...duplicateIdProblems(solution, customizations));
  problems.push(...securityProblems(customizations));
  for (const ref of kids(kid(customizations, "connectionreferences"), "connectionreference")) {
    const logical = ref.attrs?.connectionreferencelogicalname ?? "";
    const p = schemaNameProblem(logical, prefix, MAX_ENVVAR_NAME);
    if (p) problems.push(`connection reference: ${p}`);
    const connectorId = textOf(ref, "connectorid") ?? "";
    if (!/^\/providers\/Microsoft\.PowerApps\/apis\/shared_[a-z0-9-]+$/.test(connectorId)) {
      problems.push(`connection reference ${logical}: connectorid "${connectorId}" is not /providers/Microsoft.PowerApps/apis/shared_…`);
    }
    const custom = kid(kid(ref, "customconnectorid"), "connectorid")?.text;
    if (custom && !connectors.some((c) => normGuid(textOf(c, "connectorid") ?? "") === normGuid(custom))) {
      problems.push(`connection reference ${logical} points at custom connector ${custom}, which is not in the solution`);
    }
  }

  // Structural check against the CRM SDK XSD, from its committed reading (crm-sdk-schema.json).
  problems.push(...xsdProblems(XsdSet.committed(), customizations, "customizations.xml"));
  return problems;
}

/**
 * `<Managed>` is 0 (unmanaged) or 1 (managed) in an export; 2 ("both") exists only in the unpacked
 * sources of SolutionPackager (solution-format.md §2), never in a zip an importer reads.
 */
function packageTypeProblems(managed: string | undefined, fileName: string | undefined): string[] {
  if (managed !== "0" && managed !== "1") return [`solution.xml: <Managed> is "${managed ?? "(missing)"}"; an export has 0 (unmanaged) or 1 (managed)`];
  if (fileName === undefined) return [];
  const named = fileName.toLowerCase().endsWith(`${MANAGED_SUFFIX}.zip`);
  if (named && managed === "0") return [`${fileName} is named as a managed export, but solution.xml says <Managed>0</Managed> (unmanaged)`];
  if (!named && managed === "1")
    return [`${fileName} holds a managed solution (<Managed>1</Managed>) but lacks the "${MANAGED_SUFFIX}.zip" ending a managed export has`];
  return [];
}

function contentTypeProblems(types: ParsedNode, names: string[]): string[] {
  const problems: string[] = [];
  const defaults = kids(types, "Default").map((d) => d.attrs?.Extension ?? "");
  const overrides = kids(types, "Override").map((o) => (o.attrs?.PartName ?? "").replace(/^\//, ""));
  const present = new Set(names.map(extensionOf).filter((e): e is string => e !== undefined));
  for (const e of present) if (!defaults.includes(e)) problems.push(`[Content_Types].xml has no Default for extension "${e}"`);
  for (const d of defaults) if (!present.has(d)) problems.push(`[Content_Types].xml has a Default for "${d}", which no entry uses`);
  for (const d of new Set(defaults.filter((d, i) => defaults.indexOf(d) !== i))) problems.push(`[Content_Types].xml lists extension "${d}" twice`);
  for (const n of names) if (extensionOf(n) === undefined && !overrides.includes(n)) problems.push(`[Content_Types].xml has no Override for ${n}`);
  return problems;
}

function nameProblems(customizations: ParsedNode, prefix: string): string[] {
  const problems: string[] = [];
  const check = (what: string, name: string, max: number): void => {
    const p = schemaNameProblem(name, prefix, max);
    if (p) problems.push(`${what}: ${p}`);
  };
  for (const e of kids(kid(customizations, "Entities"), "Entity")) {
    const entity = kid(kid(e, "EntityInfo"), "entity");
    const entityName = entity?.attrs?.Name ?? "";
    const custom = entityName.toLowerCase().startsWith(`${prefix}_`);
    if (custom) check("table", entityName, MAX_TABLE_OR_COLUMN_NAME);
    for (const a of kids(kid(entity, "attributes"), "attribute")) {
      const physical = a.attrs?.PhysicalName ?? "";
      if (textOf(a, "IsCustomField") === "1") check(`column on ${entityName}`, physical, MAX_TABLE_OR_COLUMN_NAME);
      if (textOf(a, "LogicalName") !== physical.toLowerCase())
        problems.push(`column ${physical} on ${entityName}: LogicalName must be the lower-cased PhysicalName`);
      const type = textOf(a, "Type");
      if (type === "bit" || type === "picklist") {
        const os = kid(a, "optionset");
        if (!os) problems.push(`column ${physical} on ${entityName}: a ${type} column needs its <optionset>`);
        else if (kids(kid(os, "options"), "option").length < (type === "bit" ? 2 : 1))
          problems.push(`column ${physical} on ${entityName}: option set has too few options`);
      }
      if (type === "ntext" && !kid(a, "MaxLength")) problems.push(`column ${physical} on ${entityName}: a multiline text column needs MaxLength`);
    }
  }
  const attributeNames = new Map<string, Set<string>>();
  for (const e of kids(kid(customizations, "Entities"), "Entity")) {
    const entity = kid(kid(e, "EntityInfo"), "entity");
    attributeNames.set(
      (entity?.attrs?.Name ?? "").toLowerCase(),
      new Set(kids(kid(entity, "attributes"), "attribute").map((a) => (a.attrs?.PhysicalName ?? "").toLowerCase())),
    );
  }
  for (const r of kids(kid(customizations, "EntityRelationships"), "EntityRelationship")) {
    const name = r.attrs?.Name ?? "";
    const referencing = (textOf(r, "ReferencingEntityName") ?? "").toLowerCase();
    const attribute = (textOf(r, "ReferencingAttributeName") ?? "").toLowerCase();
    if (name.toLowerCase().startsWith(`${prefix}_`)) check("relationship", name, MAX_RELATIONSHIP_NAME);
    const attrs = attributeNames.get(referencing);
    if (!attrs) problems.push(`relationship ${name}: referencing table ${referencing} is not in the solution`);
    else if (!attrs.has(attribute)) problems.push(`relationship ${name}: column ${attribute} is not on ${referencing}`);
  }
  for (const e of kids(kid(customizations, "Entities"), "Entity")) {
    const entity = kid(kid(e, "EntityInfo"), "entity");
    for (const a of kids(kid(entity, "attributes"), "attribute")) {
      if (textOf(a, "Type") !== "lookup" || textOf(a, "IsCustomField") !== "1") continue;
      const has = kids(kid(customizations, "EntityRelationships"), "EntityRelationship").some(
        (r) => (textOf(r, "ReferencingAttributeName") ?? "").toLowerCase() === (a.attrs?.PhysicalName ?? "").toLowerCase(),
      );
      if (!has) problems.push(`lookup ${a.attrs?.PhysicalName} on ${entity?.attrs?.Name} has no relationship in <EntityRelationships>`);
    }
  }
  return problems;
}

function envVarProblems(folder: string, path: string, xml: string, prefix: string): string[] {
  const problems: string[] = [];
  const def = parseXml(xml);
  const schema = def.attrs?.schemaname ?? "";
  if (def.name !== "environmentvariabledefinition") problems.push(`${path}: root element must be <environmentvariabledefinition>`);
  if (schema !== folder) problems.push(`${path}: schemaname "${schema}" does not match its folder "${folder}"`);
  const p = schemaNameProblem(schema, prefix, MAX_ENVVAR_NAME);
  if (p) problems.push(`environment variable: ${p}`);
  const typeCode = Number(textOf(def, "type"));
  const type = Object.entries(ENVIRONMENT_VARIABLE_TYPE_CODE).find(([, code]) => code === typeCode)?.[0];
  if (!type && ![100000004, 100000005].includes(typeCode)) problems.push(`${path}: type ${textOf(def, "type")} is not an environment variable type code`);
  const defaultValue = textOf(def, "defaultvalue");
  if (type && defaultValue !== undefined && defaultValue !== "") problems.push(...defaultValueProblems(schema, type, defaultValue).map((m) => `${path}: ${m}`));
  if (!kid(def, "displayname")) problems.push(`${path}: no displayname`);
  return problems;
}

/** Ids that must be unique across the solution: a duplicate makes import overwrite one with the other. */
function duplicateIdProblems(solution: ParsedNode, customizations: ParsedNode): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  const note = (id: string | undefined, where: string): void => {
    if (!id || !GUID.test(id)) return;
    const g = normGuid(id);
    const before = seen.get(g);
    if (before) problems.push(`duplicate GUID ${g}: ${before} and ${where}`);
    else seen.set(g, where);
  };
  for (const { node, path } of walk(customizations)) {
    const where = path.slice(-3).join("/");
    if (["formid", "savedqueryid", "connectorid"].includes(node.name) && path[path.length - 2] !== "customconnectorid") note(node.text, where);
    if (node.name === "Workflow") note(node.attrs?.WorkflowId, `workflow ${node.attrs?.Name}`);
    if (node.name === "Role" && path[path.length - 2] === "Roles") note(node.attrs?.id, `role ${node.attrs?.name}`);
    if (node.name === "FieldSecurityProfile") note(node.attrs?.fieldsecurityprofileid, `field security profile ${node.attrs?.name}`);
    if (["cell", "tab", "section"].includes(node.name)) note(node.attrs?.id, `${where} ${node.attrs?.id}`);
  }
  void solution;
  return problems;
}
