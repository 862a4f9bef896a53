/** The fake Dataverse: what the flow simulator and tests import. */
export { FakeDataverse } from "./fakeDataverse";
export type { CallRecord, DataverseRequest, DataverseResponse, FakeDataverseOptions, SeedRow } from "./fakeDataverse";
export { matchesTrigger, triggerBodyOf } from "./triggers";
export type { ChangeEvent, ChangeMessage, TriggerRegistration } from "./triggers";
export type { RelationshipEvent } from "./relationships";
export type { ThrottleOptions } from "./faults";
export type { OperationId } from "./routes";
export { parseNextLink } from "./paging";
export { RELATIONSHIPS, TABLES, tableByName } from "./metadata";
export type { TableSpec, ColumnSpec, LookupSpec } from "./metadata";
export type { FieldValue, Row } from "./values";
