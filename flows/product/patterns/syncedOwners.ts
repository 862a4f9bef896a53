import { COLUMNS } from "../../../solution/src/model/handles";
import * as odata from "../../toolkit/builder/odataFilter";
import { body, item, type Ex } from "../../toolkit/expr/build";
import { compose, select, type Value } from "../../toolkit/builder/actions";
import { listRows } from "../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { coalesce, join, string, union } from "../../toolkit/expr/functions";
import {
  attribute,
  attributes,
  condition,
  embed,
  entity,
  fetch,
  fetchXml,
  fetchXmlExpression,
  filter,
  linkEntity,
  value,
  type Embedded,
  type FetchNode,
} from "../../toolkit/builder/fetchXml";

/**
 * Which synced groups people are in (the candidates of flows/product/README.md, "Eligibility", read backwards): from a set of marketing list ids to
 * the synced, active records that own a group through them (the lists themselves, campaigns and
 * campaign activities linked to them). Shared by the event flows and CleverReachToCrm.
 */

/** A guid no row has: keeps a condition valid when there is no id to compare with. */
export const NO_ID = "00000000-0000-0000-0000-000000000000";
const OWNER_COLUMNS = attributes([COLUMNS.cleverReachGroupId, COLUMNS.newsletterChecklist]);
/** FetchXML conditions for a group owner row that has a group to keep: sync on and active (flows/product/README.md, "Group owners"). */
export const SYNCED_CONDITIONS = [condition(COLUMNS.syncWithCleverReach, "eq", 1), condition("statecode", "eq", 0)];
/** The same as an OData filter. */
export const SYNCED_FILTER = odata.and(odata.eq(COLUMNS.syncWithCleverReach, odata.bool(true)), odata.eq("statecode", odata.int(0)));
const SYNCED = filter(...SYNCED_CONDITIONS);

/** `<value>` elements for a FetchXML `in` condition over an array of ids (never empty: NO_ID is one); `name` is the Select that makes them. */
export function idValues(s: ScopeBuilder, name: string, ids: Ex): Embedded {
  s.add(name, select(ids, fetchXml(value(item()))));
  return embed(fetchXmlExpression(value(NO_ID), embed(join(body(name), ""))));
}

/**
 * The active marketing lists that have `member` among their members (a filter or link on listmember).
 * No `<fetch distinct>`: the List rows action does not support it (power-automate-docs
 * articles/dataverse/list-rows.md), and a list holds a member once.
 */
export const listsWithMember = (member: FetchNode): string =>
  fetchXml(
    fetch(
      entity(
        "list",
        attribute("listid"),
        filter(condition("statecode", "eq", 0)),
        linkEntity({ name: "listmember", from: "listid", to: "listid", type: "inner" }, member),
      ),
    ),
  );

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
 * owner entries (see ownerEntry) tagged with `via`. Three queries, whatever the number of lists. A
 * campaign linked to two of the lists comes back twice (no `<fetch distinct>` in List rows); union()
 * keeps it once, as list-rows.md advises.
 */
export function ownersOfLists(s: ScopeBuilder, prefix: string, listIds: Ex, via: Value): string {
  const values = idValues(s, `${prefix}_list_values`, listIds);
  s.add(
    `${prefix}_synced_lists`,
    listRows({
      entitySet: "lists",
      fetchXml: fetchXml(fetch(entity("list", attribute("listid"), ...OWNER_COLUMNS, SYNCED, filter(condition("listid", "in", values))))),
    }),
  );
  s.add(
    `${prefix}_synced_campaigns`,
    listRows({
      entitySet: "campaigns",
      fetchXml: fetchXml(
        fetch(
          entity(
            "campaign",
            attribute("campaignid"),
            ...OWNER_COLUMNS,
            SYNCED,
            linkEntity({ name: "campaignitem", from: "campaignid", to: "campaignid", type: "inner" }, filter(condition("entityid", "in", values))),
          ),
        ),
      ),
    }),
  );
  s.add(
    `${prefix}_synced_activities`,
    listRows({
      entitySet: "campaignactivities",
      fetchXml: fetchXml(
        fetch(
          entity(
            "campaignactivity",
            attribute("activityid"),
            ...OWNER_COLUMNS,
            SYNCED,
            linkEntity(
              { name: "campaignactivityitem", from: "campaignactivityid", to: "activityid", type: "inner" },
              filter(condition("itemid", "in", values)),
            ),
          ),
        ),
      ),
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
  const query = (table: string, idColumn: string): string =>
    fetchXml(fetch(entity(table, attribute(idColumn), ...OWNER_COLUMNS, SYNCED, filter(condition(COLUMNS.cleverReachGroupId, "not-null")))));
  s.add(`${prefix}_all_lists`, listRows({ entitySet: "lists", fetchXml: query("list", "listid") }));
  s.add(`${prefix}_all_campaigns`, listRows({ entitySet: "campaigns", fetchXml: query("campaign", "campaignid") }));
  s.add(`${prefix}_all_activities`, listRows({ entitySet: "campaignactivities", fetchXml: query("campaignactivity", "activityid") }));
  s.add(`${prefix}_all_list_owners`, select(body(`${prefix}_all_lists`).get("value"), ownerEntry("list", item(), "listid", "")));
  s.add(`${prefix}_all_campaign_owners`, select(body(`${prefix}_all_campaigns`).get("value"), ownerEntry("campaign", item(), "campaignid", "")));
  s.add(`${prefix}_all_activity_owners`, select(body(`${prefix}_all_activities`).get("value"), ownerEntry("campaignactivity", item(), "activityid", "")));
  return s.add(
    `${prefix}_all_owners`,
    compose(union(body(`${prefix}_all_list_owners`), body(`${prefix}_all_campaign_owners`), body(`${prefix}_all_activity_owners`))),
  );
}
