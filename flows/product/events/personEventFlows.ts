import { label } from "../../../solution/src/labels";
import { COLUMNS, ENV } from "../../../solution/src/model/handles";
import { CONTACT, LEAD } from "../../../solution/src/model/tables";
import { CHECKLIST_STATE } from "../../../pcf-checklist/src/checklist";
import { call, body, item, items, lit, outputs, triggerOutputs, variables, type Ex } from "../../toolkit/expr/build";
import { appendToArrayVariable, compose, filterArray, initializeVariable, select, setVariable, terminate, type Value } from "../../toolkit/builder/actions";
import { cleverReachAction } from "../patterns/cleverreach";
import { listRows, PAGINATION_MAX, rowTrigger, updateRow } from "../../toolkit/builder/dataverse";
import { ProductFlow } from "../patterns/productFlow";
import { failRun } from "../../toolkit/builder/catchFailures";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { readGroupReceivers } from "../patterns/groupReceivers";
import { allSyncedOwners, listsWithMember, NO_ID, ownerEntry, ownersOfLists, SYNCED_CONDITIONS } from "../patterns/syncedOwners";
import { unixNow } from "../patterns/unixTime";
import { validEmail } from "../sync/expressions";
import { LIST_MEMBER_CODE } from "../sync/groupOwners";
import { CONTACT_COLUMNS, CONTACT_SELECT, LEAD_SELECT, primaryContactCompany, receiverFromCleverReach, receiverFromPerson } from "../sync/receivers";
import { attribute, attributes, condition, entity, fetch, fetchXml, filter, linkEntity, prependToEntity, type FetchNode } from "../../toolkit/builder/fetchXml";
import {
  addProperty,
  and,
  coalesce,
  concat,
  contains,
  createArray,
  empty,
  equals,
  first,
  greater,
  ifElse,
  int,
  intersection,
  join,
  json,
  length,
  not,
  sort,
  string,
  toLower,
  trim,
  union,
} from "../../toolkit/expr/functions";

/** The person tables with a checklist, and the columns SPEC §6.2 sends to CleverReach. */
export interface PersonTable {
  table: "contact" | "lead";
  entitySet: string;
  idColumn: string;
  select: readonly FetchNode[];
  /** Columns whose change updates the receivers (the company column differs per table). */
  watched: string[];
  displayName: { en: string; de: string };
}

export const PERSON_TABLES: readonly PersonTable[] = [
  {
    table: "contact",
    entitySet: CONTACT.entitySetName,
    idColumn: "contactid",
    select: CONTACT_SELECT,
    watched: ["emailaddress1", "salutation", "firstname", "lastname", "parentcustomerid"],
    displayName: CONTACT.displayName,
  },
  {
    table: "lead",
    entitySet: LEAD.entitySetName,
    idColumn: "leadid",
    select: LEAD_SELECT,
    watched: ["emailaddress1", "salutation", "firstname", "lastname", "companyname"],
    displayName: LEAD.displayName,
  },
];

/**
 * "CleverReach - <Contact|Lead> changed" (SPEC §6.3, person rows): keeps the derived accepted-types
 * column in step with the checklist, then brings this one person's receivers in line in every
 * group they are in: added where they now qualify, updated (never re-activated) where they stay,
 * removed where they no longer qualify, and removed from every group when deactivated or deleted.
 *
 * Cost per event: a handful of Dataverse queries (the person, their lists, one query per dynamic
 * list, the owners of those lists) and per group one receiver lookup and at most one write; a
 * group's receivers are read (pages of 5000) only where the person's current address is not in
 * it, to find a receiver left under an old address. Deactivation/deletion reads every synced
 * group, since a deleted person's list memberships are gone with the row.
 */
