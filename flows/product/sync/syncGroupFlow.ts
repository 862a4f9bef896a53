import { label } from "../../../solution/src/labels";
import { CHECKLIST_STATE } from "../../../pcf-checklist/src/checklist";
import { MAX_PAGE_SIZE, UPSERT_BATCH_LIMIT } from "../../../connector/src/definition/definitions";
import { COLUMNS, ENV, TABLES } from "../../../solution/src/model/handles";
import { call, actions, body, item, items, lit, outputs, tpl, triggerBody, variables, type Ex } from "../../toolkit/expr/build";
import {
  appendToArrayVariable,
  compose,
  filterArray,
  incrementVariable,
  initializeVariable,
  response,
  select,
  setVariable,
  terminate,
  type Value,
} from "../../toolkit/builder/actions";
import { cleverReachAction } from "../patterns/cleverreach";
import { getRow, listRows, updateRow, upsertRow } from "../../toolkit/builder/dataverse";
import { ProductFlow } from "../patterns/productFlow";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { childFlowTrigger } from "../../toolkit/builder/triggers";
import { failRun } from "../../toolkit/builder/catchFailures";
import { keyedBy } from "../patterns/keyedBy";
import { unixNow } from "../patterns/unixTime";
import { TRANSFER_TABLES } from "../rules/eligibility";
import { validEmail } from "./expressions";
import { GROUP_OWNERS, LIST_MEMBER_CODE, RECEIVER_ATTRIBUTES } from "./groupOwners";
import { CONTACT_COLUMNS, CONTACT_SELECT, LEAD_SELECT, primaryContactCompany, receiverFromCleverReach, receiverFromPerson } from "./receivers";
import { attributes, condition, embed, entity, fetch, fetchXml, filter, linkEntity, prependToEntity, text, underNewRoot } from "../../toolkit/builder/fetchXml";
import {
  addProperty,
  and,
  chunk,
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
  less,
  not,
  or,
  string,
  toLower,
  trim,
  union,
  utcNow,
} from "../../toolkit/expr/functions";

/** The most rows one List rows action follows with its pagination policy. */
const ROWS_PER_QUERY = 100000;
/** Receivers removed in parallel (each removal is one call: CleverReach has no batch delete). */
const REMOVAL_CONCURRENCY = 20;

/** The receivers of `from` keyed by e-mail address, in the Compose `<name>_by_email`. */
const keyedByEmail = (s: ScopeBuilder, name: string, from: Ex): string =>
  keyedBy(s, { entries: `${name}_entries`, keyed: `${name}_by_email` }, from, item().get("email"));

/** The transfer setting's problem, in the words of transferTablesProblem(). */
const TRANSFER_SETTING_ERROR = `${ENV.transferTables.schemaName} names a table other than ${TRANSFER_TABLES.slice(0, -1).join(", ")} and ${TRANSFER_TABLES[TRANSFER_TABLES.length - 1]}`;

/**
 * "CleverReach - Sync group": makes a record's CleverReach group match the CRM exactly (SPEC §6.3
 * "Update Synchronisation"). Called with `{ table, id }` by the menu flows and the event flows.
 *
 * Cost: the record, its linked lists and one query per list (paged 5000 rows) from Dataverse; one
 * group list, one attribute list and ceil(receivers/5000) pages from CleverReach; then only what
 * changed: one upsert per 1000 new or changed receivers and one call per receiver to remove.
 * People are selected in the query (derived accepted-types column) and compared as whole sets.
 */
