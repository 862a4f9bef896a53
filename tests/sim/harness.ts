import { resolve } from "node:path";
import { readConnectorDefinition } from "../../flows/toolkit/connectors/swagger";
import { loadDataverseConnector } from "../../flows/toolkit/facts";
import { DATAVERSE_API } from "../../flows/toolkit/builder/dataverse";
import { product } from "../../solution/src/model/product";
import { connectorApiName } from "../../solution/src/naming";
import type { FlowArtifact } from "../../solution/src/slots/flows";
import { FakeDataverse, matchesTrigger, triggerBodyOf, type ChangeEvent, type DataverseRequest, type TriggerRegistration } from "../fakes/dataverse";
import { startFakeCleverReach, type FakeCleverReach } from "../fakes/cleverreach";
import type { ConnectorBinding, HttpRequest, HttpResponse } from "../../flows/toolkit/sim/dispatch";
import { FlowSimulator, VirtualClock, type RunResult } from "../../flows/toolkit/sim/engine";
import type { FlowClientData } from "../../flows/toolkit/wdl";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import { Gates } from "./gates";
import { ensureGroupFlow } from "../../flows/product/sync/ensureGroupFlow";
import { fieldMappingFlow } from "../../flows/product/sync/fieldMappingFlow";

const REPO = resolve(__dirname, "..", "..");
export const DATAVERSE_DEFINITION = loadDataverseConnector();
export const CLEVERREACH_DEFINITION = readConnectorDefinition(resolve(REPO, "connector", "apiDefinition.swagger.json"));
export const CLEVERREACH_API = connectorApiName(product.publisher.prefix, product.connector.displayName, product.connector.id);

