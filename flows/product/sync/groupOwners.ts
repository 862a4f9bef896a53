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

/**
 * The global attributes every receiver carries (flows/product/README.md, "Receivers"), created in
 * CleverReach when missing. CleverReach keeps a global attribute once per address for the whole
 * account, so only values that are the same wherever the person appears are global (SPEC §6.2).
 */
export const RECEIVER_ATTRIBUTES = [
  { name: "salutation", description: "Salutation (from the CRM)" },
  { name: "firstname", description: "First name (from the CRM)" },
  { name: "lastname", description: "Last name (from the CRM)" },
  { name: "company", description: "Company (contact: parent account; lead: company name)" },
] as const;

/**
 * The group attributes every receiver carries, created in each group when missing: what differs
 * per group. One address can be a contact in one group and a lead in another, so the CRM row a
 * receiver stands for is kept per group (SPEC §6.2). Groups synced before this kept them as global
 * attributes; those values are left as they are (no longer written) and CleverReachToCrm reads
 * them only where a receiver has no group values yet.
 */
export const RECEIVER_GROUP_ATTRIBUTES = [
  { name: "crm_table", description: "CRM table of the person in this group (contact or lead)" },
  { name: "crm_id", description: "CRM row id of the person in this group" },
] as const;

/** The member table of a marketing list as Dataverse codes it in the list's createdfromcode. */
export const LIST_MEMBER_CODE = { account: 1, contact: 2, lead: 4 } as const;