export function personEventFlow(p: PersonTable): ProductFlow {
  const f = new ProductFlow({
    key: `person-event-${p.table}`,
    displayName: label(`CleverReach - ${p.displayName.en} changed`, `CleverReach - ${p.displayName.de} geändert`),
  });
  f.useDataverse();
  const cr = f.useCleverReach();
  const transfer = f.environmentVariable(ENV.transferTables);
  f.trigger(
    "When_a_person_changes",
    rowTrigger({ message: "any", table: p.table, filteringAttributes: [COLUMNS.newsletterChecklist, "statecode", ...p.watched] }),
  );
  const a = f.actions;
  const personId = triggerOutputs().get(`body/${p.idColumn}`);
  a.add("Init_matches", initializeVariable("matches", "array", []));
  a.add("Init_current", initializeVariable("current", "array", []));
  a.add("Init_page", initializeVariable("page", "integer", 0));
  a.add("Init_found", initializeVariable("found", "object", lit(null)));
  a.add("Init_old", initializeVariable("old", "array", []));
  a.add("Init_remove", initializeVariable("remove", "boolean", true));
  a.add("Init_accepted_ids", initializeVariable("acceptedIds", "array", []));
  a.add("Init_checklist_read", initializeVariable("checklistStage", "string", ""));
  a.tryCatch(
    "Try",
    (t) => {
      t.add(
        "Get_person",
        listRows({
          entitySet: p.entitySet,
          fetchXml: fetchXml(
            fetch(
              entity(
                p.table,
                ...p.select,
                ...attributes(["statecode", COLUMNS.newsletterChecklist, COLUMNS.acceptedTypes]),
                ...(p.table === "lead" ? [attribute("campaignid")] : []),
                filter(condition(p.idColumn, "eq", personId)),
              ),
            ),
          ),
        }),
      );
      t.add("Person", compose(first(body("Get_person").get("value"))));
      const person = outputs("Person");
      t.condition("Person_exists", and(not(equals(triggerOutputs().get("body/SdkMessage"), "Delete")), not(equals(person, lit(null)))), (e) => {
        keepAcceptedTypes(e, p, person, personId);
        e.add("Active", setVariable("remove", not(equals(person.get("statecode"), 0))));
      });
      t.condition(
        "Remove_or_update",
        variables("remove"),
        (r) => removeEverywhere(r, cr, p, personId),
        (u) => updateGroups(u, cr, transfer, p, person, personId),
      );
    },
    failRun({
      code: "PersonSyncFailed",
      errorText: (step, message) =>
        ifElse(
          equals(variables("checklistStage"), "reading"),
          concat(`The newsletter checklist of ${p.table} `, personId, " is not valid checklist JSON; nothing was changed."),
          concat(`CleverReach update of ${p.table} `, personId, " failed at ", step, ": ", message),
        ),
    }),
  );
  return f;
}

/**
 * Parses the checklist and writes the derived column when it differs (same value as
 * acceptedTypesKey(): accepted ids ascending as ",0,3,", empty when none). Invalid JSON fails here,
 * before anything is written.
 */
function keepAcceptedTypes(s: ScopeBuilder, p: PersonTable, person: Ex, personId: Ex): void {
  const text = coalesce(person.get(COLUMNS.newsletterChecklist), "");
  s.add("Reading_checklist", setVariable("checklistStage", "reading"));
  s.add("Parse_checklist", compose(json(ifElse(empty(trim(text)), "[]", text))));
  s.add("Accepted_rows", filterArray(outputs("Parse_checklist"), equals(item().get("state"), CHECKLIST_STATE.accepted)));
  s.add("Accepted_ids", select(body("Accepted_rows"), int(item().get("id"))));
  s.add("Sorted_ids", setVariable("acceptedIds", sort(body("Accepted_ids"))));
  s.add("Checklist_read", setVariable("checklistStage", "read"));
  s.add("Accepted_key", compose(ifElse(empty(variables("acceptedIds")), "", concat(",", join(variables("acceptedIds"), ","), ","))));
  s.condition("Key_changed", not(equals(coalesce(person.get(COLUMNS.acceptedTypes), ""), outputs("Accepted_key"))), (w) => {
    w.add("Write_accepted_types", updateRow(p.entitySet, personId, { [COLUMNS.acceptedTypes]: outputs("Accepted_key") }));
  });
}

