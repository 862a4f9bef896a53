import { label } from "../../../../solution/src/labels";
import { COLUMNS, ENV } from "../../../../solution/src/model/handles";
import { body, lit, outputs, tpl, triggerOutputs, variables } from "../../../toolkit/expr/build";
import { syncFailureText } from "../../sync/messages";
import { compose, initializeVariable, setVariable, terminate } from "../../../toolkit/builder/actions";
import { listRows, rowTrigger } from "../../../toolkit/builder/dataverse";
import { ProductFlow } from "../../patterns/productFlow";
import { attribute, attributes, condition, entity, fetch, fetchXml, filter } from "../../../toolkit/builder/fetchXml";
import { and, concat, equals, first, ifElse, not, replace } from "../../../toolkit/expr/functions";
import { PERSON_TABLES, type PersonTable } from "./personTables";
import { keepAcceptedTypes } from "./acceptedTypes";
import { findGroups } from "./groups";
import { updateEachGroup } from "./eachGroup";
import { removeEverywhere } from "./removeEverywhere";
import { readTransferTables } from "../../patterns/transferTables";
import { TRANSFER_SETTING_ERROR } from "../../rules/eligibility";
import { mappedColumns } from "../../sync/mappedFields";
import { readFieldMapping } from "../../patterns/fieldMapping";
import { acquirePersonLock, holdPersonLock, initPersonLock } from "./personLock";
import { notePassesUnderWay, PASSES, runNotedPasses } from "./passesUnderWay";
import { ADDRESS_DECLINES, copyAddressDeclines } from "./addressDeclines";
import { clearPersonError, initPersonSyncLog, personFlowName, personCatch, personLabel, reportGroupErrors, writePersonError } from "./personSyncLog";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";