export function syncGroupFlow(): ProductFlow {
  const f = new ProductFlow({ key: "sync-group", displayName: label("CleverReach - Sync group", "CleverReach - Gruppe synchronisieren") });
  f.useDataverse();
  const cr = f.useCleverReach();
  const prefix = f.environmentVariable(ENV.groupPrefix);
  const transfer = f.environmentVariable(ENV.transferTables);
  const protection = f.environmentVariable(ENV.deletionProtection);
  f.trigger(
    "manual",
    childFlowTrigger({
      type: "object",
      properties: { table: { type: "string", enum: GROUP_OWNERS.map((o) => o.table) }, id: { type: "string" } },
      required: ["table", "id"],
    }),
  );
  const a = f.actions;
  const table = triggerBody().get("table");
  const recordId = triggerBody().get("id");
  const ownerMap: Record<string, Value> = {};
  for (const o of GROUP_OWNERS) ownerMap[o.table] = { entitySet: o.entitySet, nameColumn: o.nameColumn };
  const owner = (key: string): Ex => outputs("Owner").get(table).get(key);
  const record = body("Get_record");
  const groupId = variables("groupId");

  a.add("Init_group_id", initializeVariable("groupId", "string", ""));
  a.add("Init_candidates", initializeVariable("candidates", "array", []));
  a.add("Init_current", initializeVariable("current", "array", []));
  a.add("Init_page", initializeVariable("page", "integer", 0));
  a.add("Init_list_ids", initializeVariable("listIds", "array", []));
  a.add("Init_changed", initializeVariable("changed", "boolean", false));
  a.add("Init_removal_errors", initializeVariable("removalErrors", "array", []));
  a.add("Owner", compose(ownerMap));
  // Invalid configuration stops before anything is read or written (SPEC §4).
  a.condition("Check_transfer_setting", not(equals(length(intersection(transfer, call("createArray", ...TRANSFER_TABLES))), length(transfer))), (bad) => {
    bad.add("Transfer_setting_error", updateRow(owner("entitySet").value, recordId, { [COLUMNS.lastSyncError]: TRANSFER_SETTING_ERROR }));
    bad.add("Stop_on_transfer_setting", terminate("Failed", { code: "InvalidConfiguration", message: TRANSFER_SETTING_ERROR }));
  });

  a.tryCatch(
    "Try",
    (t) => {
      // All columns: the name column differs per table, and it is one row.
      t.add("Get_record", getRow(owner("entitySet").value, recordId));
      t.add("Checklist", compose(json(coalesce(record.get(COLUMNS.newsletterChecklist), "[]"))));
      t.add("Accepted_rows", filterArray(outputs("Checklist"), equals(item().get("state"), CHECKLIST_STATE.accepted)));
      // The derived column holds the accepted type ids as ",0,3,": one like condition per type.
      const acceptedType = (operator: "like" | "not-like") => fetchXml(condition(COLUMNS.acceptedTypes, operator, text("%,", item().get("id"), ",%")));
      t.add("Accepted_conditions", select(body("Accepted_rows"), acceptedType("like")));
      t.add("Declined_rows", filterArray(outputs("Checklist"), equals(item().get("state"), CHECKLIST_STATE.declined)));
      t.add("Declined_conditions", select(body("Declined_rows"), acceptedType("not-like")));
      t.add(
        "Eligibility",
        compose(
          fetchXml(
            filter(
              { type: "and" },
              condition("statecode", "eq", 0),
              condition("emailaddress1", "not-null"),
              filter({ type: "or" }, embed(join(body("Accepted_conditions"), ""))),
              filter({ type: "and" }, embed(join(body("Declined_conditions"), ""))),
            ),
          ),
        ),
      );
      t.condition("Synced_and_active", and(equals(record.get(COLUMNS.syncWithCleverReach), true), equals(record.get("statecode"), 0)), (s) => {
        ensureGroup(s, cr, prefix, protection, owner, record, recordId);
        collectCandidates(s, transfer, table, recordId);
        reconcile(s, cr, groupId, owner("entitySet"), recordId);
        s.condition(
          "Stamp_if_changed",
          or(variables("changed"), greater(length(body("To_upsert")), 0), greater(length(body("To_remove")), 0), not(empty(record.get(COLUMNS.lastSyncError)))),
          (w) => {
            w.add("Stamp_record", updateRow(owner("entitySet").value, recordId, { [COLUMNS.lastSyncOn]: utcNow(), [COLUMNS.lastSyncError]: null }));
          },
        );
      });
    },
    failRun({
      code: "SyncFailed",
      errorText: (step, message) => concat("CleverReach sync failed at ", step, ": ", message),
      report: (c, text) => c.add("Write_error", updateRow(owner("entitySet").value, recordId, { [COLUMNS.lastSyncError]: text })),
    }),
  );
  a.add("Reply", response(200, { groupId: variables("groupId") }), "Try");
  return f;
}

