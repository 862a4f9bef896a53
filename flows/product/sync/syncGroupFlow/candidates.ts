import { recordError } from "../../patterns/recordError";
import * as odata from "../../../toolkit/builder/odataFilter";
import { logAndStop } from "./syncLog";
import { body, item, items, outputs, tpl, variables, type Ex } from "../../../toolkit/expr/build";
import { appendToArrayVariable, compose, filterArray, select, setVariable, terminate } from "../../../toolkit/builder/actions";
import { COLUMNS } from "../../../../solution/src/model/handles";
import { getRow, listRows, updateRow } from "../../../toolkit/builder/dataverse";
import { CHECKLIST_STATE } from "../../../../pcf-checklist/src/checklist";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { LIST_MEMBER_CODE } from "../groupOwners";
import { CONTACT_SELECT, LEAD_SELECT, primaryContactOf } from "../receivers";
import { mappedColumns } from "../mappedFields";
import {
  attributes,
  condition,
  embed,
  entity,
  fetch,
  fetchXml,
  filter,
  linkEntity,
  order,
  prependToEntity,
  NO_STORED_QUERY,
  rootEntityOf,
  storedQuery,
  underNewRoot,
} from "../../../toolkit/builder/fetchXml";
import {
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
  isInt,
  join,
  json,
  length,
  not,
  or,
  startsWith,
  string,
  trim,
  union,
} from "../../../toolkit/expr/functions";
import { RECORD_CHECKLIST_ERROR, UNREADABLE_QUERY_ERROR } from "../../rules/eligibility";
import { wantedXpath } from "./personChecklist";
import { keepReadFailure, readFailed, readFailureOr } from "./readFailures";

/** The most linked lists one List rows action follows with its pagination policy (OData pages, documented). */
const ROWS_PER_QUERY = 100000;

/** A value that is a whole number as JSON has it (not "1", not 1.5, not null or an object): its text and its JSON agree. */
export const isWholeNumber = (v: Ex): Ex => and(isInt(string(v)), equals(string(createArray(v)), concat("[", string(v), "]")));

/** A checklist state 0, 1 or 2 as a JSON number (the string "1" is not one; equals() is not relied on to tell them apart). */
const isState = (v: Ex): Ex => contains(createArray("[0]", "[1]", "[2]"), string(createArray(v)));

/**
 * The record's checklist, checked before anything is read or written (flows/product/README.md,
 * "Eligibility"; the oracle is recordSelection()): an array of objects with a whole-number id, each
 * once, and a number state 0/1/2. Anything else stops the run with RECORD_CHECKLIST_ERROR and the
 * first row it could not read on the record: nothing is sent, nobody is removed.
 */
export function checklistEligibility(s: ScopeBuilder, record: Ex, entitySet: Ex, recordId: Ex): void {
  const stored = coalesce(record.get(COLUMNS.newsletterChecklist), "");
  s.add("Checklist", compose(json(ifElse(empty(trim(stored)), "[]", stored))));
  // string(createArray(x)) starts with "[[" only for an array and "[{" only for an object; a
  // checklist that is not an array becomes one row of its text, which is not a row.
  const parsed = outputs("Checklist");
  s.add("Checklist_rows", compose(ifElse(startsWith(string(createArray(parsed)), "[["), parsed, createArray(string(parsed)))));
  const isObject = startsWith(string(createArray(item())), "[{");
  s.add("Checklist_not_objects", filterArray(outputs("Checklist_rows"), not(isObject)));
  s.add("Checklist_objects", filterArray(outputs("Checklist_rows"), isObject));
  s.add("Checklist_bad_rows", filterArray(body("Checklist_objects"), not(and(isWholeNumber(item().get("id")), isState(item().get("state"))))));
  s.add("Checklist_ids", select(body("Checklist_objects"), item().get("id")));
  const invalid = or(
    not(empty(body("Checklist_not_objects"))),
    not(empty(body("Checklist_bad_rows"))),
    not(equals(length(union(body("Checklist_ids"), body("Checklist_ids"))), length(body("Checklist_ids")))),
  );
  s.condition("Checklist_invalid", invalid, (bad) => {
    const firstBad = coalesce(first(body("Checklist_not_objects")), first(body("Checklist_bad_rows")), "an id that appears twice");
    bad.add("Checklist_error", compose(concat(RECORD_CHECKLIST_ERROR, " First row that could not be read: ", string(firstBad))));
    bad.add("Write_checklist_error", updateRow(entitySet.value, recordId, { [COLUMNS.lastSyncError]: recordError(outputs("Checklist_error")) }));
    logAndStop(bad, "Stop_on_checklist", outputs("Checklist_error"), terminate("Failed", { code: "InvalidChecklist", message: outputs("Checklist_error") }));
  });
  s.add("Accepted_rows", filterArray(body("Checklist_objects"), equals(item().get("state"), CHECKLIST_STATE.accepted)));
  s.add("Declined_rows", filterArray(body("Checklist_objects"), equals(item().get("state"), CHECKLIST_STATE.declined)));
  // The record's types as XPath tests over each person's checklist ("id=0 or id=3"): whole numbers,
  // checked above, so nothing of the user's text reaches the XPath.
  const idTest = concat("id=", string(int(item().get("id"))));
  s.add("Sent_tests", select(body("Accepted_rows"), idTest));
  s.add("Excluded_tests", select(body("Declined_rows"), idTest));
  const excluded = ifElse(empty(body("Excluded_tests")), "false()", join(body("Excluded_tests"), " or "));
  s.add("Wanted_xpath", compose(wantedXpath(join(body("Sent_tests"), " or "), excluded)));
  // The query selects the candidates (active, with an address) and what decides eligibility: the
  // person's checklist, CleverReach's declines and the derived column, which reconcile() reads per row.
  s.add(
    "Eligibility",
    compose(
      fetchXml(
        ...attributes([COLUMNS.newsletterChecklist, COLUMNS.cleverReachDeclines, COLUMNS.acceptedTypes]),
        filter({ type: "and" }, condition("statecode", "eq", 0), condition("emailaddress1", "not-null")),
      ),
    ),
  );
}

