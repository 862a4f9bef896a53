/** The records the fake keeps, in CleverReach's own field names (ids are integers, times Unix seconds). */

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

export interface ReceiverEvent {
  stamp: number;
  type: string;
  type_id: string;
  value: string;
  mailing_id: number;
  groups_id: number;
}

export interface Order {
  order_id: string;
  product_id?: string;
  product?: string;
  price?: number;
  currency?: string;
  amount?: number;
  mailing_id?: string;
  source?: string;
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
  group_id: number;
  preview_value: string;
  default_value: string;
}

export interface Mailing {
  id: number;
  name: string;
  subject: string;
  sender_name: string;
  sender_email: string;
  state: "draft" | "waiting" | "running" | "finished";
  stamp: number;
  last_changed: number;
  started: number;
}

export type Reaction = "sent" | "opened" | "notopened" | "clicked" | "notclicked" | "bounced" | "unsubscribed";

export interface Report {
  id: number;
  name: string;
  subject: string;
  started: number;
  finished: number;
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

export interface Account {
  id: number;
  name: string;
  firstname: string;
  company: string;
  email: string;
  lang: string;
}
