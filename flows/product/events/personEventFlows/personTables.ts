import { CONTACT, LEAD } from "../../../../solution/src/model/tables";
import { CONTACT_SELECT, LEAD_SELECT } from "../../sync/receivers";
import type { FetchNode } from "../../../toolkit/builder/fetchXml";

/** The person tables with a checklist, and the columns sent to CleverReach (flows/product/README.md, "Receivers"). */
export interface PersonTable {
  table: "contact" | "lead";
  entitySet: string;
  idColumn: string;
  select: readonly FetchNode[];
  /** Columns whose change updates the receivers (the company column differs per table). */
  watched: string[];
  displayName: { en: string; de: string };
}

export const PERSON_TABLES: readonly PersonTable[] = [
  {
    table: "contact",
    entitySet: CONTACT.entitySetName,
    idColumn: "contactid",
    select: CONTACT_SELECT,
    watched: ["emailaddress1", "salutation", "firstname", "lastname", "parentcustomerid"],
    displayName: CONTACT.displayName,
  },
  {
    table: "lead",
    entitySet: LEAD.entitySetName,
    idColumn: "leadid",
    select: LEAD_SELECT,
    watched: ["emailaddress1", "salutation", "firstname", "lastname", "companyname"],
    displayName: LEAD.displayName,
  },
];
