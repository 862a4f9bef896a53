/**
 * The records the fake keeps, in CleverReach's own field names. Ids are kept as numbers, as a
 * database keeps them; the answers send them the way CleverReach does (see `present.ts`): group,
 * receiver, account, event, mailing and report ids as text, attribute ids as numbers. Times are
 * Unix seconds (integration core fixtures, e.g. tests/Common/fakeAPIResponses/recipientInfo.json).
 */

export interface Group {
  id: number;
  name: string;
  receiver_info: string;
  locked: boolean;
  backup: boolean;
  stamp: number;
  last_mailing: number;
  last_changed: number;
}

/**
 * Event types seen in real answers: `api` (integration core fixture recipientInfo.json) and
 * `mail_send`, `mail_open`, `mail_click`, `mail_bounce`, `user_unsubscribe` (samples in Apteco's
 * plugins/CleverReach/Public/response/get-response.ps1).
 */
export type EventType = "api" | "mail_send" | "mail_open" | "mail_click" | "mail_bounce" | "user_unsubscribe";

export interface ReceiverEvent {
  stamp: number;
  type: EventType;
  type_id: string;
  value: string;
  mailing_id: number;
  groups_id: number;
}

/** An order line in the field names the integration core writes (Proxy::getOrderFormattedForRequest). */
export interface Order {
  order_id: string;
  product_id?: string;
  product?: string;
  price?: number;
  currency?: string;
  quantity?: number;
  product_source?: string;
  brand?: string;
  product_category?: string;
  mailing_id?: string;
  stamp?: number;
}

/** A receiver's membership in one group; global attributes live per e-mail in the account. */
export interface Receiver {
  id: number;
  email: string;
  group_id: number;
  registered: number;
  activated: number;
  deactivated: number;
  bounced: number;
  imported: number;
  source: string;
  points: number;
  stars: number;
  attributes: Record<string, string>;
  tags: string[];
  events: ReceiverEvent[];
  orders: Order[];
}

export interface Attribute {
  id: number;
  name: string;
  description: string;
  type: "text" | "number" | "gender" | "date";
  /** 0 for a global attribute (fixture getAllGlobalAttributes.json: `"groups_id": 0`). */
  groups_id: number;
  preview_value: string;
  default_value: string;
}

export interface Mailing {
  id: number;
  name: string;
  subject: string;
  sender_name: string;
  sender_email: string;
  /** Which list of ListMailings the mailing is in; not a field of a mailing's own answer (go-cleverreach Mailing). */
  state: "draft" | "waiting" | "running" | "finished";
  stamp: number;
  last_changed: number;
  started: number;
  finished: number;
}

export type Reaction = "sent" | "opened" | "notopened" | "clicked" | "notclicked" | "bounced" | "unsubscribed";

export interface Report {
  id: number;
  name: string;
  subject: string;
  started: number;
  finished: number;
  /** The group the mailing went to: only for the `group_id` filter, no answer carries it. */
  groups_id: number;
  /** E-mail addresses per reaction, with the time of the reaction. */
  reactions: Partial<Record<Reaction, Array<{ email: string; stamp: number }>>>;
}

export interface Form {
  id: number;
  name: string;
  customer_tables_id: number;
}

export interface BlacklistEntry {
  email: string;
  comment: string;
  stamp: number;
}

export interface SentFormMail {
  formId: number;
  kind: "activate" | "deactivate";
  email: string;
  groupId: number;
  doidata?: Record<string, string>;
  stamp: number;
}

/** The who-am-I fields of the integration core fixture getUserInfo.json (which has no `lang`). */
export interface Account {
  id: number;
  name: string;
  firstname: string;
  salutation: string;
  company: string;
  street: string;
  zip: string;
  city: string;
  country: string;
  phone: string;
  fax: string;
  email: string;
  login_domain: string;
}
