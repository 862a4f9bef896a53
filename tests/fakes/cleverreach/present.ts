import type { Account, Attribute, BlacklistEntry, Form, Group, Mailing, Receiver, ReceiverEvent, Report } from "./model";
import { isActive } from "./receivers";
import type { Store } from "./store";

/**
 * The records as CleverReach's answers show them. The sources are the integration core's fixtures
 * of real answers (blueDigit/CleverReach_IntegrationCore, tests/Common/fakeAPIResponses/*.json) and,
 * where they say nothing, the stricter choice: an id of unknown type is text, so that a flow has to
 * convert it (`string()` / `int()`) exactly as it must for the ids known to be text.
 */

/** getUserInfo.json: `"id": "129148"`, no `lang`. */
export const presentAccount = (a: Account): Record<string, unknown> => ({ ...a, id: String(a.id) });

/** getAllGroups.json / createGroup.json: `"id": "1363537"`, stamps as numbers. */
export const presentGroup = (g: Group): Record<string, unknown> => ({ ...g, id: String(g.id) });

/** recipientInfo.json events: `"mailing_id": "0"`, `"groups_id": "240803"`; Apteco's samples likewise. */
export const presentEvent = (e: ReceiverEvent): Record<string, unknown> => ({ ...e, mailing_id: String(e.mailing_id), groups_id: String(e.groups_id) });

/**
 * recipientInfo.json / recipientsMassUpdate.json: `"id": "4285"`, `"group_id": "240803"`, times as
 * numbers. `detail` is the SDK's bit mask (GroupsService::getReceivers: 1 events, 2 orders, 4 tags)
 * for lists; `full` is a single receiver's answer, which carries tags, events and orders without
 * any detail parameter (recipientInfo.json, the answer of GET groups.json/{g}/receivers/{p}).
 */
export function presentReceiver(store: Store, r: Receiver, detail = 0, full = false): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: String(r.id),
    email: r.email,
    imported: r.imported,
    bounced: r.bounced,
    group_id: String(r.group_id),
    activated: r.activated,
    registered: r.registered,
    deactivated: r.deactivated,
    last_ip: "",
    last_location: "",
    last_client: "",
    points: r.points,
    stars: r.stars,
    source: r.source,
    attributes: { ...r.attributes },
    global_attributes: { ...(store.globalValues.get(r.email.toLowerCase()) ?? {}) },
    active: isActive(r),
    conversion_rate: 0,
    open_rate: 0,
    click_rate: 0,
  };
  if (full || detail & 4) out.tags = [...r.tags];
  if (full || detail & 1) out.events = r.events.map(presentEvent);
  if (full || detail & 2) out.orders = r.orders.map((o) => ({ ...o }));
  return out;
}

/** getAllGlobalAttributes.json: `"id": 1111700, "groups_id": 0, …, "tag": "{IS_VILAIN}"` (numbers here). */
export const presentAttribute = (a: Attribute): Record<string, unknown> => ({
  id: a.id,
  groups_id: a.groups_id,
  name: a.name,
  description: a.description,
  preview_value: a.preview_value,
  default_value: a.default_value,
  type: a.type,
  tag: `{${a.name.toUpperCase()}}`,
});

/** go-cleverreach entities.go, the "mailings.json/<id> call": `ID string`, times as numbers, no state. */
export const presentMailing = (m: Mailing): Record<string, unknown> => ({
  id: String(m.id),
  name: m.name,
  subject: m.subject,
  sender_name: m.sender_name,
  sender_email: m.sender_email,
  stamp: m.stamp,
  last_changed: m.last_changed,
  started: m.started,
  finished: m.finished,
});

/**
 * A report is a sent mailing under the mailing's id ("Report ID/Mailing ID", MindCloud
 * list-report-receivers-by-state.md); Apteco reads its `id`, `name` and `finished`. No source
 * shows a group field, so none is sent: a flow finds a group's reports with `group_id`.
 */
export const presentReport = (r: Report): Record<string, unknown> => ({
  id: String(r.id),
  name: r.name,
  subject: r.subject,
  started: r.started,
  finished: r.finished,
});

/** The integration core's Form DTO reads `id`, `name`, `customer_tables_id`; their types are unknown, so text. */
export const presentForm = (f: Form): Record<string, unknown> => ({ id: String(f.id), name: f.name, customer_tables_id: String(f.customer_tables_id) });

/** baorv/cleverreach's live test: an entry has `email, comment, stamp, isLocked`. */
export const presentBlacklistEntry = (b: BlacklistEntry): Record<string, unknown> => ({ ...b, isLocked: false });
