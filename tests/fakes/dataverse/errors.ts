/**
 * Errors in the shape the Dataverse Web API returns them, `{ error: { code, message } }`, so a flow's
 * error handling (and its tests) see what the real service would send.
 */
export class DataverseError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

// Codes as the Web API reports them (hex of the SDK error number).
export const badRequest = (message: string, code = "0x80060888"): DataverseError => new DataverseError(400, code, message);

export const invalidProperty = (property: string, logicalName: string): DataverseError =>
  badRequest(`Invalid property '${property}' was found in entity 'Microsoft.Dynamics.CRM.${logicalName}'.`);

export const unknownQueryProperty = (property: string, logicalName: string): DataverseError =>
  badRequest(`Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${logicalName}'.`);

export const undeclaredNavigation = (property: string): DataverseError =>
  badRequest(
    `An undeclared property '${property}' which only has property annotations in the payload but no property value was found in the payload. ` +
      "In OData, only declared navigation properties and declared named streams can be represented as properties without values.",
  );

export const resourceNotFound = (segment: string): DataverseError => new DataverseError(404, "0x8006088a", `Resource not found for the segment '${segment}'.`);

export const recordNotFound = (logicalName: string, id: string): DataverseError =>
  new DataverseError(404, "0x80040217", `${logicalName} With Id = ${id} Does Not Exist`);

/**
 * An upsert with `If-None-Match: *` whose row exists: 412 and "A record with matching key values
 * already exists." (powerapps-docs `webapi/perform-conditional-operations-using-web-api.md`,
 * "Prevent update in upsert").
 */
export const duplicateRecord = (): DataverseError => new DataverseError(412, "0x80040237", "A record with matching key values already exists.");

/**
 * A create (POST) whose primary key is already taken. The error is DuplicateRecord, 0x80040237
 * (-2147220937): "Cannot insert duplicate key", a key-constraint violation, the documented example
 * being a create whose payload "uses a primary key value that is already used by an existing
 * record" (learn.microsoft.com troubleshoot/power-platform/power-apps/dataverse/client-errors;
 * powerapps-docs `includes/data-service-error-codes.md` lists 0x80040237 as DuplicateRecord), and
 * the Web API answers DuplicateRecord with 412 Precondition Failed (powerapps-docs
 * `webapi/compose-http-requests-handle-errors.md`, "Identify status codes": "412 Precondition
 * Failed … ConcurrencyVersionMismatch, DuplicateRecord"). The row is left as it was.
 */
export const duplicateKey = (): DataverseError => new DataverseError(412, "0x80040237", "Cannot insert duplicate key.");

export const etagMismatch = (): DataverseError =>
  new DataverseError(412, "0x80060882", "The version of the existing record doesn't match the RowVersion property provided.");

/**
 * A FetchXML attribute the table does not have. Code and words as Dataverse reports them
 * (microsoft/PowerPlatform-DataverseServiceClient issue 299: "ErrorCode: 0x80041103 Message:
 * 'msnfp_transaction' entity doesn't contain attribute with Name = 'msnfp_DesignationId' and
 * NameMapping = 'Logical'."); newer answers append more after the sentence ("(look up attribute by
 * name is case-sensitive).orgIndex: …", khoait/DCE.PCF issue 216), so a flow quotes the message
 * and never parses it. The flows' field mapping check relies on the code (flows/product/sync/fieldMappingFlow.ts).
 */
export const fetchAttributeMissing = (logicalName: string, attribute: string): DataverseError =>
  badRequest(`'${logicalName}' entity doesn't contain attribute with Name = '${attribute}' and NameMapping = 'Logical'.`, "0x80041103");

export const typeMismatch = (value: unknown, edmType: string): DataverseError =>
  badRequest(`Cannot convert the literal '${String(value)}' to the expected type '${edmType}'.`, "0x80048d19");

/** Something the real service supports but this fake does not: fail loudly, never return wrong data. */
export const notSupportedByFake = (what: string): DataverseError => new DataverseError(501, "FakeNotSupported", `The fake Dataverse does not support ${what}.`);
