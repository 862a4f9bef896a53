import * as odata from "../../../toolkit/builder/odataFilter";
import { COLUMNS, TABLES } from "../../../../solution/src/model/handles";
import { actions, body, item, items, lit, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { FAILURE_VARIABLE, failedInside } from "../../patterns/failureInWords";
import { syncFailureText } from "../messages";
import { compose, filterArray, incrementVariable, NO_RETRY, select, setVariable, type Value } from "../../../toolkit/builder/actions";
import type { Json } from "../../../toolkit/wdl";
import { cleverReachAction } from "../../patterns/cleverreach";
import { listRows, updateRow, upsertRow } from "../../../toolkit/builder/dataverse";
import { claimGroup, groupName, linkedSinceCreation, ownerLabel, readOwner } from "../groupOwnership";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { RECEIVER_ATTRIBUTES } from "../groupOwners";
import { GROUP_ATTRIBUTES } from "../receivers";
import { mappedAttributesGiven } from "../mappedFields";
import {
  and,
  coalesce,
  concat,
  contains,
  empty,
  equals,
  first,
  greater,
  greaterOrEquals,
  ifElse,
  int,
  json,
  length,
  not,
  or,
  string,
  trim,
  union,
} from "../../../toolkit/expr/functions";

/** What Ensure group is given of the record (Sync group has read it already). */
export interface RecordGiven {
  /** The record's name column as it is (trimmed here). */
  name: Ex;
  description: Ex;
  /** The record's CleverReach group id column ("" when empty). */
  storedGroupId: Ex;
}

/**
 * The variable (object, null) in which ensureGroup() leaves why the record's group cannot be used:
 * `{ code, message }`, the message in words for the record. Nothing after such a stop runs.
 */
export const GROUP_STOP = "stop";

/**
 * Finds the record's group, adopts one it made earlier, or creates it (flows/product/README.md,
 * "Sync group", "Whose group it is"): only a group that CleverReach shows as this record's (OWNER_MARK)
 * is used; a stored id of any other group stops with that in GROUP_STOP, before anything is renamed
 * or removed. Then the group is renamed / its description updated when they changed, and the Group
 * Link row and the record's group id are written when they do not name it yet. Runs in the child
 * flow "CleverReach - Ensure group" (ensureGroupFlow.ts), which answers Sync group.
 */
export function ensureGroup(
  s: ScopeBuilder,
  cr: string,
  prefix: Ex,
  protection: Ex,
  owner: (k: string) => Ex,
  record: RecordGiven,
  recordId: Ex,
  table: Ex,
): void {
  s.add("Group_name", compose(groupName(prefix, trim(coalesce(record.name, "")))));
  s.add("Group_description", compose(coalesce(record.description, "")));
  s.add("Owner_label", compose(ownerLabel(table, recordId)));
  const label = outputs("Owner_label");
  s.add(
    "Find_link",
    listRows({
      entitySet: TABLES.groupLink.entitySet,
      select: [COLUMNS.groupId, "createdon"],
      filter: odata.filter(odata.eq(TABLES.groupLink.idColumn, odata.guid(recordId))),
    }),
  );
  const link = first(body("Find_link").get("value"));
  // The flows' own link first; the record's column only where no link exists yet.
  s.add("Stored_group_id", compose(string(coalesce(link.get(COLUMNS.groupId), record.storedGroupId, ""))));
  s.add("List_groups", cleverReachAction(cr, "ListGroups", {}));
  s.add("Stored_group", filterArray(body("List_groups"), equals(string(item().get("id")), outputs("Stored_group_id"))));
  s.condition("Stored_group_exists", not(empty(body("Stored_group"))), (known) => {
    const stored = outputs("Stored_group_id");
    const reading = readOwner(known, cr, "Stored", stored, label);
    known.condition(
      "Stored_group_is_ours",
      reading.mine,
      (ours) => ours.add("Take_stored_group", setVariable("groupId", stored)),
      (other) =>
        other.condition("Linked_before_marks", and(not(reading.marked), linkedSinceCreation(link, first(body("Stored_group")))), (legacy) =>
          legacy.condition("Legacy_claimed", claimGroup(legacy, cr, "Legacy", stored, label), (ok) =>
            ok.add("Take_legacy_group", setVariable("groupId", stored)),
          ),
        ),
    );
    known.condition("Stored_group_not_ours", empty(variables("groupId")), refuse);
  });
  s.condition("No_group_yet", and(empty(variables("groupId")), equals(variables(GROUP_STOP), null)), (find) => {
    // A group an earlier run created and marked, but could not link (CleverReach's integration core
    // finds its group by name the same way, Proxy::getGroupId).
    find.add("Same_name", filterArray(body("List_groups"), equals(item().get("name"), outputs("Group_name"))));
    find.forEachOneAtATime("Each_same_name", body("Same_name"), (g) => {
      g.condition("Still_looking", empty(variables("groupId")), (look) => {
        const named = items("Each_same_name").get("id");
        look.condition("Named_is_ours", readOwner(look, cr, "Named", named, label).mine, (ours) =>
          ours.add("Adopt_group", setVariable("groupId", string(named))),
        );
      });
    });
  });
  s.condition("Create_if_none", and(empty(variables("groupId")), equals(variables(GROUP_STOP), null)), (create) => createGroup(create, cr, protection, label));
  s.condition("Group_found", not(empty(variables("groupId"))), (g) => useGroup(g, cr, owner, record, recordId, table, link));
}

/** The group found or created: its name and description, the Group Link, the record's group id, the attributes. */
function useGroup(s: ScopeBuilder, cr: string, owner: (k: string) => Ex, record: RecordGiven, recordId: Ex, table: Ex, link: Ex): void {
  s.add("This_group", filterArray(body("List_groups"), equals(string(item().get("id")), variables("groupId"))));
  const current = first(body("This_group"));
  s.condition(
    "Rename_if_needed",
    and(
      not(empty(body("This_group"))),
      or(not(equals(current.get("name"), outputs("Group_name"))), not(equals(coalesce(current.get("receiver_info"), ""), outputs("Group_description")))),
    ),
    (rename) => {
      // The whole group goes back (no source shows a partial PUT is accepted), lock and backup as they are.
      rename.add(
        "Rename_group",
        cleverReachAction(cr, "UpdateGroup", {
          group_id: int(variables("groupId")),
          "body/name": outputs("Group_name"),
          "body/receiver_info": outputs("Group_description"),
          "body/locked": current.get("locked"),
          "body/backup": current.get("backup"),
        }),
      );
      rename.add("Renamed", setVariable("changed", true));
    },
  );
  // The link outlives the record, so that the group can still be found when it is deleted.
  s.condition("Link_if_needed", not(equals(string(coalesce(link.get(COLUMNS.groupId), "")), variables("groupId"))), (w) => {
    w.add(
      "Write_group_link",
      upsertRow(TABLES.groupLink.entitySet, recordId, {
        [COLUMNS.name]: outputs("Group_name"),
        [COLUMNS.groupId]: variables("groupId"),
        [COLUMNS.recordTable]: table,
        [COLUMNS.recordId]: recordId,
      }),
    );
  });
  s.condition("Store_id_if_needed", not(equals(string(coalesce(record.storedGroupId, "")), variables("groupId"))), (w) => {
    w.add("Write_group_id", updateRow(owner("entitySet").value, recordId, { [COLUMNS.cleverReachGroupId]: variables("groupId") }));
    w.add("Linked", setVariable("changed", true));
  });
  s.add("List_attributes", cleverReachAction(cr, "ListAttributes", {}));
  s.add("Attribute_names", select(body("List_attributes"), item().get("name")));
  // The receivers' own global attributes and the mapped ones (README.md, "Field mapping").
  const own = RECEIVER_ATTRIBUTES.map((x) => ({ name: x.name, description: x.description }));
  const wanted = union(json(JSON.stringify(own)), mappedAttributesGiven());
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
  markAttribute(s, cr);
}

/**
 * The group attributes (GROUP_ATTRIBUTES: the CRM row a receiver stands for, and the mark Sync
 * group sweeps by), created in the group when missing. As for the global attributes, a creation
 * refused because an overlapping first sync was quicker is fine when the attribute exists now;
 * otherwise the first still-missing one is created once more, so that a real refusal fails the run.
 */
function markAttribute(s: ScopeBuilder, cr: string): void {
  const group = int(variables("groupId"));
  const wanted: Value = GROUP_ATTRIBUTES.map((x) => ({ name: x.name, description: x.description }));
  const create = (a: Ex) =>
    cleverReachAction(cr, "CreateGroupAttribute", {
      group_id: group,
      "body/name": a.get("name"),
      "body/type": "text",
      "body/description": a.get("description"),
    });
  s.add("List_group_attributes", cleverReachAction(cr, "ListAttributes", { group_id: group }));
  s.add("Group_attribute_names", select(body("List_group_attributes"), item().get("name")));
  s.add("Missing_group_attributes", filterArray(wanted, not(contains(body("Group_attribute_names"), item().get("name")))));
  s.forEach("Create_group_attributes", body("Missing_group_attributes"), (l) => {
    l.add("Create_group_attribute", create(items("Create_group_attributes")));
  });
  s.condition(
    "Recheck_group_attributes",
    equals(actions("Create_group_attributes").get("status"), "Failed"),
    (r) => {
      r.add("Group_attributes_now", cleverReachAction(cr, "ListAttributes", { group_id: group }));
      r.add("Group_attribute_names_now", select(body("Group_attributes_now"), item().get("name")));
      r.add("Group_still_missing", filterArray(wanted, not(contains(body("Group_attribute_names_now"), item().get("name")))));
      r.condition("Any_group_still_missing", greater(length(body("Group_still_missing")), 0), (x) => {
        x.add("Create_missing_group_attribute", create(first(body("Group_still_missing"))));
      });
    },
    { after: { Create_group_attributes: ["Succeeded", "Failed"] } },
  );
}

/**
 * Stops before anything touches a group this record does not own: GROUP_STOP says which group, why
 * it is left alone and what to do (Sync group writes it on the record).
 */
function refuse(s: ScopeBuilder): void {
  const text = concat(
    "CleverReach group ",
    outputs("Stored_group_id"),
    " was not created by this connector for this record, so the sync leaves it untouched (no rename, no receivers removed, never deleted). ",
    "An administrator clears the record's CleverReach group id and deletes its CleverReach Group Link row; the next sync then creates the record's own group.",
  );
  s.add("Not_our_group", setVariable(GROUP_STOP, { code: "NotThisRecordsGroup", message: text }));
}

/** Attempts to create the group; CreateGroup is never re-sent blindly (see createGroup). */
const CREATE_ATTEMPTS = 3;

/**
 * Creates the group so that a lost answer never leaves a second one. CreateGroup has no automatic retry:
 * the platform would re-send a POST whose first copy CleverReach may have carried out. When the call
 * fails, the groups are read again, and one that has appeared since the first reading with this name is
 * claimed (the mark; CleverReach lets only one claim of a group succeed) and taken; only when none
 * appeared is the group created again, at most CREATE_ATTEMPTS times. A group this run created is
 * claimed the same way before it is linked. When no attempt gave a group, GROUP_STOP says so.
 */
function createGroup(s: ScopeBuilder, cr: string, protection: Ex, label: Ex): void {
  s.add("Known_group_ids", select(body("List_groups"), string(item().get("id"))));
  const attemptFailed = not(equals(variables(FAILURE_VARIABLE), null));
  s.until("Create_until_done", or(not(empty(variables("groupId"))), greaterOrEquals(variables("createAttempts"), CREATE_ATTEMPTS), attemptFailed), (u) => {
    u.add("Count_attempt", incrementVariable("createAttempts"));
    const create = cleverReachAction(cr, "CreateGroup", {
      "body/name": outputs("Group_name"),
      "body/receiver_info": outputs("Group_description"),
      "body/locked": protection,
    });
    u.add("Create_group", { ...create, inputs: { ...(create.inputs as Record<string, Json>), retryPolicy: NO_RETRY as unknown as Json } });
    u.condition(
      "Create_answered",
      equals(actions("Create_group").get("status"), "Succeeded"),
      (made) =>
        made.condition("New_claimed", claimGroup(made, cr, "New", body("Create_group").get("id"), label), (ok) => {
          ok.add("Take_new_group", setVariable("groupId", string(body("Create_group").get("id"))));
        }),
      (lost) => {
        lost.add(
          "Keep_create_error",
          setVariable("createError", coalesce(actions("Create_group").get("error").get("message"), string(outputs("Create_group").get("body")))),
        );
        lost.add("Groups_after_attempt", cleverReachAction(cr, "ListGroups", {}));
        lost.add(
          "Appeared",
          filterArray(
            body("Groups_after_attempt"),
            and(equals(item().get("name"), outputs("Group_name")), not(contains(outputs("Known_group_ids"), string(item().get("id"))))),
          ),
        );
        // Two appear only when two records of one name create at once; the claim decides which is whose.
        lost.condition("Any_appeared", not(empty(body("Appeared"))), (c) => {
          const appeared = first(body("Appeared")).get("id");
          // Taken only when the claim is this record's; "" leaves the loop to try again.
          c.add("Take_appeared_group", setVariable("groupId", ifElse(claimGroup(c, cr, "Appeared", appeared, label), string(appeared), "")));
        });
      },
      { after: { Create_group: ["Succeeded", "Failed", "TimedOut"] } },
    );
    // A call of the attempt that failed (the owner mark's write or read, the look for the group):
    // kept for the words below, since the Catch cannot look into this loop; no further group is made.
    u.add("Attempt_failures", failedInside("Create_answered"), { Create_answered: ["Failed", "TimedOut"] });
    u.add("Keep_attempt_failure", setVariable(FAILURE_VARIABLE, first(body("Attempt_failures"))));
  });
  // Whichever way this run's creation ended in a group, the group is new.
  s.add("Created_now", setVariable("created", not(empty(variables("groupId")))));
  s.add("Created", setVariable("changed", variables("created")));
  s.condition("Creation_failed", empty(variables("groupId")), (f) => {
    // Every call of an attempt goes to CleverReach.
    const failedStep = syncFailureText(variables(FAILURE_VARIABLE), lit(true));
    const text = ifElse(
      attemptFailed,
      failedStep,
      concat("CleverReach sync failed at Create_group (", string(CREATE_ATTEMPTS), " attempts): ", variables("createError")),
    );
    f.add("Creation_error", setVariable(GROUP_STOP, { code: "SyncFailed", message: text }));
  });
}