/** Finds the record's group (by the stored id) or creates it; renames it / updates its description when they changed. */
function ensureGroup(s: ScopeBuilder, cr: string, prefix: Ex, protection: Ex, owner: (k: string) => Ex, record: Ex, recordId: Ex): void {
  s.add("Set_group_id", setVariable("groupId", coalesce(record.get(COLUMNS.cleverReachGroupId), "")));
  s.add("Group_name", compose(concat(prefix, trim(coalesce(record.get(owner("nameColumn")), "")))));
  s.add("Group_description", compose(coalesce(record.get("description"), "")));
  s.add("List_groups", cleverReachAction(cr, "ListGroups", {}));
  s.add("Existing_group", filterArray(body("List_groups"), equals(string(item().get("id")), variables("groupId"))));
  s.condition(
    "Ensure_group",
    empty(body("Existing_group")),
    (create) => {
      create.add(
        "Create_group",
        cleverReachAction(cr, "CreateGroup", {
          "body/name": outputs("Group_name"),
          "body/receiver_info": outputs("Group_description"),
          "body/locked": protection,
        }),
      );
      create.add("Remember_group_id", setVariable("groupId", string(body("Create_group").get("id"))));
      // The link outlives the record, so that the group can still be found when it is deleted.
      create.add(
        "Write_group_link",
        upsertRow(TABLES.groupLink.entitySet, recordId, {
          [COLUMNS.name]: outputs("Group_name"),
          [COLUMNS.groupId]: variables("groupId"),
          [COLUMNS.recordTable]: triggerBody().get("table"),
          [COLUMNS.recordId]: recordId,
        }),
      );
      // Stored at once, so that a run failing later continues with this group next time.
      create.add("Write_group_id", updateRow(owner("entitySet").value, recordId, { [COLUMNS.cleverReachGroupId]: variables("groupId") }));
      create.add("Created", setVariable("changed", true));
    },
    (existing) => {
      const current = first(body("Existing_group"));
      existing.condition(
        "Rename_if_needed",
        or(not(equals(current.get("name"), outputs("Group_name"))), not(equals(coalesce(current.get("receiver_info"), ""), outputs("Group_description")))),
        (rename) => {
          rename.add(
            "Rename_group",
            cleverReachAction(cr, "UpdateGroup", {
              group_id: int(variables("groupId")),
              "body/name": outputs("Group_name"),
              "body/receiver_info": outputs("Group_description"),
            }),
          );
          rename.add("Renamed", setVariable("changed", true));
        },
      );
    },
  );
  s.add("List_attributes", cleverReachAction(cr, "ListAttributes", {}));
  s.add("Attribute_names", select(body("List_attributes"), item().get("name")));
  const wanted: Value = RECEIVER_ATTRIBUTES.map((x) => ({ name: x.name, description: x.description }));
  s.add("Missing_attributes", filterArray(wanted, not(contains(body("Attribute_names"), item().get("name")))));
  s.forEach("Create_attributes", body("Missing_attributes"), (l) => {
    l.add(
      "Create_attribute",
      cleverReachAction(cr, "CreateGlobalAttribute", {
        "body/name": items("Create_attributes").get("name"),
        "body/type": "text",
        "body/description": items("Create_attributes").get("description"),
      }),
    );
  });
  // Two first syncs running at once both find the attributes missing, and the slower creation is
  // refused. That is fine when the attributes exist now; otherwise the first still-missing one is
  // created once more, so that a real refusal fails the run with CleverReach's own message.
  s.condition(
    "Recheck_attributes",
    equals(actions("Create_attributes").get("status"), "Failed"),
    (r) => {
      r.add("Attributes_now", cleverReachAction(cr, "ListAttributes", {}));
      r.add("Attribute_names_now", select(body("Attributes_now"), item().get("name")));
      r.add("Still_missing", filterArray(wanted, not(contains(body("Attribute_names_now"), item().get("name")))));
      r.condition("Any_still_missing", greater(length(body("Still_missing")), 0), (x) => {
        const missing = first(body("Still_missing"));
        x.add(
          "Create_missing_attribute",
          cleverReachAction(cr, "CreateGlobalAttribute", {
            "body/name": missing.get("name"),
            "body/type": "text",
            "body/description": missing.get("description"),
          }),
        );
      });
    },
    { after: { Create_attributes: ["Succeeded", "Failed"] } },
  );
}

