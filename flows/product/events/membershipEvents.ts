import { recordError } from "../patterns/recordError";
import * as odata from "../../toolkit/builder/odataFilter";
import { label } from "../../../solution/src/labels";
import { COLUMNS } from "../../../solution/src/model/handles";
import { actions, body, items, triggerOutputs, type Ex } from "../../toolkit/expr/build";
import { runChildFlow } from "../../toolkit/builder/actions";
import { cleverReachAction } from "../patterns/cleverreach";
import { listRows, rowTrigger, triggerColumn, updateRow } from "../../toolkit/builder/dataverse";
import { ProductFlow } from "../patterns/productFlow";
import { failRun } from "../../toolkit/builder/failRun";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { GROUP_OWNERS, type GroupOwner } from "../sync/groupOwners";
import { SYNCED_CONDITIONS, SYNCED_FILTER } from "../patterns/syncedOwners";
import { attribute, condition, entity, fetch, fetchXml, filter, linkEntity } from "../../toolkit/builder/fetchXml";
import { validEmail } from "../sync/expressions";
import { and, coalesce, concat, empty, equals, ifElse, int, not, startsWith, toLower } from "../../toolkit/expr/functions";
import { SYNC_GROUP_CALL } from "../patterns/childFlows";

/*
 * Membership events (events/README.md, "Membership events"): a dynamic list's query and a
 * campaign's leads. Each flow works out which synced records' groups the change touches and runs
 * the Sync group child flow for each of them: a full reconcile of one group costs a constant number
 * of calls plus pages, converges whatever was missed before, and never re-activates anyone.
 *
 * Static list members and the lists of a campaign or campaign activity are N:N relationships: their
 * rows live in the intersect tables listmember, campaignitem and campaignactivityitem, and the row
 * trigger "doesn't support triggering flows on relationships of type 1:N or N:N"; no source shows
 * another trigger firing for them (membership-events.md). Those changes reach CleverReach with the
 * nightly sync (flow "Nightly sync"), the record's next event, or "Update Synchronisation
 * CleverReach".
 *
 * What a dynamic list sees at once: its members are whatever its FetchXML query returns now. A
 * change of the query is an update of the list's `query` column and is seen at once (flow
 * "Dynamic list query changed"). A change of a contact, lead or account that makes it start or
 * stop matching a query is an update of that person, which no trigger relates to the lists whose
 * query it now matches; those changes wait for the same repair paths.
 */

const owner = (table: GroupOwner["table"]): GroupOwner => {
  const o = GROUP_OWNERS.find((x) => x.table === table);
  if (!o) throw new Error(`no group owner ${table}`);
  return o;
};
const LIST = owner("list");
const CAMPAIGN = owner("campaign");
const ACTIVITY = owner("campaignactivity");

/** Sync group runs in parallel; each is one group, so they do not get in each other's way. */
const SYNC_CONCURRENCY = 5;

function eventFlow(key: string, en: string, de: string, purpose: string): ProductFlow {
  const f = new ProductFlow({ key, displayName: label(`CleverReach - ${en}`, `CleverReach - ${de}`), purpose });
  f.useDataverse();
  return f;
}

/** Runs Sync group for each row a List rows action returned (the owner's id column). */
function syncEach(s: ScopeBuilder, syncGroupId: string, listAction: string, o: GroupOwner): void {
  s.forEach(
    `Sync_each_${listAction}`,
    body(listAction).get("value"),
    (l) => {
      l.add(`Sync_${listAction}_group`, runChildFlow(syncGroupId, { table: o.table, id: items(`Sync_each_${listAction}`).get(o.idColumn) }, SYNC_GROUP_CALL));
    },
    { concurrency: SYNC_CONCURRENCY },
  );
}

/** The synced row of `o` with this id (none when it is not synced, inactive or gone). */
function syncedRow(s: ScopeBuilder, name: string, o: GroupOwner, id: Ex): void {
  s.add(name, listRows({ entitySet: o.entitySet, select: [o.idColumn], filter: odata.filter(odata.and(odata.eq(o.idColumn, odata.guid(id)), SYNCED_FILTER)) }));
}

/**
 * The groups a list's membership feeds: its own, and those of every synced campaign and campaign
 * activity that contains the list (the candidates of flows/product/README.md, "Eligibility").
 */
function syncListAndContainers(s: ScopeBuilder, syncGroupId: string, listId: Ex): void {
  syncedRow(s, "Synced_list", LIST, listId);
  syncEach(s, syncGroupId, "Synced_list", LIST);
  s.add(
    "Synced_campaigns",
    listRows({
      entitySet: CAMPAIGN.entitySet,
      fetchXml: fetchXml(
        fetch(
          entity(
            "campaign",
            attribute("campaignid"),
            filter(...SYNCED_CONDITIONS),
            linkEntity({ name: "campaignitem", from: "campaignid", to: "campaignid", type: "inner" }, filter(condition("entityid", "eq", listId))),
          ),
        ),
      ),
    }),
  );
  syncEach(s, syncGroupId, "Synced_campaigns", CAMPAIGN);
  s.add(
    "Synced_activities",
    listRows({
      entitySet: ACTIVITY.entitySet,
      fetchXml: fetchXml(
        fetch(
          entity(
            "campaignactivity",
            attribute("activityid"),
            filter(...SYNCED_CONDITIONS),
            linkEntity(
              { name: "campaignactivityitem", from: "campaignactivityid", to: "activityid", type: "inner" },
              filter(condition("itemid", "eq", listId)),
            ),
          ),
        ),
      ),
    }),
  );
  syncEach(s, syncGroupId, "Synced_activities", ACTIVITY);
}