/** The queries of the people of the record's lists (and a campaign's leads) who qualify, into the variable "queries". */
export function collectCandidates(s: ScopeBuilder, transfer: Ex, table: Ex, recordId: Ex, entitySet: Ex): void {
  const transfers = (t: string): Ex => contains(transfer, t);
  s.switch("Linked_lists", table, {
    list: { value: "list", body: (c) => c.add("Just_this_list", setVariable("listIds", createArray(recordId))) },
    campaign: {
      value: "campaign",
      body: (c) => {
        c.add(
          "Campaign_items",
          listRows({
            entitySet: "campaignitems",
            select: ["entityid"],
            filter: odata.filter(odata.and(odata.eq("_campaignid_value", odata.guid(recordId)), odata.eq("entitytype", odata.str("list")))),
            paginateTo: ROWS_PER_QUERY,
          }),
        );
        c.add("Campaign_list_ids", select(body("Campaign_items").get("value"), item().get("entityid")));
        c.add("Campaign_lists", setVariable("listIds", body("Campaign_list_ids")));
      },
    },
    campaignactivity: {
      value: "campaignactivity",
      body: (c) => {
        c.add(
          "Activity_items",
          listRows({
            entitySet: "campaignactivityitems",
            select: ["itemid"],
            filter: odata.filter(odata.and(odata.eq("_campaignactivityid_value", odata.guid(recordId)), odata.eq("itemobjecttypecode", odata.str("list")))),
            paginateTo: ROWS_PER_QUERY,
          }),
        );
        c.add("Activity_list_ids", select(body("Activity_items").get("value"), item().get("itemid")));
        c.add("Activity_lists", setVariable("listIds", body("Activity_list_ids")));
      },
    },
  });
  // Only the queries are gathered here (one per list, and a campaign's leads); reconcile() reads
  // their people a page at a time, so that nothing the size of the group is ever held.
  s.condition("Has_accepted_types", greater(length(body("Accepted_rows")), 0), (q) => {
    q.condition("Campaign_leads", and(equals(table, "campaign"), transfers("lead")), (l) => {
      const leadsOfCampaign = fetch(
        entity("lead", ...LEAD_SELECT, mappedColumns("lead"), embed(outputs("Eligibility")), filter(condition("campaignid", "eq", recordId)), order("leadid")),
      );
      l.add("Campaign_lead_query", appendToArrayVariable("queries", { entitySet: "leads", table: "lead", fetch: fetchXml(leadsOfCampaign) }));
    });
    q.forEachOneAtATime("Each_list", variables("listIds"), (l) => {
      const listId = items("Each_list");
      l.add("Get_list", { ...getRow("lists", listId, ["type", "createdfromcode", "query", "statecode"]) });
      const list = body("Get_list");
      const code = list.get("createdfromcode");
      l.add("Member_table", compose(ifElse(equals(code, LIST_MEMBER_CODE.account), "account", ifElse(equals(code, LIST_MEMBER_CODE.lead), "lead", "contact"))));
      const memberTable = outputs("Member_table");
      l.condition("Transferred", and(contains(transfer, memberTable), equals(list.get("statecode"), 0)), (m) => {
        const eligibility = embed(outputs("Eligibility"));
        const onThisList = (to: string) => linkEntity({ name: "listmember", from: "entityid", to, type: "inner" }, filter(condition("listid", "eq", listId)));
        m.add(
          "Static_contacts",
          compose(fetchXml(fetch(entity("contact", ...CONTACT_SELECT, mappedColumns("contact"), eligibility, onThisList("contactid"), order("contactid"))))),
        );
        m.add(
          "Static_leads",
          compose(fetchXml(fetch(entity("lead", ...LEAD_SELECT, mappedColumns("lead"), eligibility, onThisList("leadid"), order("leadid"))))),
        );
        const activeAccount = filter(condition("statecode", "eq", 0));
        const primaryContacts = entity(
          "contact",
          ...CONTACT_SELECT,
          mappedColumns("contact"),
          eligibility,
          primaryContactOf(activeAccount, onThisList("accountid")),
          order("contactid"),
        );
        m.add("Static_accounts", compose(fetchXml(fetch(primaryContacts))));
        const isLead = equals(memberTable, "lead");
        const queryOf = (fetchText: Ex) => ({ entitySet: ifElse(isLead, "leads", "contacts"), table: ifElse(isLead, "lead", "contact"), fetch: fetchText });
        // Dynamic lists: the list's own query, read as XML whatever its quoting (rootEntityOf), with
        // our columns and the candidates' filter put into its root entity (an account list yields the
        // accounts' primary contacts). A query that cannot be read so stops the run (below). A static
        // list reads "<fetch/>" here, which is not readable and not used.
        const dynamic = equals(list.get("type"), true);
        m.add("Stored_query", compose(ifElse(dynamic, storedQuery(list), NO_STORED_QUERY)));
        const root = (t: string) => rootEntityOf(outputs("Stored_query"), t);
        const byTable = (pick: (t: string) => Ex) => ifElse(equals(memberTable, "account"), pick("account"), ifElse(isLead, pick("lead"), pick("contact")));
        m.add("Query_root", compose({ text: byTable((t) => root(t).text), readable: byTable((t) => root(t).readable) }));
        const text = outputs("Query_root").get("text");
        m.add(
          "Dynamic_fetch",
          compose(
            ifElse(
              equals(memberTable, "account"),
              underNewRoot(text, "account", entity("contact", ...CONTACT_SELECT, mappedColumns("contact"), eligibility), primaryContactOf()),
              ifElse(
                isLead,
                prependToEntity(text, "lead", ...LEAD_SELECT, mappedColumns("lead"), eligibility),
                prependToEntity(text, "contact", ...CONTACT_SELECT, mappedColumns("contact"), eligibility),
              ),
            ),
          ),
        );
        const staticFetch = ifElse(
          isLead,
          outputs("Static_leads"),
          ifElse(equals(memberTable, "account"), outputs("Static_accounts"), outputs("Static_contacts")),
        );
        m.add("Member_fetch", compose(ifElse(dynamic, outputs("Dynamic_fetch"), staticFetch)));
        m.condition(
          "Query_readable",
          or(not(dynamic), equals(outputs("Query_root").get("readable"), true)),
          (ok) => ok.add("Member_query", appendToArrayVariable("queries", queryOf(outputs("Member_fetch")))),
          (bad) => bad.add("Note_unreadable_query", appendToArrayVariable("unreadableQueries", listId)),
        );
      });
      keepReadFailure(l, "lists", variables("groupId"));
    });
    // A list that could not be read stops the run here too, in its own words (readFailures.ts).
    q.condition("Queries_unreadable", or(not(empty(variables("unreadableQueries"))), readFailed()), (stop) => {
      stop.add("Query_error", compose(readFailureOr(concat(UNREADABLE_QUERY_ERROR, join(variables("unreadableQueries"), ", ")))));
      stop.add("Write_query_error", updateRow(entitySet.value, recordId, { [COLUMNS.lastSyncError]: recordError(outputs("Query_error")) }));
      stop.add(
        "Stop_on_query",
        terminate("Failed", { code: tpl`${ifElse(readFailed(), "SyncFailed", "UnreadableListQuery")}`, message: outputs("Query_error") }),
      );
    });
  });
}
