import { normalizeEmail } from "./addresses";

/** What the rule reads of a receiver of the group (CleverReach's fields; attributes are the group's). */
export interface GroupReceiver {
  email: string;
  deactivated: number;
  bounced: number;
  attributes: Record<string, string | undefined>;
}

/**
 * Issue 15 item 11 (flows/product/README.md, "Never re-activated"): a CRM row declined the group
 * under another address when a deactivated (unsubscribed) receiver of the group carries its table and
 * id (the group attributes crm_table and crm_id) and none of those receivers has the row's current
 * address. Such a row is not sent: CleverReach matches receivers by address only, so its new
 * address would be a new, active receiver. Under the same address nothing is left out: the upsert
 * keeps a deactivated receiver deactivated. A bounced receiver declines nothing here: its address
 * does not work, and the person's new one may. Ids, tables and addresses compare without case.
 */
export function declinedElsewhere(row: { table: string; id: string; email: string }, receivers: readonly GroupReceiver[]): boolean {
  const lower = (v: string | undefined) => (v ?? "").toLowerCase();
  const declinedByRow = receivers.filter(
    (r) => r.deactivated > 0 && lower(r.attributes.crm_table) === lower(row.table) && lower(r.attributes.crm_id) === lower(row.id),
  );
  return declinedByRow.length > 0 && !declinedByRow.some((r) => lower(r.email) === normalizeEmail(row.email));
}
