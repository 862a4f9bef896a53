import { COLUMNS } from "../../../../solution/src/model/handles";
import { CONTACT, LEAD } from "../../../../solution/src/model/tables";
import { MAX_PAGE_SIZE } from "../../../../connector/src/definition/definitions";
import { body, call, item, items, outputs, result, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, incrementVariable, initializeVariable, select, setVariable, type Value } from "../../../toolkit/builder/actions";
import { addRow, listRows, performUnboundAction } from "../../../toolkit/builder/dataverse";
import { attributes, condition, embed, entity, fetch, fetchXmlExpression, filter, text, value } from "../../../toolkit/builder/fetchXml";
import { addressPattern } from "../../patterns/sameAddress";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import {
  addProperty,
  and,
  chunk,
  coalesce,
  concat,
  contains,
  equals,
  greater,
  ifElse,
  int,
  join,
  json,
  length,
  lessOrEquals,
  not,
  string,
  sub,
  toLower,
  union,
} from "../../../toolkit/expr/functions";
import { cleverReachAction } from "../../patterns/cleverreach";
import { normalizedEmail, validEmail } from "../expressions";
import { acceptedRow, setChecklists } from "./checklists";
import { LIST_MEMBER_CODE } from "../groupOwners";

/** The run's counts for the sync log (log.ts) and its working sets, as run variables. */
export const IMPORT_COUNTS = {
  matched: "importMatched",
  created: "importCreated",
  accepted: "importAccepted",
  declinedInCrm: "importDeclinedInCrm",
  declinedInCleverReach: "importDeclinedInCleverReach",
  unreadable: "importUnreadable",
  notWritten: "importNotWritten",
  invalid: "importInvalid",
  bounced: "importBounced",
  inactive: "importInactive",
  notCreated: "importNotCreated",
  listed: "importListed",
  /** The addresses listed in the sync log (mode log), an array. */
  unmatched: "importUnmatched",
} as const;

const PAGE = {
  number: "importPage",
  more: "importMore",
  matched: "importPageMatched",
  unmatched: "importPageUnmatched",
  created: "importPageCreated",
  checked: "importPageChecked",
  spelled: "importPageSpelled",
} as const;

/**
 * Addresses per matching query. The query goes into the request URL (List rows, fetchXml), which
 * holds at most 16,384 characters (limits-and-config.md, "Request URL character limit"; the simulator
 * refuses a longer one). An address is put in one `<value>` each, escaped and URL-encoded: an address
 * whose encoded value has at most SHORT_VALUE characters goes in a query of SHORT_PER_QUERY (80 × 150 =
 * 12,000), a longer one (up to 254 characters, each at most 10 when encoded: `'` becomes `%26apos%3B`)
 * in one of LONG_PER_QUERY (5 × 2,600 = 13,000); the rest of the query stays under 2,000.
 */
export const SHORT_VALUE = 150;
export const SHORT_PER_QUERY = 80;
export const LONG_PER_QUERY = 5;
/**
 * Addresses per `like` query for those an `in` query did not find: a condition costs about 110 URL
 * characters besides its value, so 20 short ones (20 × 260) or the at most 5 long ones of a chunk
 * (5 × 1,100: an address of up to 100 characters, each at most 10 when escaped and encoded) fit.
 */
export const LIKE_PER_QUERY = 20;
/** Members per AddListMembersList call (tests/fakes/dataverse/relationships.ts, ADD_LIST_MEMBERS_MAX). */
export const MEMBERS_PER_CALL = 1000;
/** Checklist writes and creations at once (the platform's default for Apply to each is 20; limits-and-config.md). */
const AT_ONCE = 20;

const PERSON_COLUMNS = ["emailaddress1", "statecode", COLUMNS.newsletterChecklist, COLUMNS.cleverReachDeclines];

