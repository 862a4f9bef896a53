import { stableId } from "../../../solution/src/ids";
import { label } from "../../../solution/src/labels";
import { ENV } from "../../../solution/src/model/handles";
import { lit, outputs, triggerBody, variables, type Ex } from "../../toolkit/expr/build";
import { compose, initializeVariable, response, setVariable, type Value } from "../../toolkit/builder/actions";
import { childFlowTrigger, designerInputs } from "../../toolkit/builder/triggers";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { FAILURE_VARIABLE, failRunInWords, stepsCalling } from "../patterns/failureInWords";
import { ProductFlow } from "../patterns/productFlow";
import { GROUP_OWNERS } from "./groupOwners";
import { MAPPED_ATTRIBUTES_INPUT } from "./mappedFields";
import { ensureGroup, GROUP_STOP } from "./syncGroupFlow/ensureGroup";
import { CONFIRMATION_FORM, confirmationForm, doubleOptInOn } from "./doubleOptIn";
import { and, empty, equals, not } from "../../toolkit/expr/functions";

export const ENSURE_GROUP_NAME = label("CleverReach - Ensure group", "CleverReach - Gruppe sicherstellen");

const ENSURE_GROUP_KEY = "ensure-group";

/** Ensure group's workflow id, for the one flow that calls it. */
export const ENSURE_GROUP_ID = stableId(`flow:${ENSURE_GROUP_KEY}`);

/** What Ensure group answers (the Response's body); Sync group reads these names. */
export const ENSURE_GROUP_ANSWER = {
  groupId: "groupId",
  created: "created",
  changed: "changed",
  /** The form that sends the group's double opt-in mails (doubleOptIn.ts, confirmationForm()); 0 with double opt-in off. */
  formId: "formId",
  /** null, or `{ code, message }`: the group cannot be used, and the message says why in words. */
  stop: "stop",
} as const;

/**
 * "CleverReach - Ensure group": the first stage of Sync group as its own child flow (a flow has at
 * most 500 actions, and Sync group's stages together need more): finds, adopts or creates the
 * record's group, claims it, renames it, links it and creates its attributes
 * (syncGroupFlow/ensureGroup.ts). Called only by Sync group, inside Sync group's lock on the record,
 * with what Sync group has read of the record; it writes the Group Link row and the record's group
 * id, and answers with "Respond to a PowerApp or flow": the group, whether this run created it,
 * whether anything changed, the group's double opt-in form (found or created: confirmationForm()),
 * or why the group cannot be used (`stop`, in words). Its own failures are
 * answered the same way (failRunInWords), so that Sync group writes every stop on the record and
 * in the sync log in one place.
 */
export function ensureGroupFlow(): ProductFlow {
  const f = new ProductFlow({
    key: ENSURE_GROUP_KEY,
    displayName: ENSURE_GROUP_NAME,
    purpose: "Called by CleverReach - Sync group: finds, creates or renames one record's CleverReach group and its attributes.",
  });
  f.useDataverse();
  const cr = f.useCleverReach();
  const prefix = f.environmentVariable(ENV.groupPrefix);
  const protection = f.environmentVariable(ENV.deletionProtection);
  const doubleOptIn = f.environmentVariable(ENV.doubleOptInForm);
  f.trigger(
    "manual",
    childFlowTrigger(
      designerInputs({
        table: { title: "Table", type: "string", description: "The logical name of the record's table", options: GROUP_OWNERS.map((o) => o.table) },
        id: { title: "Row id", type: "string", description: "The id of the list, campaign or campaign activity" },
        name: { title: "Name", type: "string", description: "The record's name, as Sync group read it" },
        description: { title: "Description", type: "string", description: "The record's description (may be empty)" },
        storedGroupId: { title: "Stored group id", type: "string", description: "The record's CleverReach group id column (may be empty)" },
        [MAPPED_ATTRIBUTES_INPUT]: {
          title: "Mapped attributes",
          type: "string",
          description: "JSON array of the field mapping's attributes ({name, description}) to create when missing (may be empty)",
        },
      }),
    ),
  );
  const a = f.actions;
  const table = triggerBody().get("table");
  const recordId = triggerBody().get("id");
  const ownerMap: Record<string, Value> = {};
  for (const o of GROUP_OWNERS) ownerMap[o.table] = { entitySet: o.entitySet, nameColumn: o.nameColumn };
  const owner = (key: string): Ex => outputs("Owner").get(table).get(key);

  a.add("Init_group_id", initializeVariable("groupId", "string", ""));
  a.add("Init_created", initializeVariable("created", "boolean", false));
  a.add("Init_changed", initializeVariable("changed", "boolean", false));
  a.add("Init_create_attempts", initializeVariable("createAttempts", "integer", 0));
  a.add("Init_create_error", initializeVariable("createError", "string", ""));
  a.add("Init_stop", initializeVariable(GROUP_STOP, "object", lit(null)));
  a.add("Init_form", initializeVariable(CONFIRMATION_FORM, "integer", 0));
  a.add("Init_failure", initializeVariable(FAILURE_VARIABLE, "object", lit(null)));
  a.add("Owner", compose(ownerMap));
  let attempt: ScopeBuilder | undefined;
  a.tryCatch(
    "Try",
    (t) => {
      attempt = t;
      const given = { name: triggerBody().get("name"), description: triggerBody().get("description"), storedGroupId: triggerBody().get("storedGroupId") };
      ensureGroup(t, cr, prefix, protection, owner, given, recordId, table);
      // The group's double opt-in form, before Sync group adds anyone (README.md, "Double opt-in").
      const formWanted = and(doubleOptInOn(doubleOptIn), not(empty(variables("groupId"))), equals(variables(GROUP_STOP), null));
      confirmationForm(t, cr, doubleOptIn, variables("groupId"), formWanted, (c, name, code, message) =>
        c.add(name, setVariable(GROUP_STOP, { code, message })),
      );
    },
    failRunInWords({
      code: "SyncFailed",
      // The containers a failure is looked for in, parents first (a loop shows its top-level steps).
      inside: [
        "Stored_group_exists",
        "No_group_yet",
        "Create_if_none",
        "Group_found",
        "Rename_if_needed",
        "Link_if_needed",
        "Store_id_if_needed",
        "Form_stage",
        "Named_form_elsewhere",
        "Create_if_no_form",
        "Form_created",
      ],
      cleverReachSteps: () => stepsCalling(attempt?.actions ?? {}, cr),
      // The group is not used: Sync group gets the words and stops with them on the record.
      report: (c, text) => c.add("Keep_failure", setVariable(GROUP_STOP, { code: "SyncFailed", message: text })),
      answer: true,
    }),
  );
  a.add(
    "Reply",
    response(200, {
      [ENSURE_GROUP_ANSWER.groupId]: variables("groupId"),
      [ENSURE_GROUP_ANSWER.created]: variables("created"),
      [ENSURE_GROUP_ANSWER.changed]: variables("changed"),
      [ENSURE_GROUP_ANSWER.formId]: variables(CONFIRMATION_FORM),
      [ENSURE_GROUP_ANSWER.stop]: variables(GROUP_STOP),
    }),
    { Catch: ["Succeeded", "Skipped"] },
  );
  return f;
}