/** The people of the record's lists (and a campaign's leads) who qualify, as receivers. */
function collectCandidates(s: ScopeBuilder, transfer: Ex, table: Ex, recordId: Ex): void {
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
            filter: tpl`_campaignid_value eq ${recordId} and entitytype eq 'list'`,
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
            filter: tpl`_campaignactivityid_value eq ${recordId} and itemobjecttypecode eq 'list'`,
            paginateTo: ROWS_PER_QUERY,
          }),
        );
        c.add("Activity_list_ids", select(body("Activity_items").get("value"), item().get("itemid")));
        c.add("Activity_lists", setVariable("listIds", body("Activity_list_ids")));
      },
    },
  });
  s.condition("Has_accepted_types", greater(length(body("Accepted_rows")), 0), (q) => {
    q.condition("Campaign_leads", and(equals(table, "campaign"), transfers("lead")), (l) => {
      l.add(
        "List_campaign_leads",
        listRows({
          entitySet: "leads",
          fetchXml: fetchXml(fetch(entity("lead", ...LEAD_SELECT, embed(outputs("Eligibility")), filter(condition("campaignid", "eq", recordId))))),
          paginateTo: ROWS_PER_QUERY,
        }),
      );
      l.add("Campaign_lead_receivers", select(body("List_campaign_leads").get("value"), receiverFromPerson(item(), lit("lead"))));
      l.add("Keep_campaign_leads", setVariable("candidates", body("Campaign_lead_receivers")));
    });
    q.forEach("Each_list", variables("listIds"), (l) => {
      const listId = items("Each_list");
      l.add("Get_list", { ...getRow("lists", listId, ["type", "createdfromcode", "query", "statecode"]) });
      const list = body("Get_list");
      const code = list.get("createdfromcode");
      l.add("Member_table", compose(ifElse(equals(code, LIST_MEMBER_CODE.account), "account", ifElse(equals(code, LIST_MEMBER_CODE.lead), "lead", "contact"))));
      const memberTable = outputs("Member_table");
      l.condition("Transferred", and(contains(transfer, memberTable), equals(list.get("statecode"), 0)), (m) => {
        const eligibility = embed(outputs("Eligibility"));
        const onThisList = (to: string) => linkEntity({ name: "listmember", from: "entityid", to, type: "inner" }, filter(condition("listid", "eq", listId)));
        m.add("Static_contacts", compose(fetchXml(fetch(entity("contact", ...CONTACT_SELECT, eligibility, onThisList("contactid"))))));
        m.add("Static_leads", compose(fetchXml(fetch(entity("lead", ...LEAD_SELECT, eligibility, onThisList("leadid"))))));
        const activeAccount = filter(condition("statecode", "eq", 0));
        m.add(
          "Static_accounts",
          compose(
            fetchXml(fetch(entity("contact", ...attributes(CONTACT_COLUMNS), eligibility, primaryContactCompany(activeAccount, onThisList("accountid"))))),
          ),
        );
        // Dynamic lists: the list's own query, with our columns and the eligibility filter
        // put into its root entity (an account list yields the accounts' primary contacts).
        const query = coalesce(list.get("query"), "");
        m.add(
          "Dynamic_fetch",
          compose(
            ifElse(
              equals(memberTable, "account"),
              underNewRoot(query, "account", entity("contact", ...attributes(CONTACT_COLUMNS), eligibility), primaryContactCompany()),
              ifElse(
                equals(memberTable, "lead"),
                prependToEntity(query, "lead", ...LEAD_SELECT, eligibility),
                prependToEntity(query, "contact", ...CONTACT_SELECT, eligibility),
              ),
            ),
          ),
        );
        m.add(
          "Member_fetch",
          compose(
            ifElse(
              equals(list.get("type"), true),
              outputs("Dynamic_fetch"),
              ifElse(
                equals(memberTable, "lead"),
                outputs("Static_leads"),
                ifElse(equals(memberTable, "account"), outputs("Static_accounts"), outputs("Static_contacts")),
              ),
            ),
          ),
        );
        m.add(
          "List_members",
          listRows({
            entitySet: ifElse(equals(memberTable, "lead"), "leads", "contacts").value,
            fetchXml: outputs("Member_fetch"),
            paginateTo: ROWS_PER_QUERY,
          }),
        );
        m.add(
          "Member_receivers",
          select(body("List_members").get("value"), receiverFromPerson(item(), ifElse(equals(memberTable, "lead"), "lead", "contact"))),
        );
        // union() also drops exact duplicates (a person on two of the lists).
        m.add("Merge_members", compose(union(variables("candidates"), body("Member_receivers"))));
        m.add("Keep_members", setVariable("candidates", outputs("Merge_members")));
      });
    });
  });
}

