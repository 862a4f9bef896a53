import { ENV } from "../../../solution/src/model/handles";

/**
 * Double opt-in (README.md, "Double opt-in"; issue 18 item 4) as plain functions: the flows build
 * the same decisions in expressions (flows/product/sync/doubleOptIn.ts), tests hold the two against
 * each other.
 *
 * CleverReach's own integration core does double opt-in this way (common-repository/cleverreach-wc,
 * vendor/cleverreach/integration-core, DoubleOptIn/Tasks/SendDoubleOptInEmailsTask): the receiver is
 * put into the group inactive, then `POST forms.json/{form}/send/activate` with the address and
 * `doidata` makes CleverReach send the form's confirmation mail; the click activates the receiver.
 */

/**
 * The group attribute a receiver carries once the product asked CleverReach for its confirmation
 * mail: the time of the request. Written BEFORE the mail is asked for, so that no run, retry or
 * lost answer ever asks twice for the same receiver. A group attribute lives with the receiver:
 * a receiver removed from the group and added again is a new receiver without it ("new again").
 */
export const DOI_MARK = {
  name: "crm_doi_requested",
  description: "When the CRM asked CleverReach for this receiver's double opt-in mail (asked once per receiver)",
} as const;

/** What the setting says: off (empty), a form id, or not a form id. */
export type DoubleOptInSetting = { kind: "off" } | { kind: "form"; formId: number } | { kind: "invalid"; value: string };

/**
 * The setting read as the flows read it: 0 (the default: Dataverse refuses an empty value), empty or
 * only white space is off; a whole number above 0
 * (white space around it allowed, as isInt() allows it) is a form id; anything else is invalid.
 */
export function readDoubleOptInSetting(value: string | null | undefined): DoubleOptInSetting {
  const v = (value ?? "").trim();
  if (v === "" || v === "0") return { kind: "off" };
  if (/^[+-]?\d+$/.test(v) && Number(v) > 0 && Number.isSafeInteger(Number(v))) return { kind: "form", formId: Number(v) };
  return { kind: "invalid", value: value ?? "" };
}

const AFTER = "Nobody was added or removed and no confirmation mail was sent.";

/** The error for a setting that is not a form id (on the record, in the sync log). */
export const doubleOptInNotANumber = (value: string): string =>
  `${ENV.doubleOptInForm.schemaName} must be the id of a CleverReach double opt-in form (a whole number above 0), not "${value}". ` +
  "Correct it (Power Apps > Solutions > Default Solution > Environment variables), or set it to 0 to add new receivers active at once; " +
  `then run Update Synchronisation. ${AFTER}`;

/** The error for a setting naming a form that does not exist (GET forms.json/{id} answered 404). */
export const doubleOptInFormMissing = (formId: number | string): string =>
  `${ENV.doubleOptInForm.schemaName} names form ${formId}, which does not exist in CleverReach (it was deleted, or the id is mistyped). ` +
  `Put the id of your double opt-in form in ${ENV.doubleOptInForm.schemaName} (CleverReach: Forms, the id is in the form's address), or set it to 0; ` +
  `then run Update Synchronisation. ${AFTER}`;

/** The error for a group whose own double opt-in form could not be created (CleverReach's answer in `error`). */
export const doubleOptInFormNotCreated = (name: string, groupId: number | string, error: string): string =>
  `Double opt-in: the form "${name}" could not be created in CleverReach group ${groupId} from CleverReach's "default" template (${error}). ` +
  `Create a form with that name in the group in CleverReach, or run Update Synchronisation again later. ${AFTER}`;

/** A form as CleverReach lists it (integration core Form DTO: id, name, customer_tables_id = its group; all as text). */
export interface FormSeen {
  id: string | number;
  name: string;
  customer_tables_id: string | number;
}

/** The template a group's own form is created from (integration core CreateDefaultFormTask: `createForm($groupId, 'default', …)`). */
export const FORM_TEMPLATE = "default";

