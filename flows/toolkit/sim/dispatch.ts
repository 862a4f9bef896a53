import { operationRequest, type HttpRequest } from "../connectors/request";
import type { ConnectorDefinition, OperationInfo } from "../connectors/swagger";

export type { HttpRequest } from "../connectors/request";

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * Who a call signs in as: the connection's own user for an embedded connection, the user who
 * started the run for an invoker one (ConnectionReferenceEntry.runtimeSource). A fake may refuse
 * that principal what the real service would.
 */
export interface Caller {
  runtimeSource: "embedded" | "invoker";
  /** The connection reference for an embedded connection; the user for an invoker one. */
  principal: string;
}

/** How the simulator reaches a fake service for one connector. */
export interface ConnectorBinding {
  definition: ConnectorDefinition;
  transport: (request: HttpRequest, caller?: Caller) => Promise<HttpResponse>;
  /** Prefix the swagger's basePath to paths (custom connectors); the Dataverse fake takes bare paths. */
  includeBasePath?: boolean;
}

/** Errors building a request; the engine reports them as the action's failure. */
export { RequestError as DispatchError } from "../connectors/request";

/** The request a flow action sends through its connector (see connectors/request.ts). */
export function buildRequest(op: OperationInfo, parameters: Record<string, unknown>, binding: ConnectorBinding): HttpRequest {
  return operationRequest(op, parameters, binding.includeBasePath ? (binding.definition.basePath ?? "") : "");
}
