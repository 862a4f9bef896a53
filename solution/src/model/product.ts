import { ICON_BRAND_COLOR } from "../../../connector/src/definition/apiProperties";
import { stableId } from "../ids";
import { label } from "../labels";
import { extensions } from "./columns";
import { connectionReferences } from "./connectionReferences";
import { customTables } from "./customTables";
import { environmentVariables } from "./environmentVariables";
import { PREFIX } from "./prefix";
import { fieldSecurityProfiles, roles } from "./security";
import type { SolutionModel } from "./types";

export { PREFIX } from "./prefix";
export { SEED_NEWSLETTER_TYPES } from "./environmentVariables";
export { cleverReachConnectionReference } from "./connectionReferences";

/**
 * The product's solution, as data: everything the packer writes and `verify` expects comes from
 * here. This file only assembles the parts, each defined by kind beside it: columns.ts (and the
 * system tables in tables.ts), customTables.ts, environmentVariables.ts, connectionReferences.ts,
 * security.ts (roles and field security profiles);
 * handles.ts gives the flows typed names for them. Schema names are built from PREFIX (prefix.ts).
 */
export const product: SolutionModel = {
  solution: {
    uniqueName: "CleverReachConnector",
    displayName: label("CleverReach Connector for Dataverse", "CleverReach Connector für Dataverse"),
    description: label(
      "Newsletter checklists on contacts, leads, campaigns, campaign activities and marketing lists, kept in step with CleverReach receiver groups.",
      "Newsletter-Checklisten an Kontakten, Leads, Kampagnen, Kampagnenaktivitäten und Marketinglisten, abgeglichen mit CleverReach-Empfängergruppen.",
    ),
    version: "1.0.0.0",
  },
  publisher: {
    uniqueName: "cleverreachconnector",
    displayName: label("CleverReach Connector for Dataverse", "CleverReach Connector für Dataverse"),
    description: label("Publisher of the open CleverReach Connector for Dataverse", "Herausgeber des offenen CleverReach Connector für Dataverse"),
    prefix: PREFIX,
    optionValuePrefix: 48271,
  },
  extensions,
  tables: customTables,
  environmentVariables,
  connectionReferences,
  connector: {
    id: stableId("connector:cleverreach"),
    displayName: "CleverReach Connector",
    description: "CleverReach REST API v3: receiver groups, receivers, attributes, mailings, reports and blacklist.",
    iconBrandColor: ICON_BRAND_COLOR,
  },
  roles,
  fieldSecurityProfiles,
};
