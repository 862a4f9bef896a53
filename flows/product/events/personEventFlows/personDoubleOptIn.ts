import type { Ex } from "../../../toolkit/expr/build";
import { runChildFlow } from "../../../toolkit/builder/actions";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { and } from "../../../toolkit/expr/functions";
import { SYNC_GROUP_CALL } from "../../patterns/childFlows";
import { doubleOptInOn } from "../../sync/doubleOptIn";

/**
 * A person new to a group, with double opt-in on, is added by Sync group for the group's record
 * (`owner`: its table and id), not here: Sync group is the one place that decides about a new
 * receiver, under the record's lock, so that a person flow and a full sync running at once never
 * both ask CleverReach for a confirmation mail (flows/product/sync/doubleOptIn.ts). It checks the
 * form too, and writes a wrong one on the record. A person who unsubscribed under an old address
 * (`mayConfirm` false) is added deactivated by `direct`, as before: no mail.
 * Cost: a full sync of the group for each newly accepting person, instead of one upsert.
 */
export function viaSyncGroupIfConfirming(
  s: ScopeBuilder,
  setting: Ex,
  mayConfirm: Ex,
  syncGroupId: string,
  owner: Ex,
  direct: (d: ScopeBuilder) => void,
  /** What runs after the hand-over to Sync group (the sync log's note, personSyncLog.ts). */
  handedOver: (c: ScopeBuilder) => void = () => undefined,
): void {
  s.condition(
    "Confirm_first",
    and(doubleOptInOn(setting), mayConfirm),
    (c) => {
      c.add("Sync_group_of_new_person", runChildFlow(syncGroupId, { table: owner.get("table"), id: owner.get("id") }, SYNC_GROUP_CALL));
      handedOver(c);
    },
    direct,
  );
}
