import { COLUMNS } from "../../../solution/src/model/handles";
import { body, item, lit, tpl, type Ex } from "../../toolkit/expr/build";
import { compose, select, type Value } from "../../toolkit/builder/actions";
import { listRows, PAGINATION_MAX } from "../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { coalesce, concat, join, string, union } from "../../toolkit/expr/functions";

/**
 * Which synced groups people are in (SPEC §6.1 read backwards): from a set of marketing list ids to
 * the synced, active records that own a group through them (the lists themselves, campaigns and
 * campaign activities linked to them). Shared by the event flows and CleverReachToCrm.
 */

/** A guid no row has: keeps a condition valid when there is no id to compare with. */
export const NO_ID = "00000000-0000-0000-0000-000000000000";
const OWNER_COLUMNS = `<attribute name="${COLUMNS.cleverReachGroupId}"/><attribute name="${COLUMNS.newsletterChecklist}"/>`;
/** FetchXML conditions for a group owner row that has a group to keep: sync on and active (SPEC §6.1). */
export const SYNCED_CONDITIONS = `<condition attribute="${COLUMNS.syncWithCleverReach}" operator="eq" value="1"/><condition attribute="statecode" operator="eq" value="0"/>`;
/** The same as an OData filter. */
export const SYNCED_FILTER = `${COLUMNS.syncWithCleverReach} eq true and statecode eq 0`;
const SYNCED = `<filter>${SYNCED_CONDITIONS}</filter>`;

/** `<value>` elements for a FetchXML `in` condition over an array of ids. */
export function idValues(s: ScopeBuilder, name: string, ids: Ex): Ex {
  s.add(name, select(ids, tpl`<value>${item()}</value>`));
  return concat(`<value>${NO_ID}</value>`, join(body(name), ""));
}

/** One owner entry: which record, its group, its checklist and the path (table) the person is in it by. */
export function ownerEntry(table: string, row: Ex, idColumn: string, via: Value): Value {
  return {
    table,
    id: row.get(idColumn),
    groupId: string(coalesce(row.get(COLUMNS.cleverReachGroupId), "")),
    checklist: coalesce(row.get(COLUMNS.newsletterChecklist), "[]"),
    via,
  };
}

/**
 * The synced owners reached through the lists `listIds`; returns the name of a Compose holding
 * owner entries (see ownerEntry) tagged with `via`. Three queries, whatever the number of lists.
 */
export function ownersOfLists(s: ScopeBuilder, prefix: string, listIds: Ex, via: Value): string {
  const values = idValues(s, `${prefix}_list_values`, listIds);
  s.add(
    `${prefix}_synced_lists`,
    listRows({
      entitySet: "lists",
      fetchXml: tpl`<fetch><entity name="list"><attribute name="listid"/>${lit(OWNER_COLUMNS)}${lit(SYNCED)}<filter><condition attribute="listid" operator="in">${values}</condition></filter></entity></fetch>`,
      paginateTo: PAGINATION_MAX,
    }),
  );
  s.add(
    `${prefix}_synced_campaigns`,
    listRows({
      entitySet: "campaigns",
      fetchXml: tpl`<fetch distinct="true"><entity name="campaign"><attribute name="campaignid"/>${lit(OWNER_COLUMNS)}${lit(SYNCED)}<link-entity name="campaignitem" from="campaignid" to="campaignid" link-type="inner"><filter><condition attribute="entityid" operator="in">${values}</condition></filter></link-entity></entity></fetch>`,
      paginateTo: PAGINATION_MAX,
    }),
  );
  s.add(
    `${prefix}_synced_activities`,
    listRows({
      entitySet: "campaignactivities",
      fetchXml: tpl`<fetch distinct="true"><entity name="campaignactivity"><attribute name="activityid"/>${lit(OWNER_COLUMNS)}${lit(SYNCED)}<link-entity name="campaignactivityitem" from="campaignactivityid" to="activityid" link-type="inner"><filter><condition attribute="itemid" operator="in">${values}</condition></filter></link-entity></entity></fetch>`,
      paginateTo: PAGINATION_MAX,
    }),
  );
  s.add(`${prefix}_list_owners`, select(body(`${prefix}_synced_lists`).get("value"), ownerEntry("list", item(), "listid", via)));
  s.add(`${prefix}_campaign_owners`, select(body(`${prefix}_synced_campaigns`).get("value"), ownerEntry("campaign", item(), "campaignid", via)));
  s.add(`${prefix}_activity_owners`, select(body(`${prefix}_synced_activities`).get("value"), ownerEntry("campaignactivity", item(), "activityid", via)));
  return s.add(`${prefix}_owners`, compose(union(body(`${prefix}_list_owners`), body(`${prefix}_campaign_owners`), body(`${prefix}_activity_owners`))));
}

/**
 * Every synced owner that has a group (used when links can no longer be read, e.g. after a delete:
 * Dataverse removes the list memberships with the row).
 */
export function allSyncedOwners(s: ScopeBuilder, prefix: string): string {
  const hasGroup = `<condition attribute="${COLUMNS.cleverReachGroupId}" operator="not-null"/>`;
  const query = (entity: string, idColumn: string): string =>
    `<fetch><entity name="${entity}"><attribute name="${idColumn}"/>${OWNER_COLUMNS}${SYNCED}<filter>${hasGroup}</filter></entity></fetch>`;
  s.add(`${prefix}_all_lists`, listRows({ entitySet: "lists", fetchXml: query("list", "listid"), paginateTo: PAGINATION_MAX }));
  s.add(`${prefix}_all_campaigns`, listRows({ entitySet: "campaigns", fetchXml: query("campaign", "campaignid"), paginateTo: PAGINATION_MAX }));
  s.add(
    `${prefix}_all_activities`,
    listRows({ entitySet: "campaignactivities", fetchXml: query("campaignactivity", "activityid"), paginateTo: PAGINATION_MAX }),
  );
  s.add(`${prefix}_all_list_owners`, select(body(`${prefix}_all_lists`).get("value"), ownerEntry("list", item(), "listid", "")));
  s.add(`${prefix}_all_campaign_owners`, select(body(`${prefix}_all_campaigns`).get("value"), ownerEntry("campaign", item(), "campaignid", "")));
  s.add(`${prefix}_all_activity_owners`, select(body(`${prefix}_all_activities`).get("value"), ownerEntry("campaignactivity", item(), "activityid", "")));
  return s.add(
    `${prefix}_all_owners`,
    compose(union(body(`${prefix}_all_list_owners`), body(`${prefix}_all_campaign_owners`), body(`${prefix}_all_activity_owners`))),
  );
}
