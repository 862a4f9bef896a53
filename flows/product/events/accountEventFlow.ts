import { label } from "../../../solution/src/labels";
import * as odata from "../../toolkit/builder/odataFilter";
import { body, item, items, triggerOutputs, variables, outputs, type Ex } from "../../toolkit/expr/build";
import { appendToArrayVariable, initializeVariable, runChildFlow, select } from "../../toolkit/builder/actions";
import { listRows, PAGINATION_MAX, rowTrigger } from "../../toolkit/builder/dataverse";
import { ProductFlow } from "../patterns/productFlow";
import { failRun } from "../../toolkit/builder/failRun";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { allSyncedOwners, listsWithMember, ownersOfLists } from "../patterns/syncedOwners";
import { condition, filter, linkEntity, narrowedStoredQuery, storedQuery } from "../../toolkit/builder/fetchXml";
import { LIST_MEMBER_CODE } from "../sync/groupOwners";
import { concat, empty, equals, ifElse, not, union } from "../../toolkit/expr/functions";
import { SYNC_GROUP_CALL } from "../patterns/childFlows";

/**
 * "CleverReach - Account changed" (see flows/product/events/README.md, "Account events").
 * An account change can touch many
 * receivers (all contacts whose company it is), so nothing is done per person: the Sync group child
 * flow reconciles each affected group in bulk. Affected are the groups reached through lists that
 * hold the account (its primary contact) or its contacts, statically or by a dynamic list's query.
 * After a delete those links are gone with the row, so every synced group is reconciled.
 */
export function accountEventFlow(syncGroupId: string): ProductFlow {
  const f = new ProductFlow({
    key: "account-event",
    displayName: label("CleverReach - Account changed", "CleverReach - Firma geändert"),
    purpose: "Syncs every group that reaches an account's contacts when its name, primary contact or status changes, or it is deleted.",
  });
  f.useDataverse();
  f.trigger("When_an_account_changes", rowTrigger({ message: "any", table: "account", filteringAttributes: ["name", "primarycontactid", "statecode"] }));
  const a = f.actions;
  const accountId = triggerOutputs().get("body/accountid");
  a.add("Init_matches", initializeVariable("matches", "array", []));
  a.tryCatch(
    "Try",
    (t) => {
      t.condition(
        "Deleted",
        equals(triggerOutputs().get("body/SdkMessage"), "Delete"),
        (d) => {
          const all = allSyncedOwners(d, "Every");
          d.add("Every_owner", select(outputs(all), { table: item().get("table"), id: item().get("id") }));
          syncEach(d, syncGroupId, "Sync_every_group", body("Every_owner"));
        },
        (c) => affectedGroups(c, syncGroupId, accountId),
      );
    },
    failRun({
      code: "AccountSyncFailed",
      errorText: (step, message) => concat("CleverReach update for account ", accountId, " failed at ", step, ": ", message),
    }),
  );
  return f;
}

/** One Sync group run per distinct owner (union() of the array with itself drops duplicates). */
function syncEach(s: ScopeBuilder, syncGroupId: string, name: string, owners: Ex): void {
  s.forEach(name, union(owners, owners), (l) => {
    l.add(`${name}_run`, runChildFlow(syncGroupId, { table: items(name).get("table"), id: items(name).get("id") }, SYNC_GROUP_CALL));
  });
}

function affectedGroups(s: ScopeBuilder, syncGroupId: string, accountId: Ex): void {
  s.add(
    "Lists_with_account",
    listRows({
      entitySet: "lists",
      fetchXml: listsWithMember(filter(condition("entityid", "eq", accountId))),
    }),
  );
  s.add(
    "Lists_with_its_contacts",
    listRows({
      entitySet: "lists",
      fetchXml: listsWithMember(
        linkEntity({ name: "contact", from: "contactid", to: "entityid", type: "inner" }, filter(condition("parentcustomerid", "eq", accountId))),
      ),
    }),
  );
  s.add(
    "Dynamic_lists",
    listRows({
      entitySet: "lists",
      select: ["listid", "query", "createdfromcode"],
      filter: odata.filter(
        odata.and(
          odata.eq("type", odata.bool(true)),
          odata.eq("statecode", odata.int(0)),
          odata.or(odata.eq("createdfromcode", odata.int(LIST_MEMBER_CODE.account)), odata.eq("createdfromcode", odata.int(LIST_MEMBER_CODE.contact))),
        ),
      ),
      paginateTo: PAGINATION_MAX,
    }),
  );
  s.forEachOneAtATime("Each_dynamic_list", body("Dynamic_lists").get("value"), (l) => {
    const list = items("Each_dynamic_list");
    const query = storedQuery(list);
    const isAccountList = equals(list.get("createdfromcode"), LIST_MEMBER_CODE.account);
    // The list's own query narrowed to this account, or to contacts whose company it is.
    const narrowed = ifElse(
      isAccountList,
      narrowedStoredQuery(query, "account", filter(condition("accountid", "eq", accountId))),
      narrowedStoredQuery(query, "contact", filter(condition("parentcustomerid", "eq", accountId))),
    );
    l.add("Match_account", listRows({ entitySet: ifElse(isAccountList, "accounts", "contacts").value, fetchXml: narrowed }));
    l.condition("If_matched", not(empty(body("Match_account").get("value"))), (m) => {
      m.add("Remember_match", appendToArrayVariable("matches", list.get("listid")));
    });
  });
  s.add("Account_list_ids", select(body("Lists_with_account").get("value"), item().get("listid")));
  s.add("Contact_list_ids", select(body("Lists_with_its_contacts").get("value"), item().get("listid")));
  const owners = ownersOfLists(s, "Affected", union(body("Account_list_ids"), body("Contact_list_ids"), variables("matches")), "");
  s.add("Affected_owner", select(outputs(owners), { table: item().get("table"), id: item().get("id") }));
  syncEach(s, syncGroupId, "Sync_affected_group", body("Affected_owner"));
}