/**
 * Try/Catch around the work: a failure is written on the record the event is about (when there is
 * one with sync fields) and fails the run with the failing step and its message.
 */
function tryAndReport(f: ProductFlow, what: string, work: (s: ScopeBuilder) => void, record?: { entitySet: string; id: Ex }): void {
  // A failed Sync group run has already written its own error on the record it syncs.
  const inChild = (step: Ex): Ex => startsWith(step, "Sync_each_");
  f.actions.tryCatch(
    "Try",
    work,
    failRun({
      code: "SyncFailed",
      errorText: (step, message) =>
        concat(
          `CleverReach ${what} failed at `,
          step,
          ": ",
          ifElse(inChild(step), "a Sync group run failed; its error is written on the list, campaign or campaign activity it syncs", message),
        ),
      report: record
        ? (c, text) =>
            c.condition("Write_error_unless_child", not(startsWith(text, `CleverReach ${what} failed at Sync_each_`)), (w) =>
              w.add("Write_error", updateRow(record.entitySet, record.id, { [COLUMNS.lastSyncError]: recordError(text) })),
            )
        : undefined,
    }),
  );
}

/**
 * A dynamic list's query changed: its members are the new query's result, so its group and the
 * groups of the campaigns and activities containing it are reconciled. (Person changes that make
 * someone match a query are not seen here; see the note at the top of this file.)
 */
export function dynamicListQueryChangedFlow(syncGroupId: string): ProductFlow {
  const f = eventFlow(
    "event-dynamic-list-query",
    "Dynamic list query changed",
    "Abfrage einer dynamischen Liste geändert",
    "Syncs the groups of a dynamic marketing list and of the synced campaigns and activities containing it when its query changes.",
  );
  f.trigger(
    "When_a_dynamic_list_query_changes",
    rowTrigger({ message: "modified", table: "list", filteringAttributes: ["query"], filterExpression: odata.filter(odata.eq("type", odata.bool(true))) }),
  );
  const listId = triggerColumn(triggerOutputs(), "listid");
  tryAndReport(f, "dynamic list sync", (s) => syncListAndContainers(s, syncGroupId, listId), { entitySet: LIST.entitySet, id: listId });
  return f;
}

/**
 * A lead linked to a campaign (its "Source Campaign" lookup) on create, or re-linked / unlinked on
 * update. The new campaign is reconciled. The trigger carries no pre-image, so the campaign the
 * lead left is found in CleverReach: one look-up of the lead's e-mail per other synced campaign
 * (per-event work for one person), and each campaign whose group has it is reconciled, which
 * removes the lead unless one of the campaign's lists still holds it.
 */
export function leadCampaignChangedFlow(syncGroupId: string): ProductFlow {
  const f = eventFlow(
    "event-lead-campaign",
    "Lead campaign changed",
    "Kampagne eines Leads geändert",
    "Syncs the group of the campaign a lead joins, and of every other synced campaign whose group still holds the lead.",
  );
  const cr = f.useCleverReach();
  f.trigger("When_a_lead_campaign_changes", rowTrigger({ message: "addedOrModified", table: "lead", filteringAttributes: ["campaignid"] }));
  const campaignId = coalesce(triggerColumn(triggerOutputs(), "_campaignid_value"), "");
  const email = toLower(coalesce(triggerColumn(triggerOutputs(), "emailaddress1"), ""));
  const isUpdate = equals(triggerColumn(triggerOutputs(), "SdkMessage"), "Update");
  tryAndReport(f, "lead campaign sync", (s) => {
    s.condition("Linked_to_a_campaign", not(empty(campaignId)), (n) => {
      syncedRow(n, "Synced_new_campaign", CAMPAIGN, campaignId);
      syncEach(n, syncGroupId, "Synced_new_campaign", CAMPAIGN);
    });
    s.condition("Maybe_left_a_campaign", and(isUpdate, validEmail(email)), (u) => {
      u.add(
        "Other_synced_campaigns",
        listRows({
          entitySet: CAMPAIGN.entitySet,
          select: ["campaignid", COLUMNS.cleverReachGroupId],
          filter: odata.filter(odata.and(SYNCED_FILTER, odata.ne(COLUMNS.cleverReachGroupId, odata.NULL), odata.ne("campaignid", odata.guid(campaignId)))),
          paginateTo: 100000,
        }),
      );
      u.forEach(
        "Check_each_campaign",
        body("Other_synced_campaigns").get("value"),
        (l) => {
          const c = items("Check_each_campaign");
          l.add("Find_lead_in_group", cleverReachAction(cr, "GetGroupReceiver", { group_id: int(c.get(COLUMNS.cleverReachGroupId)), pool_id: email }));
          // Not found (404) is the usual answer: the lead was never in that campaign's group.
          l.condition(
            "Was_in_group",
            equals(actions("Find_lead_in_group").get("status"), "Succeeded"),
            (y) => {
              y.add("Sync_left_campaign", runChildFlow(syncGroupId, { table: CAMPAIGN.table, id: c.get("campaignid") }, SYNC_GROUP_CALL));
            },
            { after: { Find_lead_in_group: ["Succeeded", "Failed"] } },
          );
        },
        { concurrency: 20 },
      );
    });
  });
  return f;
}

export const membershipEventFlows = (syncGroupId: string): ProductFlow[] => [dynamicListQueryChangedFlow(syncGroupId), leadCampaignChangedFlow(syncGroupId)];