export function initImportCounts(a: ScopeBuilder): void {
  for (const [key, name] of Object.entries(IMPORT_COUNTS)) {
    a.add(`Init_${name}`, initializeVariable(name, key === "unmatched" ? "array" : "integer", key === "unmatched" ? [] : 0));
  }
  a.add("Init_import_page", initializeVariable(PAGE.number, "integer", 0));
  a.add("Init_import_more", initializeVariable(PAGE.more, "boolean", true));
  a.add("Init_page_matched", initializeVariable(PAGE.matched, "array", []));
  a.add("Init_page_unmatched", initializeVariable(PAGE.unmatched, "array", []));
  a.add("Init_page_created", initializeVariable(PAGE.created, "array", []));
  a.add("Init_page_checked", initializeVariable(PAGE.checked, "array", []));
  a.add("Init_page_spelled", initializeVariable(PAGE.spelled, "array", []));
}

/**
 * The people of one page of receivers, matched, created or listed, made members, their checklists
 * set: Until "Import_pages" over the group's active receivers, 5000 a page (the most CleverReach
 * serves), so that what the run holds never grows with the group.
 */
export function importPages(t: ScopeBuilder, cr: string, list: Ex, listId: Ex, groupId: Ex, mode: Ex): void {
  const isLead = equals(list.get("createdfromcode"), LIST_MEMBER_CODE.lead);
  const member = (k: "set" | "id" | "type"): Ex => outputs("Member").get(k);
  t.add(
    "Member",
    compose(
      ifElse(
        isLead,
        json(`{"set":"${LEAD.entitySetName}","id":"leadid","type":"Microsoft.Dynamics.CRM.lead"}`),
        json(`{"set":"${CONTACT.entitySetName}","id":"contactid","type":"Microsoft.Dynamics.CRM.contact"}`),
      ),
    ),
  );
  // Receivers CleverReach holds as inactive (unsubscribed, bounced and deactivated) are not read.
  t.add("Group_stats", cleverReachAction(cr, "GetGroupStats", { group_id: int(groupId) }));
  t.add("Count_inactive", setVariable(IMPORT_COUNTS.inactive, int(coalesce(body("Group_stats").get("inactive_count"), 0))));
  // What a created person's checklist holds: the list's types, accepted by CleverReach now.
  t.add("New_rows", select(body("Sent_rows"), acceptedRow(item())));
  t.add("New_key", compose(concat(",", join(body("Sent_ids"), ","), ",")));
  t.until(
    "Import_pages",
    not(variables(PAGE.more)),
    (u) => {
      u.add(
        "Receivers_page",
        cleverReachAction(cr, "ListGroupReceivers", { group_id: int(groupId), page: variables(PAGE.number), pagesize: MAX_PAGE_SIZE, type: "active" }),
      );
      u.add(
        "Page_receivers",
        select(body("Receivers_page"), {
          email: normalizedEmail(item().get("email")),
          bounced: int(coalesce(item().get("bounced"), 0)),
          firstname: string(coalesce(item().get("global_attributes").get("firstname"), "")),
          lastname: string(coalesce(item().get("global_attributes").get("lastname"), "")),
          salutation: string(coalesce(item().get("global_attributes").get("salutation"), "")),
        } as Value),
      );
      u.add("Page_bounced", filterArray(body("Page_receivers"), greater(item().get("bounced"), 0)));
      u.add("Page_not_bounced", filterArray(body("Page_receivers"), equals(item().get("bounced"), 0)));
      u.add("Page_valid", filterArray(body("Page_not_bounced"), validEmail(item().get("email"))));
      u.add("Count_bounced", incrementVariable(IMPORT_COUNTS.bounced, length(body("Page_bounced"))));
      u.add("Count_invalid", incrementVariable(IMPORT_COUNTS.invalid, sub(length(body("Page_not_bounced")), length(body("Page_valid")))));
      const encoded = length(call("uriComponent", fetchXmlExpression(value(item().get("email")))));
      u.add("Short_addresses", filterArray(body("Page_valid"), lessOrEquals(encoded, SHORT_VALUE)));
      u.add("Long_addresses", filterArray(body("Page_valid"), greater(encoded, SHORT_VALUE)));
      u.add("Reset_page_matched", setVariable(PAGE.matched, []));
      u.add("Reset_page_unmatched", setVariable(PAGE.unmatched, []));
      u.add("Reset_page_created", setVariable(PAGE.created, []));
      u.forEachOneAtATime("Each_chunk", union(chunk(body("Short_addresses"), SHORT_PER_QUERY), chunk(body("Long_addresses"), LONG_PER_QUERY)), (k) =>
        matchChunk(k, isLead, member),
      );
      u.add("Count_matched", incrementVariable(IMPORT_COUNTS.matched, length(variables(PAGE.matched))));
      u.add("Matched_ids", select(variables(PAGE.matched), toLower(string(coalesce(item().get("contactid"), item().get("leadid"))))));
      u.condition(
        "Create_or_list",
        equals(mode, "create"),
        (c) => createPeople(c, member),
        (l) => listUnmatched(l),
      );
      u.add("Page_member_ids", compose(union(body("Matched_ids"), variables(PAGE.created))));
      u.forEachOneAtATime("Add_members", chunk(outputs("Page_member_ids"), MEMBERS_PER_CALL), (m) => {
        m.add("Member_refs", select(items("Add_members"), addProperty(json(concat('{"@odata.type":"', member("type"), '"}')), member("id"), item())));
        m.add(
          "Add_list_members",
          performUnboundAction("AddListMembersList", {
            List: { listid: listId, "@odata.type": "Microsoft.Dynamics.CRM.list" },
            Members: body("Member_refs"),
          } as Value),
        );
      });
      setChecklists(u, member, {
        matched: PAGE.matched,
        checked: PAGE.checked,
        counts: {
          accepted: IMPORT_COUNTS.accepted,
          declinedInCrm: IMPORT_COUNTS.declinedInCrm,
          declinedInCleverReach: IMPORT_COUNTS.declinedInCleverReach,
          unreadable: IMPORT_COUNTS.unreadable,
          notWritten: IMPORT_COUNTS.notWritten,
        },
      });
      u.add("Next_page", incrementVariable(PAGE.number, 1));
      u.add("More_pages", setVariable(PAGE.more, equals(length(body("Receivers_page")), MAX_PAGE_SIZE)));
    },
    // 1000 pages of 5000: five million receivers, far beyond any group this is meant for.
    { limit: { count: 1000, timeout: "PT12H" } },
  );
}