/**
 * Which form sends a group's confirmation mails (README.md, "Double opt-in"). CleverReach sends
 * through a form of the receiver's group (a form carries `customer_tables_id`), and the setting names
 * one form, the maker's model. So: the named form when it is the group's; otherwise the group's form
 * with the named form's name (the group's own copy, made by an earlier run or by hand); otherwise one
 * is created in the group from CleverReach's "default" template with that name, as CleverReach's
 * integration core makes one form per group (CreateDefaultFormTask: list the group's forms, take the
 * one whose customer_tables_id is the group, else `createfromtemplate/default` with {name, title}).
 * `groupForms`: what `groups.json/{id}/forms` lists (only those whose customer_tables_id is the group
 * count, as in the core); `named`: the named form (`forms.json/{id}`), null when it does not exist;
 * read only when the named form is not the group's.
 */
export type FormChoice = { kind: "off" } | { kind: "use"; formId: number } | { kind: "create"; name: string } | { kind: "problem"; text: string };

export function confirmationFormFor(value: string | null | undefined, groupId: number, groupForms: readonly FormSeen[], named: FormSeen | null): FormChoice {
  const s = readDoubleOptInSetting(value);
  if (s.kind === "off") return s;
  if (s.kind === "invalid") return { kind: "problem", text: doubleOptInNotANumber(s.value) };
  const own = groupForms.filter((f) => String(f.customer_tables_id) === String(groupId));
  if (own.some((f) => String(f.id) === String(s.formId))) return { kind: "use", formId: s.formId };
  if (named === null) return { kind: "problem", text: doubleOptInFormMissing(s.formId) };
  const same = own.find((f) => f.name === named.name);
  return same ? { kind: "use", formId: Number(same.id) } : { kind: "create", name: named.name };
}

export interface ReceiverForConfirmation {
  activated: number;
  deactivated: number;
  attributes?: Record<string, string | undefined>;
}

/**
 * A receiver that is new to the group: neither activated nor deactivated, and never asked for a
 * confirmation. With double opt-in on it gets the mark and then the mail; off, it is activated (as
 * before). A receiver with the mark is never activated by the product, whatever the setting: only
 * the person's click does that. A deactivated one (unsubscribed) is never either.
 */
export function isNewReceiver(r: ReceiverForConfirmation): boolean {
  return r.activated === 0 && r.deactivated === 0 && (r.attributes?.[DOI_MARK.name] ?? "") === "";
}

/**
 * The consent data CleverReach keeps with the request (`doidata`, integration core DoiData:
 * user_ip, referer, user_agent). The person was entered by a CRM user, not on a web page: no IP
 * address of theirs is known, so none is claimed; the referer names the CRM row that asked.
 */
export const doiData = (table: string, id: string): { user_ip: string; referer: string; user_agent: string } => ({
  user_ip: "",
  referer: `Dataverse ${table} ${id}`,
  user_agent: "CleverReach Connector for Dataverse",
});

/** How many failed sends the note names. */
export const SEND_FAILURES_NAMED = 5;
const SEND_NOTE_START = "Double opt-in: CleverReach did not confirm sending the confirmation mail to ";
const SEND_NOTE_END =
  ". They are not asked again automatically (never a second mail; the mail may have gone out). " +
  "Ask them to confirm through your sign-up form, or delete their receiver in the CleverReach group and run Update Synchronisation to ask once more.";

/** The note on the record for sends that failed or whose answer was lost (`failures`: "address (status: answer)"), or null. */
export function confirmationsNotSentNote(failures: readonly string[]): string | null {
  if (failures.length === 0) return null;
  const more = failures.length > SEND_FAILURES_NAMED ? "; …" : "";
  return `${SEND_NOTE_START}${failures.slice(0, SEND_FAILURES_NAMED).join("; ")}${more}${SEND_NOTE_END}`;
}
/** The note's parts, for the flows' expression (flows/product/sync/doubleOptIn.ts). */
export const SEND_NOTE = { start: SEND_NOTE_START, end: SEND_NOTE_END } as const;
