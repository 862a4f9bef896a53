import type { Json, WdlAction } from "../../toolkit/wdl";
import { render, SERVICE_RETRY, type Value } from "../../toolkit/builder/actions";

/**
 * An action of our CleverReach custom connector. The runtime API name carries an environment
 * suffix that only exists after import, so apiId is left empty as in the real export that calls a
 * custom connector (flow-format.md §5.4); the connection key ties it to the connection reference.
 */
export function cleverReachAction(connectionKey: string, operationId: string, parameters: Record<string, Value | undefined>): WdlAction {
  const p: Record<string, Json> = {};
  for (const [k, v] of Object.entries(parameters)) if (v !== undefined) p[k] = render(v);
  return {
    type: "OpenApiConnection",
    inputs: {
      host: { connectionName: connectionKey, operationId, apiId: "" },
      parameters: p,
      authentication: "@parameters('$authentication')",
      retryPolicy: SERVICE_RETRY as unknown as Json,
    },
  };
}