/** Dataverse conditions that narrow a dynamic list's query to this person (or accounts they head). */
function dynamicMatchFetch(p: PersonTable, personId: Ex, list: Ex): Ex {
  const query = coalesce(list.get("query"), "");
  const own = prependToEntity(query, p.table, filter(condition(p.idColumn, "eq", personId)));
  if (p.table === "lead") return own;
  const viaAccount = prependToEntity(query, "account", filter(condition("primarycontactid", "eq", personId), condition("statecode", "eq", 0)));
  return ifElse(equals(list.get("createdfromcode"), LIST_MEMBER_CODE.account), viaAccount, own);
}

/** The groups this person is in, and per group: add, update or remove their receiver. */
function updateGroups(s: ScopeBuilder, cr: string, transfer: Ex, p: PersonTable, person: Ex, personId: Ex): void {
  s.add(
    "Static_lists",
    listRows({
      entitySet: "lists",
      fetchXml: listsWithMember(filter(condition("entityid", "eq", personId))),
      paginateTo: PAGINATION_MAX,
    }),
  );
  const codes =
    p.table === "contact"
      ? `createdfromcode eq ${LIST_MEMBER_CODE[p.table]} or createdfromcode eq ${LIST_MEMBER_CODE.account}`
      : `createdfromcode eq ${LIST_MEMBER_CODE[p.table]}`;
  s.add(
    "Dynamic_lists",
    listRows({
      entitySet: "lists",
      select: ["listid", "query", "createdfromcode"],
      filter: `type eq true and statecode eq 0 and (${codes})`,
      paginateTo: PAGINATION_MAX,
    }),
  );
  s.forEach("Each_dynamic_list", body("Dynamic_lists").get("value"), (l) => {
    const list = items("Each_dynamic_list");
    const viaAccount = equals(list.get("createdfromcode"), LIST_MEMBER_CODE.account);
    l.add(
      "Match_person",
      listRows({
        entitySet: p.table === "lead" ? p.entitySet : ifElse(viaAccount, "accounts", p.entitySet).value,
        fetchXml: dynamicMatchFetch(p, personId, list),
      }),
    );
    l.condition("If_matched", not(empty(body("Match_person").get("value"))), (m) => {
      m.add("Remember_match", appendToArrayVariable("matches", { id: list.get("listid"), via: ifElse(viaAccount, "account", p.table) }));
    });
  });
  s.add("Dynamic_direct", filterArray(variables("matches"), equals(item().get("via"), p.table)));
  s.add("Dynamic_direct_ids", select(body("Dynamic_direct"), item().get("id")));
  s.add("Static_ids", select(body("Static_lists").get("value"), item().get("listid")));
  const direct = ownersOfLists(s, "Direct", union(body("Static_ids"), body("Dynamic_direct_ids")), p.table);
  const ownerSets: Ex[] = [outputs(direct)];
  if (p.table === "contact") {
    // An account member stands for its primary contact (SPEC §6.1).
    s.add(
      "Account_static_lists",
      listRows({
        entitySet: "lists",
        fetchXml: listsWithMember(
          linkEntity(
            { name: "account", from: "accountid", to: "entityid", type: "inner" },
            filter(condition("primarycontactid", "eq", personId), condition("statecode", "eq", 0)),
          ),
        ),
        paginateTo: PAGINATION_MAX,
      }),
    );
    s.add("Dynamic_account", filterArray(variables("matches"), equals(item().get("via"), "account")));
    s.add("Dynamic_account_ids", select(body("Dynamic_account"), item().get("id")));
    s.add("Account_static_ids", select(body("Account_static_lists").get("value"), item().get("listid")));
    const viaAccount = ownersOfLists(s, "Via_account", union(body("Account_static_ids"), body("Dynamic_account_ids")), "account");
    ownerSets.push(outputs(viaAccount));
    // The receiver as the Sync group builds it for account lists: company = the account's name.
    s.add(
      "Get_as_primary_contact",
      listRows({
        entitySet: "contacts",
        fetchXml: fetchXml(
          fetch(
            entity(
              "contact",
              ...attributes(CONTACT_COLUMNS),
              filter(condition("contactid", "eq", personId)),
              primaryContactCompany(filter(condition("statecode", "eq", 0))),
            ),
          ),
        ),
      }),
    );
  } else {
    // A lead belongs to the campaign it names (SPEC §6.1 "leads linked to the campaign").
    s.add(
      "Lead_campaign",
      listRows({
        entitySet: "campaigns",
        fetchXml: fetchXml(
          fetch(
            entity(
              "campaign",
              ...attributes(["campaignid", COLUMNS.cleverReachGroupId, COLUMNS.newsletterChecklist]),
              filter(...SYNCED_CONDITIONS, condition("campaignid", "eq", coalesce(person.get("_campaignid_value"), NO_ID))),
            ),
          ),
        ),
      }),
    );
    s.add("Lead_campaign_owners", select(body("Lead_campaign").get("value"), ownerEntry("campaign", item(), "campaignid", "lead")));
    ownerSets.push(body("Lead_campaign_owners"));
  }
  s.add("Owners", compose(call("union", ...ownerSets)));
  s.add("All_group_ids", select(outputs("Owners"), item().get("groupId")));
  s.add("Group_ids", filterArray(union(body("All_group_ids"), body("All_group_ids")), not(empty(item()))));
  s.add("Direct_receiver", compose(receiverFromPerson(person, lit(p.table))));
  const accountReceiver: Value =
    p.table === "contact"
      ? ifElse(empty(body("Get_as_primary_contact").get("value")), outputs("Direct_receiver"), outputs("Account_receiver"))
      : outputs("Direct_receiver");
  if (p.table === "contact") s.add("Account_receiver", compose(receiverFromPerson(first(body("Get_as_primary_contact").get("value")), lit("contact"))));
  const email = outputs("Direct_receiver").get("email");
  s.forEach("Each_group", body("Group_ids"), (g) => {
    const groupId = items("Each_group");
    g.add("Entries", filterArray(outputs("Owners"), equals(item().get("groupId"), groupId)));
    g.add("Transferred_entries", filterArray(body("Entries"), contains(transfer, item().get("via"))));
    g.add("Direct_entries", filterArray(body("Transferred_entries"), not(equals(item().get("via"), "account"))));
    g.add("Group_checklist", compose(json(first(body("Entries")).get("checklist"))));
    g.add("Group_accepted_rows", filterArray(outputs("Group_checklist"), equals(item().get("state"), CHECKLIST_STATE.accepted)));
    g.add("Group_accepted", select(body("Group_accepted_rows"), int(item().get("id"))));
    g.add("Group_declined_rows", filterArray(outputs("Group_checklist"), equals(item().get("state"), CHECKLIST_STATE.declined)));
    g.add("Group_declined", select(body("Group_declined_rows"), int(item().get("id"))));
    // SPEC §6.1 for this one person, as isEligible() in flows/src/rules/eligibility.ts.
    g.add(
      "Eligible",
      compose(
        and(
          not(empty(body("Transferred_entries"))),
          validEmail(email),
          greater(length(intersection(variables("acceptedIds"), body("Group_accepted"))), 0),
          empty(intersection(variables("acceptedIds"), body("Group_declined"))),
        ),
      ),
    );
    g.add("Wanted", compose(ifElse(empty(body("Direct_entries")), accountReceiver, outputs("Direct_receiver"))));
    g.add("Forget_found", setVariable("found", lit(null)));
    g.condition("Has_address", validEmail(email), (h) => {
      h.add("Find_receiver", cleverReachAction(cr, "GetGroupReceiver", { group_id: int(groupId), pool_id: email }));
      h.add("Remember_found", setVariable("found", body("Find_receiver")));
      h.condition(
        "Receiver_missing",
        not(equals(outputs("Find_receiver").get("statusCode"), 404)),
        (x) => {
          x.add(
            "Lookup_failed",
            terminate("Failed", {
              code: "ReceiverLookupFailed",
              message: concat("Reading the receiver from CleverReach group ", groupId, " failed: ", string(outputs("Find_receiver").get("body"))),
            }),
          );
        },
        { after: { Find_receiver: ["Failed"] } },
      );
    });
    g.add("No_old_addresses", setVariable("old", []));
    g.condition("If_not_found", equals(variables("found"), lit(null)), (n) => {
      // The address may have changed: a receiver of this person under another address is stale.
      readGroupReceivers(n, cr, "Read_group", groupId, "current", "page");
      n.add(
        "Old_addresses",
        filterArray(
          variables("current"),
          and(equals(item().get("global_attributes").get("crm_id"), personId), not(equals(toLower(item().get("email")), email))),
        ),
      );
      n.add("Keep_old", setVariable("old", body("Old_addresses")));
      n.forEach("Remove_old", variables("old"), (o) => {
        o.add("Remove_old_receiver", cleverReachAction(cr, "DeleteGroupReceiver", { group_id: int(groupId), pool_id: items("Remove_old").get("email") }));
      });
    });
    g.condition(
      "If_eligible",
      equals(outputs("Eligible"), true),
      (y) => {
        y.condition(
          "New_or_existing",
          equals(variables("found"), lit(null)),
          (add) => {
            // A person who unsubscribed under the old address stays unsubscribed under the new one (SPEC §6.5).
            add.add("Old_unsubscribed", filterArray(variables("old"), not(equals(item().get("active"), true))));
            add.add(
              "New_receiver",
              compose(
                addProperty(
                  addProperty(outputs("Wanted"), "registered", unixNow()),
                  ifElse(empty(body("Old_unsubscribed")), "activated", "deactivated"),
                  unixNow(),
                ),
              ),
            );
            add.add("Add_receiver", cleverReachAction(cr, "UpsertReceivers", { group_id: int(groupId), body: createArray(outputs("New_receiver")) }));
          },
          (existing) => {
            existing.add("Found_shape", compose(receiverFromCleverReach(variables("found"))));
            existing.condition("If_changed", not(equals(string(outputs("Found_shape")), string(outputs("Wanted")))), (c) => {
              // No activation fields: an unsubscribed receiver stays unsubscribed.
              c.add("Update_receiver", cleverReachAction(cr, "UpsertReceivers", { group_id: int(groupId), body: createArray(outputs("Wanted")) }));
            });
          },
        );
      },
      (no) => {
        no.condition("If_active_receiver", equals(variables("found").get("active"), true), (d) => {
          d.add("Remove_receiver", cleverReachAction(cr, "DeleteGroupReceiver", { group_id: int(groupId), pool_id: email }));
        });
      },
    );
  });
}

