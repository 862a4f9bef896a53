import { resolve } from "node:path";
import { readConnectorDefinition } from "../../flows/src/connectors/swagger";
import { DATAVERSE_API } from "../../flows/src/builder/dataverse";
import { product } from "../../solution/src/model/product";
import { connectorApiName } from "../../solution/src/naming";
import type { FlowArtifact } from "../../solution/src/slots/flows";
import { FakeDataverse, type DataverseRequest } from "../fakes/dataverse";
import { startFakeCleverReach, type FakeCleverReach } from "../fakes/cleverreach";
import type { ConnectorBinding, HttpRequest, HttpResponse } from "./dispatch";
import { FlowSimulator } from "./engine";
import { FUNCTIONS } from "./functions";

const REPO = resolve(__dirname, "..", "..");
export const DATAVERSE_DEFINITION = readConnectorDefinition(resolve(REPO, "..", "shared", "connectors", "commondataserviceforapps.Schema.json"));
export const CLEVERREACH_DEFINITION = readConnectorDefinition(resolve(REPO, "connector", "apiDefinition.swagger.json"));
export const CLEVERREACH_API = connectorApiName(product.publisher.prefix, product.connector.displayName);

/** The Dataverse connector bound to an in-process fake (requests go through its Web API handler). */
export function dataverseBinding(dv: FakeDataverse): ConnectorBinding {
  return {
    definition: DATAVERSE_DEFINITION,
    transport: (r: HttpRequest) => dv.handle({ ...r, method: r.method as DataverseRequest["method"] }),
  };
}

/** Our connector bound to the fake CleverReach over HTTP, signed in as the connection would be. */
export function cleverReachBinding(cr: FakeCleverReach): ConnectorBinding {
  return {
    definition: CLEVERREACH_DEFINITION,
    includeBasePath: true,
    transport: async (r: HttpRequest): Promise<HttpResponse> => {
      const url = new URL(r.path, cr.server.origin);
      for (const [k, v] of Object.entries(r.query)) url.searchParams.set(k, v);
      const res = await fetch(url, {
        method: r.method,
        headers: { ...r.headers, Authorization: `Bearer ${cr.token}`, ...(r.body !== undefined ? { "Content-Type": "application/json" } : {}) },
        body: r.body !== undefined ? JSON.stringify(r.body) : undefined,
      });
      const text = await res.text();
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // CleverReach answers some calls with plain text; keep it as it is.
      }
      return { status: res.status, headers, body };
    },
  };
}

export interface Fakes {
  dataverse: FakeDataverse;
  cleverReach: FakeCleverReach;
  simulator(flows?: FlowArtifact[], environment?: Record<string, unknown>): FlowSimulator;
  stop(): Promise<void>;
}

/** Both fakes and a simulator wired to them, as every flow test needs. */
export async function startFakes(options: { pageSize?: number } = {}): Promise<Fakes> {
  const dataverse = new FakeDataverse({ pageSize: options.pageSize });
  const cleverReach = await startFakeCleverReach();
  return {
    dataverse,
    cleverReach,
    simulator: (flows = [], environment = {}) =>
      new FlowSimulator({
        connectors: { [DATAVERSE_API]: dataverseBinding(dataverse), [CLEVERREACH_API]: cleverReachBinding(cleverReach) },
        functions: FUNCTIONS,
        flows,
        environment,
      }),
    stop: () => cleverReach.stop(),
  };
}
