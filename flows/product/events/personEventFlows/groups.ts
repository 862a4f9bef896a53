import { COLUMNS } from "../../../../solution/src/model/handles";
import * as odata from "../../../toolkit/builder/odataFilter";
import { call, body, item, items, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { appendToArrayVariable, compose, filterArray, select } from "../../../toolkit/builder/actions";
import { listRows, PAGINATION_MAX } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { listsWithMember, NO_ID, ownerEntry, ownersOfLists, SYNCED_CONDITIONS } from "../../patterns/syncedOwners";
import { LIST_MEMBER_CODE } from "../../sync/groupOwners";
import { attributes, condition, entity, fetch, fetchXml, filter, linkEntity, narrowedStoredQuery, storedQuery } from "../../../toolkit/builder/fetchXml";
import { coalesce, empty, equals, ifElse, not, union } from "../../../toolkit/expr/functions";
import type { PersonTable } from "./personTables";

/** Dataverse conditions that narrow a dynamic list's query to this person (or accounts they head). */
function dynamicMatchFetch(p: PersonTable, personId: Ex, list: Ex): Ex {
  // Read as XML whatever its quoting: a text replace missed a query written with ' and matched everyone (issue 15, item 6).
  const query = storedQuery(list);
  const own = narrowedStoredQuery(query, p.table, filter(condition(p.idColumn, "eq", personId)));
  if (p.table === "lead") return own;
  const viaAccount = narrowedStoredQuery(query, "account", filter(condition("primarycontactid", "eq", personId), condition("statecode", "eq", 0)));
  return ifElse(equals(list.get("createdfromcode"), LIST_MEMBER_CODE.account), viaAccount, own);
}

/**
 * The synced groups this person is in, directly or through an account they head or a campaign:
 * owner entries in "Owners", their group ids in "Group_ids".
 */
export function findGroups(s: ScopeBuilder, p: PersonTable, person: Ex, personId: Ex): void {
  s.add(
    "Static_lists",
    listRows({
      entitySet: "lists",
      fetchXml: listsWithMember(filter(condition("entityid", "eq", personId))),
    }),
  );
  const memberCodes = p.table === "contact" ? [LIST_MEMBER_CODE[p.table], LIST_MEMBER_CODE.account] : [LIST_MEMBER_CODE[p.table]];
  const codes = odata.or(...memberCodes.map((code) => odata.eq("createdfromcode", odata.int(code))));
  s.add(
    "Dynamic_lists",
    listRows({
      entitySet: "lists",
      select: ["listid", "query", "createdfromcode"],
      filter: odata.filter(odata.and(odata.eq("type", odata.bool(true)), odata.eq("statecode", odata.int(0)), codes)),
      paginateTo: PAGINATION_MAX,
    }),
  );
  s.forEachOneAtATime("Each_dynamic_list", body("Dynamic_lists").get("value"), (l) => {
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
    // An account member stands for its primary contact (flows/product/README.md, "Eligibility").
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
      }),
    );
    s.add("Dynamic_account", filterArray(variables("matches"), equals(item().get("via"), "account")));
    s.add("Dynamic_account_ids", select(body("Dynamic_account"), item().get("id")));
    s.add("Account_static_ids", select(body("Account_static_lists").get("value"), item().get("listid")));
    const viaAccount = ownersOfLists(s, "Via_account", union(body("Account_static_ids"), body("Dynamic_account_ids")), "account");
    ownerSets.push(outputs(viaAccount));
  } else {
    // A lead belongs to the campaign it names as Source Campaign (flows/product/README.md, "Eligibility").
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
}