/** Deactivated or deleted: this person's active receivers leave every synced group. */
function removeEverywhere(s: ScopeBuilder, cr: string, p: PersonTable, personId: Ex): void {
  const owners = allSyncedOwners(s, "Removal");
  s.add("Removal_group_ids", select(outputs(owners), item().get("groupId")));
  s.forEach("Each_synced_group", union(body("Removal_group_ids"), body("Removal_group_ids")), (g) => {
    const groupId = items("Each_synced_group");
    readGroupReceivers(g, cr, "Read_synced_group", groupId, "current", "page");
    // Unsubscribed receivers stay, as in the Sync group: their state must not be lost.
    g.add(
      "Receivers_of_person",
      filterArray(
        variables("current"),
        and(
          equals(item().get("global_attributes").get("crm_id"), personId),
          equals(item().get("global_attributes").get("crm_table"), p.table),
          equals(item().get("active"), true),
        ),
      ),
    );
    g.forEach("Remove_person", body("Receivers_of_person"), (r) => {
      r.add("Remove_person_receiver", cleverReachAction(cr, "DeleteGroupReceiver", { group_id: int(groupId), pool_id: items("Remove_person").get("email") }));
    });
  });
}

export const personEventFlows = (): ProductFlow[] => PERSON_TABLES.map(personEventFlow);
