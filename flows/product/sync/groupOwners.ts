import { LOOKUPS, type LookupHandle } from "../../../solution/src/model/handles";
import { CAMPAIGN, CAMPAIGN_ACTIVITY, MARKETING_LIST } from "../../../solution/src/model/tables";

/** The records that own a CleverReach group, and where their name and id live (flows/product/README.md, "Group owners"). */
export interface GroupOwner {
  table: "list" | "campaign" | "campaignactivity";
  entitySet: string;
  idColumn: string;
  /** The column the group is named after (campaign activity: its subject). */
  nameColumn: string;
  displayName: { en: string; de: string };
  /** The lookup of a Receiver State row to a record of this table. */
  lookup: LookupHandle;
}

export const GROUP_OWNERS: readonly GroupOwner[] = [
  {
    table: "list",
    entitySet: MARKETING_LIST.entitySetName,
    idColumn: "listid",
    nameColumn: "listname",
    displayName: MARKETING_LIST.displayName,
    lookup: LOOKUPS.marketingList,
  },
  {
    table: "campaign",
    entitySet: CAMPAIGN.entitySetName,
    idColumn: "campaignid",
    nameColumn: "name",
    displayName: CAMPAIGN.displayName,
    lookup: LOOKUPS.campaign,
  },
  {
    table: "campaignactivity",
    entitySet: CAMPAIGN_ACTIVITY.entitySetName,
    idColumn: "activityid",
    nameColumn: "subject",
    displayName: CAMPAIGN_ACTIVITY.displayName,
    lookup: LOOKUPS.campaignActivity,
  },
];

/** The global attributes every receiver carries (flows/product/README.md, "Receivers"), created in CleverReach when missing. */
export const RECEIVER_ATTRIBUTES = [
  { name: "salutation", description: "Salutation (from the CRM)" },
  { name: "firstname", description: "First name (from the CRM)" },
  { name: "lastname", description: "Last name (from the CRM)" },
  { name: "company", description: "Company (contact: parent account; lead: company name)" },
  { name: "crm_table", description: "CRM table of the person (contact or lead)" },
  { name: "crm_id", description: "CRM row id of the person" },
] as const;

/** The member table of a marketing list as Dataverse codes it in the list's createdfromcode. */
export const LIST_MEMBER_CODE = { account: 1, contact: 2, lead: 4 } as const;
