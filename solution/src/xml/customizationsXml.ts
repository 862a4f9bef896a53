import type { ConnectionReference, SolutionModel, TableExtension } from "../model/types";
import type { PartContribution } from "../parts";
import { el, tx, type XNode } from "../xml";
import { LANGUAGES } from "../labels";
import { columnAttribute } from "./attributes";
import { XSI } from "./common";
import { customTableEntity, customTableRelationships } from "./customTable";
import { ribbonDiff } from "./ribbon";
import { fieldSecurityProfileNode, profilesSorted, roleNode, rolesSorted } from "./security";

/** A system table carrying only the product's columns (root behavior 2, "shell"). */
function shellEntity(x: TableExtension, model: SolutionModel): XNode {
  const attrs = [...x.columns]
    .sort((a, b) => a.schemaName.toLowerCase().localeCompare(b.schemaName.toLowerCase()))
    .map((c) => columnAttribute(c, x.table.logicalName, model.publisher));
  return el(
    "Entity",
    undefined,
    tx("Name", x.table.schemaName, { LocalizedName: x.table.displayName.en, OriginalName: "" }),
    el("EntityInfo", undefined, el("entity", { Name: x.table.schemaName }, el("attributes", undefined, attrs))),
    ribbonDiff(),
  );
}

function connectionReference(c: ConnectionReference): XNode {
  return el(
    "connectionreference",
    { connectionreferencelogicalname: c.logicalName },
    tx("connectionreferencedisplayname", c.displayName.en),
    tx("connectorid", c.connectorId),
    c.customConnectorId !== undefined && el("customconnectorid", undefined, tx("connectorid", c.customConnectorId)),
    tx("description", c.description.en),
    tx("iscustomizable", true),
    c.customConnectorId !== undefined && tx("promptingbehavior", 0),
    tx("statecode", 0),
    tx("statuscode", 1),
  );
}

/** The model's connection references and those the parts bring, in the order exports list them. */
export function solutionConnectionReferences(model: SolutionModel, parts: PartContribution[]): ConnectionReference[] {
  return [...model.connectionReferences, ...parts.flatMap((p) => p.connectionReferences ?? [])].sort((a, b) => a.logicalName.localeCompare(b.logicalName));
}

/** customizations.xml, nodes in the order of CrmLive exports (solution-format.md §3.0). */
export function customizationsXml(model: SolutionModel, parts: PartContribution[]): XNode {
  const entities: Array<[string, XNode]> = [
    ...model.extensions.map((x): [string, XNode] => [x.table.schemaName, shellEntity(x, model)]),
    ...model.tables.map((t): [string, XNode] => [t.schemaName, customTableEntity(t, model.publisher)]),
  ];
  entities.sort((a, b) => a[0].toLowerCase().localeCompare(b[0].toLowerCase()));
  const nodes = (k: "workflows" | "customControls" | "connectors"): XNode[] => parts.flatMap((p) => p[k] ?? []);
  const connectionRefs = solutionConnectionReferences(model, parts);
  const connectors = nodes("connectors");
  return el(
    "ImportExportXml",
    { "xmlns:xsi": XSI },
    el(
      "Entities",
      undefined,
      entities.map(([, n]) => n),
    ),
    el("Roles", undefined, rolesSorted(model.roles).map(roleNode)),
    el("Workflows", undefined, nodes("workflows")),
    el("FieldSecurityProfiles", undefined, profilesSorted(model.fieldSecurityProfiles).map(fieldSecurityProfileNode)),
    el("Templates"),
    el("EntityMaps"),
    el("EntityRelationships", undefined, model.tables.flatMap(customTableRelationships)),
    el("OrganizationSettings"),
    el("optionsets"),
    el("CustomControls", undefined, nodes("customControls")),
    el("EntityDataProviders"),
    connectors.length > 0 && el("Connectors", undefined, connectors),
    connectionRefs.length > 0 && el("connectionreferences", undefined, connectionRefs.map(connectionReference)),
    el(
      "Languages",
      undefined,
      LANGUAGES.map((l) => tx("Language", l)),
    ),
  );
}
