import { COLUMNS, TABLES } from "../../../../solution/src/model/handles";
import { actions, body, item, items, outputs, triggerBody, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, select, setVariable, type Value } from "../../../toolkit/builder/actions";
import { cleverReachAction } from "../../patterns/cleverreach";
import { updateRow, upsertRow } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { RECEIVER_ATTRIBUTES } from "../groupOwners";
import { GROUP_ATTRIBUTES } from "../receivers";
import { coalesce, concat, contains, empty, equals, first, greater, int, length, not, or, string, trim } from "../../../toolkit/expr/functions";

/** Finds the record's group (by the stored id) or creates it; renames it / updates its description when they changed. */
export function ensureGroup(s: ScopeBuilder, cr: string, prefix: Ex, protection: Ex, owner: (k: string) => Ex, record: Ex, recordId: Ex): void {
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
      create.add("Created_now", setVariable("created", true));
    },
    (existing) => {
      const current = first(body("Existing_group"));
      existing.condition(
        "Rename_if_needed",
        or(not(equals(current.get("name"), outputs("Group_name"))), not(equals(coalesce(current.get("receiver_info"), ""), outputs("Group_description")))),
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
