import type { Attribute, Form, Group, Mailing, Receiver, ReceiverEvent, Report } from "./model";
import { OWNER_MARK, ownerLabelText } from "../../../flows/product/sync/groupOwnership";
import { upsertReceivers, type ReceiverWrite } from "./receivers";
import type { Store } from "./store";

/** Shortcuts that put an account into a known state without going through HTTP. */
export class Seeder {
  constructor(private readonly store: Store) {}

  group(name: string, extra: Partial<Omit<Group, "id">> = {}): Group {
    const now = this.store.now();
    const g: Group = {
      id: this.store.nextId("group"),
      name,
      receiver_info: "",
      locked: false,
      backup: false,
      stamp: now,
      last_mailing: 0,
      last_changed: now,
      ...extra,
    };
    this.store.groups.set(g.id, g);
    return g;
  }

  receivers(groupId: number, rows: ReceiverWrite[]): Receiver[] {
    return upsertReceivers(this.store, groupId, rows);
  }

  attribute(groupId: number, name: string, type: Attribute["type"] = "text"): Attribute {
    return this.store.createAttribute(groupId, { name, type });
  }

  /** The owner mark the product puts on a group it created for a record (flows/product/sync/groupOwnership.ts). */
  ownerMark(groupId: number, table: string, id: string): Attribute {
    return this.store.createAttribute(groupId, { name: OWNER_MARK.name, type: OWNER_MARK.type, description: ownerLabelText(table, id) });
  }

  mailing(name: string, state: Mailing["state"] = "draft", extra: Partial<Omit<Mailing, "id" | "name" | "state">> = {}): Mailing {
    const now = this.store.now();
    const sent = state === "finished" ? now : 0;
    const m: Mailing = {
      id: this.store.nextId("mailing"),
      name,
      subject: name,
      sender_name: "Fake",
      sender_email: "news@example.com",
      state,
      stamp: now,
      last_changed: now,
      started: sent,
      finished: sent,
      ...extra,
    };
    this.store.mailings.set(m.id, m);
    return m;
  }

  /** A sent mailing's report; `reactions` maps a reaction to the e-mails that reacted so. */
  report(mailing: Mailing, groupId: number, reactions: Report["reactions"]): Report {
    const r: Report = {
      id: mailing.id,
      name: mailing.name,
      subject: mailing.subject,
      started: mailing.started || this.store.now(),
      finished: this.store.now(),
      groups_id: groupId,
      reactions,
    };
    this.store.reports.set(r.id, r);
    return r;
  }

  form(name: string, groupId: number): Form {
    const f: Form = { id: this.store.nextId("form"), name, customer_tables_id: groupId };
    this.store.forms.set(f.id, f);
    return f;
  }

  /**
   * The person clicks the link of the double opt-in mail a form sent them: the receiver becomes
   * active with the time of the click (the core's DOI flow ends with an active receiver; a
   * deactivated one stays deactivated, as for any activation: Proxy::prepareRecipientsForApiCall).
   * Only a link that was sent can be clicked: without a sent mail for this address and group it throws.
   */
  confirm(groupId: number, email: string): Receiver {
    const sent = this.store.sentFormMails.some((m) => m.kind === "activate" && m.groupId === groupId && m.email.toLowerCase() === email.toLowerCase());
    if (!sent) throw new Error(`no confirmation mail was sent to ${email} for group ${groupId}: there is no link to click`);
    const r = this.store.receiver(groupId, email);
    if (r.deactivated === 0) r.activated = this.store.now();
    return r;
  }

  /** What CleverReach records when a person clicks "unsubscribe" in a mailing (event as in Apteco's `user_unsubscribe` sample). */
  unsubscribe(groupId: number, email: string, mailingId = 0): Receiver {
    const r = this.store.receiver(groupId, email);
    r.deactivated = this.store.now();
    this.event(groupId, email, { type: "user_unsubscribe", mailing_id: mailingId, value: "192.0.2.1" });
    return r;
  }

  /** A hard bounce (event as in Apteco's `mail_bounce` sample: type_id "hardbounce", the SMTP answer as value). */
  bounce(groupId: number, email: string, mailingId = 0): Receiver {
    const r = this.store.receiver(groupId, email);
    r.bounced = this.store.now();
    this.event(groupId, email, { type: "mail_bounce", type_id: "hardbounce", value: "smtp; 550 5.1.1 user unknown", mailing_id: mailingId });
    return r;
  }

  event(groupId: number, email: string, e: Partial<ReceiverEvent> & Pick<ReceiverEvent, "type">): ReceiverEvent {
    const r = this.store.receiver(groupId, email);
    const event: ReceiverEvent = { stamp: this.store.now(), type_id: "", value: "", mailing_id: 0, groups_id: groupId, ...e };
    r.events.push(event);
    return event;
  }
}