/** Compares wanted and current receivers as keyed sets; sends only the differences. */
function reconcile(s: ScopeBuilder, cr: string, groupId: Ex, entitySet: Ex, recordId: Ex): void {
  s.add("Valid_candidates", filterArray(variables("candidates"), validEmail(item().get("email"))));
  const desiredByEmail = keyedByEmail(s, "Desired", body("Valid_candidates"));
  // One receiver per e-mail address: the one the keyed object kept.
  s.add("Desired", filterArray(body("Valid_candidates"), equals(string(outputs(desiredByEmail).get(item().get("email"))), string(item()))));
  s.until(
    "Read_receivers",
    less(length(coalesce(body("Receivers_page"), json("[]"))), MAX_PAGE_SIZE),
    (u) => {
      u.add(
        "Receivers_page",
        cleverReachAction(cr, "ListGroupReceivers", { group_id: int(groupId), page: variables("page"), pagesize: MAX_PAGE_SIZE, type: "all" }),
      );
      u.add("Merge_page", compose(union(variables("current"), body("Receivers_page"))));
      u.add("Keep_page", setVariable("current", outputs("Merge_page")));
      u.add("Next_page", incrementVariable("page", 1));
    },
    { limit: { count: 1000, timeout: "PT6H" } },
  );
  s.add("Current", select(variables("current"), receiverFromCleverReach(item())));
  const currentByEmail = keyedByEmail(s, "Current", body("Current"));
  s.add("To_upsert", filterArray(body("Desired"), not(equals(string(outputs(currentByEmail).get(item().get("email"))), string(item())))));
  // New receivers are signed up and activated now; existing ones are sent without activation
  // fields, so a receiver who unsubscribed in CleverReach stays unsubscribed (SPEC §6.5).
  s.add(
    "Upserts",
    select(
      body("To_upsert"),
      ifElse(
        equals(outputs(currentByEmail).get(item().get("email")), lit(null)),
        addProperty(addProperty(item(), "registered", unixNow()), "activated", unixNow()),
        item(),
      ),
    ),
  );
  s.forEach("Upsert_batches", chunk(body("Upserts"), UPSERT_BATCH_LIMIT), (b) => {
    b.add("Upsert_receivers", cleverReachAction(cr, "UpsertReceivers", { group_id: int(groupId), body: items("Upsert_batches") }));
  });
  // Only active receivers are removed: an unsubscribed one keeps its state in the group.
  s.add(
    "To_remove",
    filterArray(
      variables("current"),
      and(equals(item().get("active"), true), equals(outputs(desiredByEmail).get(toLower(coalesce(item().get("email"), ""))), lit(null))),
    ),
  );
  s.forEach(
    "Remove_receivers",
    body("To_remove"),
    (r) => {
      r.add("Remove_receiver", cleverReachAction(cr, "DeleteGroupReceiver", { group_id: int(groupId), pool_id: items("Remove_receivers").get("email") }));
      // Runs of event flows overlap: another run may have removed this receiver a moment ago, so
      // 404 means done. Any other failure is collected and fails the run after the loop.
      r.condition(
        "Unless_already_gone",
        not(equals(outputs("Remove_receiver").get("statusCode"), 404)),
        (e) => {
          e.add(
            "Note_removal_error",
            appendToArrayVariable("removalErrors", concat(items("Remove_receivers").get("email"), ": ", string(outputs("Remove_receiver").get("body")))),
          );
        },
        { after: { Remove_receiver: ["Failed"] } },
      );
    },
    { concurrency: REMOVAL_CONCURRENCY },
  );
  s.condition("Check_removals", greater(length(variables("removalErrors")), 0), (e) => {
    e.add("Removal_error", compose(concat("CleverReach sync failed at Remove_receiver: ", join(variables("removalErrors"), "; "))));
    e.add("Write_removal_error", updateRow(entitySet.value, recordId, { [COLUMNS.lastSyncError]: outputs("Removal_error") }));
    e.add("Stop_on_removal_error", terminate("Failed", { code: "SyncFailed", message: outputs("Removal_error") }));
  });
}