/**
 * "CleverReach - <Contact|Lead> changed" (events/README.md, "Person events"): keeps the derived accepted-types
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
const CHECKLIST_UNREADABLE = " is not valid checklist JSON; nothing was changed.";

export function personEventFlow(p: PersonTable, syncGroupId: string): ProductFlow {
  const f = new ProductFlow({
    key: `person-event-${p.table}`,
    displayName: label(personFlowName(p), `CleverReach - ${p.displayName.de} geändert`),
    purpose:
      `Brings one ${p.displayName.en.toLowerCase()}'s receivers in line in every group ` +
      "when their checklist, e-mail, name, company or status changes, or they are deleted.",
  });
  f.useDataverse();
  const cr = f.useCleverReach();
  const doubleOptIn = f.environmentVariable(ENV.doubleOptInForm);
  f.trigger(
    "When_a_person_changes",
    // CleverReach's declines too: a decline added by the Receiver State flows takes the person out
    // of every group that sends the declined types (an active receiver there is removed).
    rowTrigger({ message: "any", table: p.table, filteringAttributes: [COLUMNS.newsletterChecklist, COLUMNS.cleverReachDeclines, "statecode", ...p.watched] }),
  );
  const a = f.actions;
  const personId = triggerOutputs().get(`body/${p.idColumn}`);
  a.add("Init_matches", initializeVariable("matches", "array", []));
  a.add("Init_current", initializeVariable("current", "array", []));
  a.add("Init_page", initializeVariable("page", "integer", 0));
  a.add("Init_found", initializeVariable("found", "object", lit(null)));
  a.add("Init_lookup_error", initializeVariable("lookupError", "string", ""));
  a.add("Init_lookup_errors", initializeVariable("lookupErrors", "array", []));
  a.add("Init_old", initializeVariable("old", "array", []));
  a.add("Init_remove", initializeVariable("remove", "boolean", true));
  a.add("Init_accepted_ids", initializeVariable("acceptedIds", "array", []));
  a.add("Init_checklist_read", initializeVariable("checklistStage", "string", ""));
  a.add("Init_key_written", initializeVariable("keyWritten", "boolean", false));
  a.add("Init_declines_readable", initializeVariable("declinesReadable", "boolean", false));
  a.add("Init_passes", initializeVariable(PASSES, "array", []));
  a.add("Init_address_declines", initializeVariable(ADDRESS_DECLINES.found, "array", []));
  a.add("Init_address_declines_written", initializeVariable(ADDRESS_DECLINES.wrote, "boolean", false));
  initPersonLock(a);
  initPersonSyncLog(a);
  // An invalid transfer setting stops before anything is read or written: read as no table at all,
  // it would take this person out of every group (solution/src/model/README.md, "Environment variables").
  const { tables: transfer, invalid: transferInvalid, after: transferRead, unread, failedRead } = readTransferTables(a);
  a.condition(
    "Check_transfer_setting",
    transferInvalid,
    (bad) => {
      // A setting the connection could not read is said so, in the words of any refused read; not called invalid.
      const refused = replace(syncFailureText(failedRead, lit(false)), "CleverReach sync failed: ", `CleverReach update of this ${p.table} failed: `);
      bad.add("Transfer_setting_problem", compose(ifElse(unread, refused, TRANSFER_SETTING_ERROR)));
      const problem = outputs("Transfer_setting_problem");
      writePersonError(bad, "Transfer_setting_on_person", p, personId, problem);
      bad.add("Stop_on_transfer_setting", terminate("Failed", { code: tpl`${ifElse(unread, "PersonSyncFailed", "InvalidConfiguration")}`, message: problem }));
    },
    { after: { [transferRead]: ["Succeeded", "Failed"] } },
  );
  readFieldMapping(a, p.table, (bad, error) => {
    writePersonError(bad, "Field_mapping_on_person", p, personId, error);
    bad.add("Stop_on_field_mapping", terminate("Failed", { code: "InvalidConfiguration", message: error }));
  });
  acquirePersonLock(a, p, personId);
  let attempt: ScopeBuilder | undefined;
  a.tryCatch(
    "Try",
    (t) => {
      attempt = t;
      t.add(
        "Get_person",
        listRows({
          entitySet: p.entitySet,
          fetchXml: fetchXml(
            fetch(
              entity(
                p.table,
                ...p.select,
                mappedColumns(p.table),
                ...attributes(["statecode", COLUMNS.newsletterChecklist, COLUMNS.acceptedTypes, COLUMNS.cleverReachSyncError]),
                ...(p.table === "lead" ? [attribute("campaignid")] : []),
                filter(condition(p.idColumn, "eq", personId)),
              ),
            ),
          ),
        }),
      );
      t.add("Person", compose(first(body("Get_person").get("value"))));
      const person = outputs("Person");
      // Who a sync log row of this run names (personSyncLog.ts).
      t.add("Person_label", compose(personLabel(p.table, personId, person)));
      t.condition("Person_exists", and(not(equals(triggerOutputs().get("body/SdkMessage"), "Delete")), not(equals(person, lit(null)))), (e) => {
        copyAddressDeclines(e, p, person, personId);
        keepAcceptedTypes(e, p, personId);
        e.add("Active", setVariable("remove", not(equals(person.get("statecode"), 0))));
      });
      t.condition(
        "Remove_or_update",
        variables("remove"),
        (r) => removeEverywhere(r, cr, p, personId, syncGroupId, outputs("Person_label"), not(equals(person, lit(null)))),
        (u) => {
          findGroups(u, p, person, personId);
          notePassesUnderWay(u, "Busy", outputs("Owners"));
          updateEachGroup(u, cr, transfer, p, person, personId, syncGroupId, doubleOptIn, (after) => {
            runNotedPasses(after, "Busy", syncGroupId);
            reportGroupErrors(after, "Update", p, personId, lit(true), variables("lookupErrors"));
          });
        },
      );
      clearPersonError(t, p, personId, person);
    },
    personCatch(p, personId, cr, () => attempt, concat(`The newsletter checklist of ${p.table} `, personId, CHECKLIST_UNREADABLE)),
  );
  holdPersonLock(a, personId);
  return f;
}

export const personEventFlows = (syncGroupId: string): ProductFlow[] => PERSON_TABLES.map((p) => personEventFlow(p, syncGroupId));
export { PERSON_TABLES, type PersonTable } from "./personTables";
