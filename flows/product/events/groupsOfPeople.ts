import { body, call, item, lit, tpl, variables, type Ex } from "../../toolkit/expr/build";
import { compose, incrementVariable, select, setVariable, until, type Value } from "../../toolkit/builder/actions";
import { cleverReachAction } from "../patterns/cleverreach";
import { listRows, PAGINATION_MAX } from "../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { RECEIVER_PAGE } from "../sync/syncGroupFlow";

/**
 * Which synced groups people are in (the candidates of flows/product/README.md, "Eligibility",
 * read backwards): from a set of marketing list ids to
 * the synced, active records that own a group through them (the lists themselves, campaigns and
 * campaign activities linked to them). Shared by the person and account event flows.
 */

/** A guid no row has: keeps an `in` condition valid when the id set is empty. */
const NO_ID = "00000000-0000-0000-0000-000000000000";
const OWNER_COLUMNS = '<attribute name="clvr_cleverreachgroupid"/><attribute name="clvr_newsletterchecklist"/>';
const SYNCED = '<filter><condition attribute="clvr_syncwithcleverreach" operator="eq" value="1"/><condition attribute="statecode" operator="eq" value="0"/></filter>';

/** `<value>` elements for a FetchXML `in` condition over an array of ids. */
export function idValues(s: ScopeBuilder, name: string, ids: Ex): Ex {
  s.add(name, select(ids, tpl`<value>${item()}</value>`));
  return call("concat", `<value>${NO_ID}</value>`, call("join", body(name), ""));
}

/** One owner entry: which record, its group, its checklist and the path (table) the person is in it by. */
export function ownerEntry(table: string, row: Ex, idColumn: string, via: Value): Value {
  return {
    table,
    id: row.get(idColumn),
    groupId: call("string", call("coalesce", row.get("clvr_cleverreachgroupid"), "")),
    checklist: call("coalesce", row.get("clvr_newsletterchecklist"), "[]"),
    via,
  };
}

/**
 * The synced owners reached through the lists `listIds`; returns the name of a Compose holding
 * owner entries (see ownerEntry) tagged with `via`. Three queries, whatever the number of lists.
 */
export function ownersOfLists(s: ScopeBuilder, prefix: string, listIds: Ex, via: Value): string {
  const values = idValues(s, `${prefix}_list_values`, listIds);
  s.add(`${prefix}_synced_lists`, listRows({ entitySet: "lists", fetchXml: tpl`<fetch><entity name="list"><attribute name="listid"/>${lit(OWNER_COLUMNS)}${lit(SYNCED)}<filter><condition attribute="listid" operator="in">${values}</condition></filter></entity></fetch>`, paginateTo: PAGINATION_MAX }));
  s.add(`${prefix}_synced_campaigns`, listRows({ entitySet: "campaigns", fetchXml: tpl`<fetch distinct="true"><entity name="campaign"><attribute name="campaignid"/>${lit(OWNER_COLUMNS)}${lit(SYNCED)}<link-entity name="campaignitem" from="campaignid" to="campaignid" link-type="inner"><filter><condition attribute="entityid" operator="in">${values}</condition></filter></link-entity></entity></fetch>`, paginateTo: PAGINATION_MAX }));
  s.add(`${prefix}_synced_activities`, listRows({ entitySet: "campaignactivities", fetchXml: tpl`<fetch distinct="true"><entity name="campaignactivity"><attribute name="activityid"/>${lit(OWNER_COLUMNS)}${lit(SYNCED)}<link-entity name="campaignactivityitem" from="campaignactivityid" to="activityid" link-type="inner"><filter><condition attribute="itemid" operator="in">${values}</condition></filter></link-entity></entity></fetch>`, paginateTo: PAGINATION_MAX }));
  s.add(`${prefix}_list_owners`, select(body(`${prefix}_synced_lists`).get("value"), ownerEntry("list", item(), "listid", via)));
  s.add(`${prefix}_campaign_owners`, select(body(`${prefix}_synced_campaigns`).get("value"), ownerEntry("campaign", item(), "campaignid", via)));
  s.add(`${prefix}_activity_owners`, select(body(`${prefix}_synced_activities`).get("value"), ownerEntry("campaignactivity", item(), "activityid", via)));
  return s.add(`${prefix}_owners`, compose(call("union", body(`${prefix}_list_owners`), body(`${prefix}_campaign_owners`), body(`${prefix}_activity_owners`))));
}

/**
 * Every synced owner that has a group (used when links can no longer be read, e.g. after a delete:
 * Dataverse removes the list memberships with the row).
 */
export function allSyncedOwners(s: ScopeBuilder, prefix: string): string {
  const hasGroup = '<condition attribute="clvr_cleverreachgroupid" operator="not-null"/>';
  const query = (entity: string, idColumn: string): string => `<fetch><entity name="${entity}"><attribute name="${idColumn}"/>${OWNER_COLUMNS}${SYNCED}<filter>${hasGroup}</filter></entity></fetch>`;
  s.add(`${prefix}_all_lists`, listRows({ entitySet: "lists", fetchXml: query("list", "listid"), paginateTo: PAGINATION_MAX }));
  s.add(`${prefix}_all_campaigns`, listRows({ entitySet: "campaigns", fetchXml: query("campaign", "campaignid"), paginateTo: PAGINATION_MAX }));
  s.add(`${prefix}_all_activities`, listRows({ entitySet: "campaignactivities", fetchXml: query("campaignactivity", "activityid"), paginateTo: PAGINATION_MAX }));
  s.add(`${prefix}_all_list_owners`, select(body(`${prefix}_all_lists`).get("value"), ownerEntry("list", item(), "listid", "")));
  s.add(`${prefix}_all_campaign_owners`, select(body(`${prefix}_all_campaigns`).get("value"), ownerEntry("campaign", item(), "campaignid", "")));
  s.add(`${prefix}_all_activity_owners`, select(body(`${prefix}_all_activities`).get("value"), ownerEntry("campaignactivity", item(), "activityid", "")));
  return s.add(`${prefix}_all_owners`, compose(call("union", body(`${prefix}_all_list_owners`), body(`${prefix}_all_campaign_owners`), body(`${prefix}_all_activity_owners`))));
}

/**
 * Reads all receivers of a group into the array variable `into` (pages of 5000), using the integer
 * variable `page`. Both variables must be initialised at the top of the flow.
 */
export function readGroupReceivers(s: ScopeBuilder, cr: string, name: string, groupId: Ex, into: string, page: string): void {
  s.add(`${name}_reset`, setVariable(into, []));
  s.add(`${name}_first_page`, setVariable(page, 0));
  s.add(
    name,
    until(
      s,
      call("less", call("length", call("coalesce", body(`${name}_page`), call("json", "[]"))), RECEIVER_PAGE),
      (u) => {
        u.add(`${name}_page`, cleverReachAction(cr, "ListGroupReceivers", { group_id: call("int", groupId), page: variables(page), pagesize: RECEIVER_PAGE, type: "all" }));
        u.add(`${name}_merge`, compose(call("union", variables(into), body(`${name}_page`))));
        u.add(`${name}_keep`, setVariable(into, call("outputs", `${name}_merge`)));
        u.add(`${name}_next`, incrementVariable(page, 1));
      },
      { count: 1000, timeout: "PT6H" },
    ),
  );
}
