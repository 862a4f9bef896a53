import type { Ex } from "../../toolkit/expr/build";
import type { Value } from "../../toolkit/builder/actions";
import { RECEIVER_ATTRIBUTES } from "./groupOwners";
import { addProperty, coalesce, toLower, utcNow } from "../../toolkit/expr/functions";
import { attribute, attributes, linkEntity, type FetchElement, type FetchNode } from "../../toolkit/builder/fetchXml";

/**
 * The receiver object (flows/product/README.md, "Receivers"), defined once: every flow that writes or compares receivers
 * builds it from the same person columns, so that a receiver written by an event flow compares
 * equal in the next full sync (and causes no write there).
 */

export const CONTACT_COLUMNS = ["contactid", "emailaddress1", "salutation", "firstname", "lastname"];
const LEAD_COLUMNS = ["leadid", "emailaddress1", "salutation", "firstname", "lastname", "companyname"];
/** The link that gives a contact its company (flows/product/README.md, "Receivers"): the parent account's name, aliased `company`. */
const CONTACT_COMPANY_LINK = linkEntity({ name: "account", from: "accountid", to: "parentcustomerid", type: "outer", alias: "company" }, attribute("name"));
/** What a FetchXML query of people reads for their receivers. */
export const CONTACT_SELECT: readonly FetchNode[] = [...attributes(CONTACT_COLUMNS), CONTACT_COMPANY_LINK];
export const LEAD_SELECT: readonly FetchNode[] = attributes(LEAD_COLUMNS);
/**
 * Links a contact to the account it is the primary contact of (an account list's member stands for
 * that contact: flows/product/README.md, "Eligibility"); the account's name, aliased `company`, becomes the receiver's company.
 */
export const primaryContactCompany = (...children: FetchNode[]): FetchElement =>
  linkEntity({ name: "account", from: "primarycontactid", to: "contactid", type: "inner", alias: "company" }, attribute("name"), ...children);

/** The receiver as the flows compare and send it: e-mail and the global attributes (flows/product/README.md, "Receivers"). */
export function receiverFromPerson(person: Ex, table: Ex): Value {
  return {
    email: toLower(coalesce(person.get("emailaddress1"), "")),
    global_attributes: {
      salutation: coalesce(person.get("salutation"), ""),
      firstname: coalesce(person.get("firstname"), ""),
      lastname: coalesce(person.get("lastname"), ""),
      company: coalesce(person.get("company.name"), person.get("companyname"), ""),
      crm_table: table,
      crm_id: coalesce(person.get("contactid"), person.get("leadid"), ""),
    },
  };
}

/** The same shape read back from CleverReach, so that unchanged receivers compare equal. */
export function receiverFromCleverReach(r: Ex): Value {
  const attribute = (name: string): Ex => coalesce(r.get("global_attributes").get(name), "");
  const attrs: Record<string, Value> = {};
  for (const a of RECEIVER_ATTRIBUTES) attrs[a.name] = attribute(a.name);
  return { email: toLower(coalesce(r.get("email"), "")), global_attributes: attrs };
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
/** The receiver with its mark: sent by Sync group and the person flows whenever they write a wanted receiver. */
export const withSyncMark = (receiver: Ex, markAttributes: Ex): Ex => addProperty(receiver, "attributes", markAttributes);
