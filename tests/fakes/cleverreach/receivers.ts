import { badRequest } from "./errors";
import type { Order, Receiver } from "./model";
import type { Store } from "./store";

/** The receiver fields an upsert or update may carry (the connector's ReceiverInput / ReceiverUpdate). */
export interface ReceiverWrite {
  email?: string;
  registered?: number;
  activated?: number;
  deactivated?: number;
  source?: string;
  attributes?: Record<string, string>;
  global_attributes?: Record<string, string>;
  tags?: string[];
  orders?: Order[];
}

/**
 * No source documents CleverReach's address check. The fake refuses anything but name@domain.tld
 * with no white space anywhere (\s covers tab, line breaks, no-break and typographic spaces, the
 * byte order mark) and no invisible characters (zero-width space and joiners, word joiner): the
 * stricter choice, and what was seen (issue 14: an address ending in a no-break space was refused).
 */
const EMAIL = /^[^\s@\u200b-\u200d\u2060\u180e\u0085]+@[^\s@\u200b-\u200d\u2060\u180e\u0085]+\.[^\s@\u200b-\u200d\u2060\u180e\u0085]+$/;

/** recipientInfo.json (activated, deactivated 0 → active true), recipientsDeactivate.json (deactivated set → active false). */
export function isActive(r: Receiver): boolean {
  return r.activated > 0 && r.deactivated === 0;
}

/**
 * Insert or update receivers of a group by e-mail, the way CleverReach's upsert works: a field that
 * is left out keeps its value (the integration core sends only what it means to change, e.g. just
 * `email` and `global_attributes` in Proxy::getReceiversForNewsletterStatusUpdate). In particular an
 * entry without `activated`/`deactivated` never changes whether a receiver is active.
 */
export function upsertReceivers(store: Store, groupId: number, rows: ReceiverWrite[]): Receiver[] {
  const members = store.groupReceivers(groupId);
  // One bad address refuses the whole batch: nothing documents a partial success of the upsert,
  // and CleverReach's integration core treats the batch as one (RecipientSyncTask::execute sends a
  // batch in one recipientsMassUpdate call and only knows that the call failed).
  rows.forEach((row, i) => {
    if (!row.email || !EMAIL.test(row.email)) throw badRequest(`receiver ${i} has no valid e-mail address ("${row.email ?? ""}")`);
  });
  const touched: Receiver[] = [];
  for (const row of rows) {
    // Matched by e-mail (the core upserts by e-mail); whether case counts is not shown anywhere, the fake ignores it.
    const key = (row.email as string).toLowerCase();
    let r = members.get(key);
    if (!r) {
      r = {
        id: store.nextId("receiver"),
        email: row.email as string,
        group_id: groupId,
        registered: row.registered ?? store.now(),
        // No source says what a new receiver without activation fields becomes; the fake keeps it
        // inactive, so that a flow meaning to activate has to say so (the smoke test asks live).
        activated: 0,
        deactivated: 0,
        bounced: 0,
        // Receivers written through the API show `"imported": 0` (recipientInfo.json, recipientsMassUpdate.json).
        imported: 0,
        source: "",
        points: 0,
        stars: 0,
        attributes: {},
        tags: [],
        events: [],
        orders: [],
      };
      members.set(key, r);
    }
    applyWrite(store, r, row);
    if (!touched.includes(r)) touched.push(r);
  }
  const group = store.group(groupId);
  group.last_changed = store.now();
  return touched;
}

/** Applies the given fields to one receiver (found by its e-mail, which stays); what is left out stays. */
export function applyWrite(store: Store, r: Receiver, w: ReceiverWrite): void {
  if (w.registered !== undefined) r.registered = w.registered;
  // Integration core, Proxy::prepareRecipientsForApiCall: "When activated timestamp is set to 0,
  // recipient will be inactive in CleverReach. Setting activated to value > 0 will reactivate
  // recipient in CleverReach but only if recipient was not deactivated withing CleverReach system."
  if (w.activated !== undefined && (w.activated === 0 || r.deactivated === 0)) r.activated = w.activated;
  // Integration core, RecipientSyncTask::makeRecipients: "Once recipient is deactivated with
  // deactivated timestamp integrations can't reactivate them!" So 0 never clears it.
  if (w.deactivated !== undefined && w.deactivated > 0 && r.deactivated === 0) r.deactivated = w.deactivated;
  if (w.source !== undefined) r.source = w.source;
  if (w.attributes) {
    // Only the group's own attributes are stored here. No source says what happens to an unknown
    // key; dropping it silently is the stricter choice (a flow must create its attributes first).
    const known = new Set(store.attributesOf(r.group_id).map((a) => a.name));
    for (const [k, v] of Object.entries(w.attributes)) if (known.has(k)) r.attributes[k] = v;
  }
  if (w.global_attributes) {
    const known = new Set(store.attributesOf(0).map((a) => a.name));
    const key = r.email.toLowerCase();
    const values = store.globalValues.get(key) ?? {};
    for (const [k, v] of Object.entries(w.global_attributes)) if (known.has(k)) values[k] = v;
    store.globalValues.set(key, values);
  }
  // Tags are added (the core sends a receiver's tags on every upsert; its "-tag" removals are not modelled).
  if (w.tags) for (const t of w.tags) if (!r.tags.includes(t)) r.tags.push(t);
  // No source for how a repeated order line is kept; the fake replaces the line with the same order and product id.
  if (w.orders) {
    for (const o of w.orders) {
      const same = r.orders.findIndex((x) => x.order_id === o.order_id && x.product_id === o.product_id);
      const stamped = { ...o, stamp: o.stamp ?? store.now() };
      if (same >= 0) r.orders[same] = stamped;
      else r.orders.push(stamped);
    }
  }
}
