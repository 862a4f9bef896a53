import { LOOKUPS } from "../../../../solution/src/model/handles";
import { crmIdOf, crmTableOf } from "../../sync/receivers";
import { outputs, type Ex } from "../../../toolkit/expr/build";
import { upsertRow, type RowValues } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { and, coalesce, contains, createArray, empty, equals, ifElse, not } from "../../../toolkit/expr/functions";

/** Rows written in parallel (Dataverse has no bulk upsert in the connector our builders use). */
export const WRITE_CONCURRENCY = 20;

/** Who a receiver was sent for, and the lookup a row binds them with ("none": nobody we know). */
export const PERSON_LOOKUPS = [
  { person: "contact", nav: LOOKUPS.contact.navigation, entitySet: LOOKUPS.contact.target.entitySetName },
  { person: "lead", nav: LOOKUPS.lead.navigation, entitySet: LOOKUPS.lead.target.entitySetName },
  { person: "none", nav: undefined, entitySet: undefined },
] as const;

/**
 * Upserts a row that links to a contact or lead; when that person no longer exists (the bind
 * answers 404) the row is written without the link, so that one deleted contact does not fail its
 * group every hour. Any other failure is tried once more, so that it fails with the real answer
 * instead of being swallowed. Costs nothing extra when the write succeeds. Returns the name of the
 * step that fails when the row could not be written.
 */
export function upsertLinkedToPerson(l: ScopeBuilder, name: string, entitySet: string, id: Ex, linked: RowValues, unlinked: RowValues): string {
  l.add(name, upsertRow(entitySet, id, linked));
  return l.condition(
    `${name}_recover`,
    equals(outputs(name).get("statusCode"), 404),
    (gone) => gone.add(`${name}_unlinked`, upsertRow(entitySet, id, unlinked)),
    (other) => other.add(`${name}_again`, upsertRow(entitySet, id, linked)),
    { after: { [name]: ["Failed"] } },
  );
}

/** The person a receiver was sent for (the Sync group's crm_table / crm_id group attributes), or "none". */
export const personOf = (r: Ex): Ex =>
  ifElse(and(contains(createArray("contact", "lead"), coalesce(crmTableOf(r), "")), not(empty(crmIdOf(r)))), crmTableOf(r), "none");
