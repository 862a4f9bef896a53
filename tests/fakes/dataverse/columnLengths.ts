import { badRequest, type DataverseError } from "./errors";

/**
 * The most characters Dataverse accepts in the system tables' text columns that the fake serves,
 * and the error it answers past them. Our own columns take their lengths from the solution model
 * (metadata.ts), so that the fake refuses exactly what the zip's columns would.
 *
 * Sources: the table references in MicrosoftDocs/dynamics-365-customer-engagement,
 * `ce/developer/entities/<table>.md`, attribute property `MaxLength` ("read": read in this
 * session's stored copy; "recalled": the value those pages list as far as the author knows, not
 * re-read for want of time — each is the smaller of the plausible values, so the fake errs strict).
 */
export const SYSTEM_COLUMN_LENGTHS: Readonly<Record<string, Readonly<Record<string, { maxLength: number; source: "read" | "recalled" }>>>> = {
  contact: {
    firstname: { maxLength: 50, source: "read" },
    middlename: { maxLength: 50, source: "read" },
    lastname: { maxLength: 50, source: "read" },
    fullname: { maxLength: 160, source: "read" },
    salutation: { maxLength: 100, source: "recalled" },
    jobtitle: { maxLength: 100, source: "read" },
    emailaddress1: { maxLength: 100, source: "read" },
    emailaddress2: { maxLength: 100, source: "recalled" },
    telephone1: { maxLength: 50, source: "recalled" },
    mobilephone: { maxLength: 50, source: "read" },
    address1_line1: { maxLength: 250, source: "recalled" },
    address1_postalcode: { maxLength: 20, source: "recalled" },
    address1_city: { maxLength: 80, source: "recalled" },
    address1_country: { maxLength: 80, source: "recalled" },
    description: { maxLength: 2000, source: "recalled" },
  },
  lead: {
    subject: { maxLength: 300, source: "recalled" },
    firstname: { maxLength: 50, source: "read" },
    middlename: { maxLength: 50, source: "read" },
    lastname: { maxLength: 50, source: "read" },
    fullname: { maxLength: 160, source: "read" },
    salutation: { maxLength: 100, source: "recalled" },
    jobtitle: { maxLength: 100, source: "recalled" },
    companyname: { maxLength: 100, source: "read" },
    emailaddress1: { maxLength: 100, source: "read" },
    emailaddress2: { maxLength: 100, source: "recalled" },
    telephone1: { maxLength: 50, source: "recalled" },
    mobilephone: { maxLength: 20, source: "read" },
    address1_city: { maxLength: 80, source: "recalled" },
    address1_country: { maxLength: 80, source: "recalled" },
    description: { maxLength: 2000, source: "recalled" },
  },
  account: {
    name: { maxLength: 160, source: "read" },
    accountnumber: { maxLength: 20, source: "recalled" },
    emailaddress1: { maxLength: 100, source: "read" },
    telephone1: { maxLength: 50, source: "recalled" },
    address1_city: { maxLength: 80, source: "recalled" },
    address1_country: { maxLength: 80, source: "recalled" },
    description: { maxLength: 2000, source: "recalled" },
  },
  list: {
    listname: { maxLength: 128, source: "read" },
    purpose: { maxLength: 512, source: "read" },
    source: { maxLength: 128, source: "read" },
    description: { maxLength: 2000, source: "read" },
    query: { maxLength: 1073741823, source: "read" },
  },
  campaign: {
    name: { maxLength: 128, source: "read" },
    codename: { maxLength: 32, source: "read" },
    description: { maxLength: 2000, source: "read" },
  },
  campaignactivity: {
    // Every activity table's subject holds 200 (email, letter, service activity, quick campaign: read).
    subject: { maxLength: 200, source: "read" },
  },
};

/**
 * What Dataverse answers for a value longer than its column: 400, code 0x80044331
 * (StringLengthTooLong), in the words of the Web API's batch example (MicrosoftDocs powerapps-docs,
 * execute-batch-operations-using-web-api.md: `{"error":{"code":"0x80044331","message":"A validation
 * error occurred.  The length of the 'subject' attribute of the 'task' entity exceeded the maximum
 * allowed length of '200'."}}`, two spaces after the first sentence as there).
 */
export const stringTooLong = (column: string, table: string, maxLength: number): DataverseError =>
  badRequest(
    `A validation error occurred.  The length of the '${column}' attribute of the '${table}' entity exceeded the maximum allowed length of '${maxLength}'.`,
    "0x80044331",
  );