/** One query for a chunk of addresses: who of the list's member table has them (normalised, compared exactly afterwards). */
function matchChunk(k: ScopeBuilder, isLead: Ex, member: (k: "set" | "id" | "type") => Ex): void {
  const chunkRows = items("Each_chunk");
  k.add("Chunk_values", select(chunkRows, fetchXmlExpression(value(item().get("email")))));
  k.add("Chunk_emails", select(chunkRows, item().get("email")));
  const byEmail = filter(condition("emailaddress1", "in", embed(join(body("Chunk_values"), ""))));
  const query = (table: string, idColumn: string): Ex => fetchXmlExpression(fetch(entity(table, ...attributes([idColumn, ...PERSON_COLUMNS]), byEmail)));
  k.add(
    "Find_people",
    listRows({ entitySet: member("set").value, fetchXml: ifElse(isLead, query(LEAD.logicalName, "leadid"), query(CONTACT.logicalName, "contactid")) }),
  );
  // Dataverse compares case-insensitively; the exact comparison is on the normalised address.
  k.add("Found_people", filterArray(body("Find_people").get("value"), contains(body("Chunk_emails"), normalizedEmail(item().get("emailaddress1")))));
  k.add("Found_emails", select(body("Found_people"), normalizedEmail(item().get("emailaddress1"))));
  k.add("Chunk_unmatched", filterArray(chunkRows, not(contains(body("Found_emails"), item().get("email")))));
  k.add("Merge_matched", compose(union(variables(PAGE.matched), body("Found_people"))));
  k.add("Keep_matched", setVariable(PAGE.matched, outputs("Merge_matched")));
  // The ones not found may be stored with white space around them (`in` compares the whole text): looked
  // for again as sameAddress.ts does, with `like`, 20 at a time (the conditions are longer than values).
  k.add("Reset_spelled", setVariable(PAGE.spelled, []));
  k.forEachOneAtATime("Spelled_otherwise", chunk(body("Chunk_unmatched"), LIKE_PER_QUERY), (l) => {
    const few = items("Spelled_otherwise");
    l.add("Like_conditions", select(few, fetchXmlExpression(condition("emailaddress1", "like", text(addressPattern(item().get("email")))))));
    l.add("Few_emails", select(few, item().get("email")));
    const byPattern = filter({ type: "or" }, embed(join(body("Like_conditions"), "")));
    const likeQuery = (table: string, idColumn: string): Ex =>
      fetchXmlExpression(fetch(entity(table, ...attributes([idColumn, ...PERSON_COLUMNS]), byPattern)));
    l.add(
      "Find_spelled",
      listRows({
        entitySet: member("set").value,
        fetchXml: ifElse(isLead, likeQuery(LEAD.logicalName, "leadid"), likeQuery(CONTACT.logicalName, "contactid")),
      }),
    );
    l.add("Found_spelled", filterArray(body("Find_spelled").get("value"), contains(body("Few_emails"), normalizedEmail(item().get("emailaddress1")))));
    l.add("Merge_spelled", compose(union(variables(PAGE.matched), body("Found_spelled"))));
    l.add("Keep_spelled", setVariable(PAGE.matched, outputs("Merge_spelled")));
    l.add("Spelled_emails", select(body("Found_spelled"), normalizedEmail(item().get("emailaddress1"))));
    l.add("Merge_spelled_emails", compose(union(variables(PAGE.spelled), body("Spelled_emails"))));
    l.add("Keep_spelled_emails", setVariable(PAGE.spelled, outputs("Merge_spelled_emails")));
  });
  k.add("Still_unmatched", filterArray(body("Chunk_unmatched"), not(contains(variables(PAGE.spelled), item().get("email")))));
  k.add("Merge_unmatched", compose(union(variables(PAGE.unmatched), body("Still_unmatched"))));
  k.add("Keep_unmatched", setVariable(PAGE.unmatched, outputs("Merge_unmatched")));
}

