import { call, type Ex } from "../../toolkit/expr/build";
import type { Value } from "../../toolkit/builder/actions";
import { RECEIVER_ATTRIBUTES } from "./groupOwners";

/**
 * The receiver object (flows/product/README.md, "Receivers"), defined once: every flow that writes or
 * compares receivers
 * builds it from the same person columns, so that a receiver written by an event flow compares
 * equal in the next full sync (and causes no write there).
 */

export const CONTACT_COLUMNS = ["contactid", "emailaddress1", "salutation", "firstname", "lastname"];
export const LEAD_COLUMNS = ["leadid", "emailaddress1", "salutation", "firstname", "lastname", "companyname"];
export const attributesXml = (names: readonly string[]): string => names.map((n) => `<attribute name="${n}"/>`).join("");
/**
 * The link that gives a contact its company (flows/product/README.md, "Receivers"): the parent account's name,
 * aliased `company`.
 */
export const CONTACT_COMPANY_LINK = `<link-entity name="account" from="accountid" to="parentcustomerid" link-type="outer" alias="company"><attribute name="name"/></link-entity>`;
export const CONTACT_SELECT = `${attributesXml(CONTACT_COLUMNS)}${CONTACT_COMPANY_LINK}`;
export const LEAD_SELECT = attributesXml(LEAD_COLUMNS);

/** The receiver as the flows compare and send it: e-mail and global attributes (flows/product/README.md, "Receivers"). */
export function receiverFromPerson(person: Ex, table: Ex): Value {
  return {
    email: call("toLower", call("coalesce", person.get("emailaddress1"), "")),
    global_attributes: {
      salutation: call("coalesce", person.get("salutation"), ""),
      firstname: call("coalesce", person.get("firstname"), ""),
      lastname: call("coalesce", person.get("lastname"), ""),
      company: call("coalesce", person.get("company.name"), person.get("companyname"), ""),
      crm_table: table,
      crm_id: call("coalesce", person.get("contactid"), person.get("leadid"), ""),
    },
  };
}

/** The same shape read back from CleverReach, so that unchanged receivers compare equal. */
export function receiverFromCleverReach(r: Ex): Value {
  const attribute = (name: string): Ex => call("coalesce", r.get("global_attributes").get(name), "");
  const attrs: Record<string, Value> = {};
  for (const a of RECEIVER_ATTRIBUTES) attrs[a.name] = attribute(a.name);
  return { email: call("toLower", call("coalesce", r.get("email"), "")), global_attributes: attrs };
}
