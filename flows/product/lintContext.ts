import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { product } from "../../solution/src/model/product";
import { CAMPAIGN, CAMPAIGN_ACTIVITY, CONTACT, LEAD, MARKETING_LIST } from "../../solution/src/model/tables";
import { connectorApiName } from "../../solution/src/naming";
import { entitySetName } from "../../solution/src/xml/customTable";
import { readConnectorDefinition } from "../toolkit/connectors/swagger";
import { loadDataverseConnector } from "../toolkit/facts";
import { FUNCTION_CATALOG } from "../toolkit/expr/catalog";
import type { LintContext } from "../toolkit/lint";

/** System tables the flows read besides the ones the solution extends: logical name → entity set. */
const OTHER_SYSTEM_TABLES: Record<string, string> = {
  account: "accounts",
  listmember: "listmembers",
  campaignitem: "campaignitems",
  campaignactivityitem: "campaignactivityitems",
  environmentvariabledefinition: "environmentvariabledefinitions",
  environmentvariablevalue: "environmentvariablevalues",
  systemuser: "systemusers",
  // The option labels of choice columns: the field mapping flow asks whether a mapped column has options (tests/fakes/dataverse/metadata.ts, stringmap).
  stringmap: "stringmaps",
};

/**
 * The intersect tables of the marketing list and campaign N:N relationships (Dataverse table
 * reference: listcontact/listlead/listaccount_association, campaignlist_association,
 * campaignactivitylist_association), on which no row trigger fires.
 */
const RELATIONSHIP_TABLES = ["listmember", "campaignitem", "campaignactivityitem"];

/**
 * The linter's view of the world: the Dataverse connector's own definition (committed facts), our
 * CleverReach connector (when built), the workflow function catalog and the tables flows may use.
 */
export function defaultLintContext(repoRoot = resolve(__dirname, "..", "..")): LintContext {
  const cleverReachPath = join(repoRoot, "connector", "apiDefinition.swagger.json");
  const tables = [CONTACT, LEAD, MARKETING_LIST, CAMPAIGN, CAMPAIGN_ACTIVITY].map((t) => [t.logicalName, t.entitySetName] as const);
  const custom = product.tables.map((t) => [t.schemaName.toLowerCase(), entitySetName(t)] as const);
  const all = [...tables, ...custom, ...Object.entries(OTHER_SYSTEM_TABLES)];
  return {
    functions: FUNCTION_CATALOG,
    dataverse: loadDataverseConnector(),
    customConnectors: new Map([
      [
        connectorApiName(product.publisher.prefix, product.connector.displayName, product.connector.id),
        {
          label: "CleverReach",
          definition: existsSync(cleverReachPath) ? readConnectorDefinition(cleverReachPath) : undefined,
          definitionFile: "connector/apiDefinition.swagger.json",
        },
      ],
    ]),
    entitySets: new Set(all.map(([, set]) => set)),
    logicalNames: new Set(all.map(([logical]) => logical)),
    relationshipTables: new Set(RELATIONSHIP_TABLES),
  };
}
