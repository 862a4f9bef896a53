import { product } from "../../../solution/src/model/product";
import { entitySetName } from "../../../solution/src/xml/customTable";
import { CAMPAIGN, CAMPAIGN_ACTIVITY, MARKETING_LIST } from "../../../solution/src/model/tables";

/**
 * The records that own a CleverReach group and where their name and id live
 * (flows/product/README.md, "Group owners").
 */
export interface GroupOwner {
  table: "list" | "campaign" | "campaignactivity";
  entitySet: string;
  idColumn: string;
  /** The column the group is named after (campaign activity: its subject). */
  nameColumn: string;
  displayName: { en: string; de: string };
}

export const GROUP_OWNERS: readonly GroupOwner[] = [
  { table: "list", entitySet: MARKETING_LIST.entitySetName, idColumn: "listid", nameColumn: "listname", displayName: MARKETING_LIST.displayName },
  { table: "campaign", entitySet: CAMPAIGN.entitySetName, idColumn: "campaignid", nameColumn: "name", displayName: CAMPAIGN.displayName },
  { table: "campaignactivity", entitySet: CAMPAIGN_ACTIVITY.entitySetName, idColumn: "activityid", nameColumn: "subject", displayName: CAMPAIGN_ACTIVITY.displayName },
];

/** Entity set of the Group Link table: a group's id kept under its record's row id (survives the record). */
export const GROUP_LINKS = ((): string => {
  const table = product.tables.find((t) => t.schemaName === `${product.publisher.prefix}_GroupLink`);
  if (!table) throw new Error("the solution model has no Group Link table");
  return entitySetName(table);
})();

/**
 * The global attributes every receiver carries, created in CleverReach when missing
 * (flows/product/README.md, "Receivers").
 */
export const RECEIVER_ATTRIBUTES = [
  { name: "salutation", description: "Salutation (from the CRM)" },
  { name: "firstname", description: "First name (from the CRM)" },
  { name: "lastname", description: "Last name (from the CRM)" },
  { name: "company", description: "Company (contact: parent account; lead: company name)" },
  { name: "crm_table", description: "CRM table of the person (contact or lead)" },
  { name: "crm_id", description: "CRM row id of the person" },
] as const;

/** Marketing list member tables by the list's createdfromcode. */
export const LIST_MEMBER_TABLE = { 1: "account", 2: "contact", 4: "lead" } as const;