/** The Dataverse connector bound to an in-process fake (requests go through its Web API handler). */
export function dataverseBinding(dv: FakeDataverse): ConnectorBinding {
  return {
    definition: DATAVERSE_DEFINITION,
    // An embedded connection is the flows' own identity, which the fake lets do anything; an invoker
    // connection signs in as the user who started the run (dispatch.ts, Caller).
    transport: (r: HttpRequest, caller) =>
      dv.handle({ ...r, method: r.method as DataverseRequest["method"], principal: caller?.runtimeSource === "invoker" ? caller.principal : undefined }),
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
  /** Holds chosen connector calls of every simulator made here (tests/sim/gates.ts). */
  gates: Gates;
  stop(): Promise<void>;
}

/**
 * What "When a row is selected" hands the flow when a user selects these rows: `{ rows: [...] }`,
 * each row under `entity` as every hybrid "selected" trigger whose row shape is known keeps it
 * (solution/FORMAT-NOTES.md, "Cloud flow definitions"). The trigger splits it into one run per row.
 */
export const selectedRows = (
  ...rows: Array<Record<string, unknown>>
): { headers: Record<string, string>; body: { rows: Array<{ entity: Record<string, unknown> }> } } => selectedRowsBy(MENU_USER, ...rows);

/** The user who runs the menu flows in tests, unless a test names another (selectedRowsBy). */
export const MENU_USER = "marketing.user@contoso.example";

/** As selectedRows, started by `user` (instant flows carry the user in x-ms-user-email; engine.ts, caller()). */
export const selectedRowsBy = (
  user: string,
  ...rows: Array<Record<string, unknown>>
): { headers: Record<string, string>; body: { rows: Array<{ entity: Record<string, unknown> }> } } => ({
  headers: { "x-ms-user-email": user },
  body: { rows: rows.map((entity) => ({ entity })) },
});

/** An environment variable's value as Dataverse stores it (text; Boolean ones as yes/no). */
const storedText = (value: unknown): string =>
  typeof value === "string" ? value : typeof value === "boolean" ? (value ? "yes" : "no") : JSON.stringify(value);

/**
 * Sets the current value of one of the solution's environment variables in the fake Dataverse, as
 * the maker does in the solution (a value row beside the definition); flows that read the
 * variable at run time see it.
 */
export function setEnvironmentValue(dataverse: FakeDataverse, schemaName: string, value: unknown): void {
  const definition = dataverse.rows("environmentvariabledefinition").find((d) => d.schemaname === schemaName);
  if (!definition) throw new Error(`${schemaName} is not an environment variable of the solution`);
  const current = dataverse.rows("environmentvariablevalue").find((v) => v.schemaname === schemaName);
  if (current) return dataverse.change("environmentvariablevalue", String(current.environmentvariablevalueid), { value: storedText(value) });
  dataverse.seed("environmentvariablevalue", [
    {
      schemaname: schemaName,
      value: storedText(value),
      "EnvironmentVariableDefinitionId@odata.bind": `/environmentvariabledefinitions(${String(definition.environmentvariabledefinitionid)})`,
    },
  ]);
}

/**
 * The stages of a flow that run as child flows of their own (Ensure group, of Sync group): in the
 * solution they always come with the flow that calls them, so every simulator knows them; a test
 * that gives its own build of one (same id) runs that one.
 */
let stages: FlowArtifact[] | undefined;
const STAGES = (): FlowArtifact[] => (stages ??= [ensureGroupFlow().build(), fieldMappingFlow().build()]);
export const withStages = (flows: FlowArtifact[]): FlowArtifact[] => [...flows, ...STAGES().filter((s) => !flows.some((f) => f.id === s.id))];

/** Both fakes and a simulator wired to them, as every flow test needs. */
export async function startFakes(options: { pageSize?: number } = {}): Promise<Fakes> {
  const dataverse = new FakeDataverse({ pageSize: options.pageSize });
  // The import creates the solution's environment variable definitions with their defaults.
  dataverse.seed(
    "environmentvariabledefinition",
    product.environmentVariables.map((v) => ({ schemaname: v.schemaName, defaultvalue: v.defaultValue })),
  );
  const cleverReach = await startFakeCleverReach();
  const gates = new Gates({ [DATAVERSE_API]: "dataverse", [CLEVERREACH_API]: "cleverreach" });
  // One clock for every simulator of these fakes: runs started by different simulators overlap on it.
  const clock = new VirtualClock();
  return {
    dataverse,
    cleverReach,
    gates,
    simulator: (flows = [], environment = {}) => {
      for (const [schemaName, value] of Object.entries(environment)) setEnvironmentValue(dataverse, schemaName, value);
      return new FlowSimulator({
        connectors: { [DATAVERSE_API]: dataverseBinding(dataverse), [CLEVERREACH_API]: cleverReachBinding(cleverReach) },
        functions: FUNCTIONS,
        flows: withStages(flows),
        environment,
        intercept: gates.intercept,
        clock,
      });
    },
    stop: () => {
      gates.releaseAll();
      return cleverReach.stop();
    },
  };
}

/** The subscriptionRequest of a flow's Dataverse row trigger, or undefined for other triggers. */
export function rowTriggerRegistration(flow: FlowArtifact): TriggerRegistration | undefined {
  const cd = flow.clientData as FlowClientData;
  const trigger = Object.values(cd.properties.definition.triggers)[0];
  const inputs = trigger?.inputs as { host?: { operationId?: string }; parameters?: Record<string, unknown> } | undefined;
  if (trigger?.type !== "OpenApiConnectionWebhook" || inputs?.host?.operationId !== "SubscribeWebhookTrigger") return undefined;
  const p = inputs.parameters ?? {};
  return {
    message: Number(p["subscriptionRequest/message"]),
    entityname: String(p["subscriptionRequest/entityname"]),
    filteringattributes: p["subscriptionRequest/filteringattributes"] as string | undefined,
    filterexpression: p["subscriptionRequest/filterexpression"] as string | undefined,
  };
}

/**
 * Fires the flows whose row trigger matches each change in the fake Dataverse, as the platform
 * does, including changes made by those flows. `settle()` waits until nothing is running.
 */
export class TriggerRouter {
  readonly runs: Array<{ flow: string; event: ChangeEvent; result?: RunResult }> = [];
  private pending = new Set<Promise<void>>();
  private readonly unsubscribe: () => void;

  constructor(fakes: Fakes, flows: FlowArtifact[], environment: Record<string, unknown> = {}) {
    const simulator = fakes.simulator(flows, environment);
    const subscribed = flows.map((f) => ({ flow: f, registration: rowTriggerRegistration(f) })).filter((x) => x.registration);
    this.unsubscribe = fakes.dataverse.onChange((event) => {
      for (const { flow, registration } of subscribed) {
        if (!registration || !matchesTrigger(event, registration)) continue;
        const entry: { flow: string; event: ChangeEvent; result?: RunResult } = { flow: flow.displayName.en, event };
        this.runs.push(entry);
        const p = simulator.run(flow, { body: triggerBodyOf(event) }).then((r) => {
          entry.result = r;
        });
        this.pending.add(p);
        void p.finally(() => this.pending.delete(p));
      }
    });
  }

  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** "<flow>: <error>" for each finished run that did not succeed (runs still under way are left out). */
  failures(): string[] {
    return this.runs
      .filter((r) => r.result !== undefined && r.result.status !== "Succeeded")
      .map((r) => `${r.flow}: ${r.result?.error?.message ?? r.result?.status}`);
  }

  stop(): void {
    this.unsubscribe();
  }
}

/** Fresh fakes with the flows' row triggers routed to them: the set-up of the scenario tests that follow events. */
export async function openRouted(flows: FlowArtifact[], environment: Record<string, unknown> = {}): Promise<{ fakes: Fakes; router: TriggerRouter }> {
  const fakes = await startFakes();
  return { fakes, router: new TriggerRouter(fakes, flows, environment) };
}

/** Gates opened first, so a run a test left held ends before its fakes stop. */
export async function closeRouted(fakes: Fakes, router: TriggerRouter): Promise<void> {
  fakes.gates.releaseAll();
  router.stop();
  await fakes.stop();
}
