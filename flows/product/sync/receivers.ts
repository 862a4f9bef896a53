import type { Ex } from "../../toolkit/expr/build";
import type { Value } from "../../toolkit/builder/actions";
import { RECEIVER_ATTRIBUTES, RECEIVER_GROUP_ATTRIBUTES } from "./groupOwners";
import { normalizedEmail } from "./expressions";
import { DOI_MARK } from "../rules/doubleOptIn";
import { coalesce, setProperty, toLower, union, utcNow } from "../../toolkit/expr/functions";
import { attribute, attributes, linkEntity, type FetchElement, type FetchNode } from "../../toolkit/builder/fetchXml";

/**
 * The receiver object (flows/product/README.md, "Receivers"), defined once: every flow that writes or compares receivers
 * builds it from the same person columns, so that a receiver written by an event flow compares
 * equal in the next full sync (and causes no write there).
 */

export const CONTACT_COLUMNS = ["contactid", "emailaddress1", "salutation", "firstname", "lastname"];
const LEAD_COLUMNS = ["leadid", "emailaddress1", "salutation", "firstname", "lastname", "companyname"];
/**
 * The link that gives a contact its company (flows/product/README.md, "Receivers"): the name of its
 * own parent account, aliased `company`. One rule however the contact reaches a group (directly or
 * as an account's primary contact), so that two groups never write two companies for one address.
 */
const CONTACT_COMPANY_LINK = linkEntity({ name: "account", from: "accountid", to: "parentcustomerid", type: "outer", alias: "company" }, attribute("name"));
/** What a FetchXML query of people reads for their receivers. */
export const CONTACT_SELECT: readonly FetchNode[] = [...attributes(CONTACT_COLUMNS), CONTACT_COMPANY_LINK];
export const LEAD_SELECT: readonly FetchNode[] = attributes(LEAD_COLUMNS);
/**
 * Links a contact to the account it is the primary contact of (an account list's member stands for
 * that contact: flows/product/README.md, "Eligibility"). Only a join: the contact's company stays
 * its own parent account's name (CONTACT_SELECT).
 */
export const primaryContactOf = (...children: FetchNode[]): FetchElement =>
  linkEntity({ name: "account", from: "primarycontactid", to: "contactid", type: "inner", alias: "primaryof" }, ...children);

/**
 * The receiver as the flows send and compare it (flows/product/README.md, "Receivers"): the
 * normalized e-mail, the values shared by every group as global attributes, and the CRM row this
 * group's receiver stands for as group attributes.
 */
export function receiverFromPerson(person: Ex, table: Ex): Value {
  return {
    email: normalizedEmail(person.get("emailaddress1")),
    global_attributes: {
      salutation: coalesce(person.get("salutation"), ""),
      firstname: coalesce(person.get("firstname"), ""),
      lastname: coalesce(person.get("lastname"), ""),
      company: coalesce(person.get("company.name"), person.get("companyname"), ""),
    },
    attributes: {
      crm_table: table,
      crm_id: coalesce(person.get("contactid"), person.get("leadid"), ""),
    },
  };
}

/** The same shape read back from CleverReach (without the mark), so that unchanged receivers compare equal. */
export function receiverFromCleverReach(r: Ex): Value {
  const global: Record<string, Value> = {};
  for (const a of RECEIVER_ATTRIBUTES) global[a.name] = coalesce(r.get("global_attributes").get(a.name), "");
  const own: Record<string, Value> = {};
  for (const a of RECEIVER_GROUP_ATTRIBUTES) own[a.name] = coalesce(r.get("attributes").get(a.name), "");
  return { email: toLower(coalesce(r.get("email"), "")), global_attributes: global, attributes: own };
}

/**
 * The group attribute that every write of a wanted receiver stamps with the time of the write, so
 * that Sync group can sweep the receivers nobody wanted since it began writing (flows/product/README.md,
 * "Sync group"). A group attribute, not a global one: a person is wanted per group.
 */
export const SYNC_MARK = { name: "crm_synced", description: "When the CRM last confirmed this receiver in this group (written by every sync)" } as const;
/** UTC time to 100 ns at fixed width, so that marks compare as text in the order they were written. */
const SYNC_MARK_FORMAT = "yyyyMMddHHmmssfffffff";
/** The receiver's `attributes` with the mark of now, for a Compose (an expression cannot write an object). */
export const syncMarkAttributes = (): Value => ({ [SYNC_MARK.name]: utcNow(SYNC_MARK_FORMAT) });
/** The receiver with its mark beside its other group attributes: sent by Sync group and the person flows whenever they write a wanted receiver. */
export const withSyncMark = (receiver: Ex, markAttributes: Ex): Ex => setProperty(receiver, "attributes", union(receiver.get("attributes"), markAttributes));

/** Every group attribute Sync group creates in a group when it is missing: the receiver's own and the mark. */
export const GROUP_ATTRIBUTES: ReadonlyArray<{ name: string; description: string }> = [...RECEIVER_GROUP_ATTRIBUTES, SYNC_MARK, DOI_MARK];

/**
 * The CRM table and row a receiver read from CleverReach stands for: its group attributes, or, for a
 * receiver no sync has rewritten since they became group attributes, the older global ones (which
 * hold whatever group wrote the address last).
 */
export const crmTableOf = (r: Ex): Ex => coalesce(r.get("attributes").get("crm_table"), r.get("global_attributes").get("crm_table"));
export const crmIdOf = (r: Ex): Ex => coalesce(r.get("attributes").get("crm_id"), r.get("global_attributes").get("crm_id"));