/** Mode create: a contact or lead per unmatched receiver, with its names from CleverReach and the list's types accepted. */
function createPeople(c: ScopeBuilder, member: (k: "set" | "id" | "type") => Ex): void {
  c.forEach(
    "Create_people",
    variables(PAGE.unmatched),
    (p) => {
      const r = items("Create_people");
      p.add(
        "Create_person",
        addRow(member("set").value, {
          emailaddress1: r.get("email"),
          firstname: r.get("firstname"),
          lastname: r.get("lastname"),
          salutation: r.get("salutation"),
          [COLUMNS.newsletterChecklist]: string(body("New_rows")),
          [COLUMNS.acceptedTypes]: outputs("New_key"),
        }),
      );
      // A person that could not be created is counted, not a failed import (the others go on).
      p.add("Create_failed", compose("not created"), { Create_person: ["Failed", "TimedOut"] });
    },
    { concurrency: AT_ONCE },
  );
  c.add("Created_ok", filterArray(result("Create_people"), and(equals(item().get("name"), "Create_person"), equals(item().get("status"), "Succeeded"))));
  const created = item().get("outputs").get("body");
  c.add("Created_ids", select(body("Created_ok"), toLower(string(coalesce(created.get("contactid"), created.get("leadid"))))));
  c.add("Keep_created", setVariable(PAGE.created, body("Created_ids")));
  c.add("Count_created", incrementVariable(IMPORT_COUNTS.created, length(body("Created_ok"))));
  c.add("Count_not_created", incrementVariable(IMPORT_COUNTS.notCreated, sub(length(variables(PAGE.unmatched)), length(body("Created_ok")))));
}

/** Mode log: the addresses only, for the sync log's *Not in the CRM*. */
function listUnmatched(l: ScopeBuilder): void {
  l.add("Unmatched_emails", select(variables(PAGE.unmatched), item().get("email")));
  l.add("Merge_listed", compose(union(variables(IMPORT_COUNTS.unmatched), body("Unmatched_emails"))));
  l.add("Keep_listed", setVariable(IMPORT_COUNTS.unmatched, outputs("Merge_listed")));
  l.add("Count_listed", incrementVariable(IMPORT_COUNTS.listed, length(body("Unmatched_emails"))));
}
