import { ENV } from "../../../solution/src/model/handles";
import { actions, outputs, type Ex } from "../../toolkit/expr/build";
import { compose, NO_RETRY, runChildFlow } from "../../toolkit/builder/actions";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { coalesce, equals, ifElse, not } from "../../toolkit/expr/functions";
import { FIELD_MAPPING_STEP, fieldMappingError } from "../sync/mappedFields";
import { FIELD_MAPPING_ID } from "../sync/fieldMappingFlow";
import type { RetryPolicy } from "../../toolkit/wdl";

/**
 * "CleverReach - Field mapping" is not started again: it only reads, its own Dataverse calls retry
 * 429 and 5xx, and a run that still fails stops the caller with the error below (nothing is synced
 * with a mapping nobody checked).
 */
export const FIELD_MAPPING_CALL: RetryPolicy = NO_RETRY;

/** What the caller says when the mapping could not be read at all (the child flow failed). */
export const FIELD_MAPPING_UNREAD =
  `${ENV.fieldMapping.schemaName} could not be checked: the flow "CleverReach - Field mapping" failed (see its run). ` + "Nothing was synced.";

/**
 * Reads the field mapping for `tables` ("contact", "lead" or "contact,lead") through its child flow
 * (sync/fieldMappingFlow.ts) as the step FIELD_MAPPING_STEP, and stops through `stop` when it is not
 * valid, with the error in words (SPEC §4: it names the variable), before anything is written.
 */
export function readFieldMapping(s: ScopeBuilder, tables: string, stop: (bad: ScopeBuilder, error: Ex) => void): void {
  s.add(FIELD_MAPPING_STEP, runChildFlow(FIELD_MAPPING_ID, { tables }, FIELD_MAPPING_CALL));
  s.add(
    "Field_mapping_error",
    compose(ifElse(equals(actions(FIELD_MAPPING_STEP).get("status"), "Succeeded"), coalesce(fieldMappingError(), ""), FIELD_MAPPING_UNREAD)),
    { [FIELD_MAPPING_STEP]: ["Succeeded", "Failed", "TimedOut"] },
  );
  const error = outputs("Field_mapping_error");
  s.condition("Check_field_mapping", not(equals(error, "")), (bad) => stop(bad, error));
}
