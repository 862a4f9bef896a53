import { label } from "../labels";
import type { SystemTable } from "./types";

/** The Dataverse system tables the product touches. Entity set names are those of the Web API. */
export const CONTACT: SystemTable = {
  logicalName: "contact",
  schemaName: "Contact",
  entitySetName: "contacts",
  displayName: label("Contact", "Kontakt"),
};
export const LEAD: SystemTable = {
  logicalName: "lead",
  schemaName: "Lead",
  entitySetName: "leads",
  displayName: label("Lead", "Lead"),
};
export const MARKETING_LIST: SystemTable = {
  logicalName: "list",
  schemaName: "List",
  entitySetName: "lists",
  displayName: label("Marketing List", "Marketingliste"),
};
export const CAMPAIGN: SystemTable = {
  logicalName: "campaign",
  schemaName: "Campaign",
  entitySetName: "campaigns",
  displayName: label("Campaign", "Kampagne"),
};
export const CAMPAIGN_ACTIVITY: SystemTable = {
  logicalName: "campaignactivity",
  schemaName: "CampaignActivity",
  entitySetName: "campaignactivities",
  displayName: label("Campaign Activity", "Kampagnenaktivität"),
};
