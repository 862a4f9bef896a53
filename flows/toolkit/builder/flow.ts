import { parameters, type Ex } from "../expr/build";
import type { ConnectionReferenceEntry, FlowClientData, Json, WdlParameter, WdlTrigger } from "../wdl";
import { WDL_SCHEMA } from "../wdl";
import { withOperationMetadata } from "./operationMetadata";
import { ScopeBuilder } from "./scope";

/**
 * Trigger concurrency 1: a run starts only when the one before has ended (runtimeConfiguration.concurrency.runs;
 * logic-apps-workflow-actions-triggers.md, "Trigger instances sequentially").
 */
export const ONE_RUN_AT_A_TIME = 1;

/** A flow's display name; `en` is the one the solution's `<Workflow Name>` and file name use. */
export interface FlowName {
  en: string;
}

/** A cloud flow as the builders hand it to a packer or to the simulator. */
export interface FlowArtifact<Name extends FlowName = FlowName> {
  /** Stable workflow id (lower-case GUID without braces). */
  id: string;
  displayName: Name;
  clientData: FlowClientData;
  /** Flows started from another flow or the record menu run as the calling user. */
  runAs: "owner" | "caller";
  /** One line on what the flow is for, for people reviewing the flows; not part of the flow definition. */
  purpose?: string;
}

/** A connection the flow uses through a solution connection reference. */
export interface ConnectionUse {
  /** The api name actions address, e.g. `shared_commondataserviceforapps`. */
  apiName: string;
  connectionReferenceLogicalName: string;
  /** A custom connector's schema name (real exports write it as `api.logicalName`). */
  connectorLogicalName?: string;
}

/** A flow parameter backed by a solution environment variable. */
export interface EnvironmentVariableParameter {
  /** The parameter name, as the designer writes it: "<Display name> (<schema name>)". */
  name: string;
  type: WdlParameter["type"];
  defaultValue: Json;
  schemaName: string;
  description: string;
}

/**
 * Builds one cloud flow: trigger, actions, the connection references and environment-variable
 * parameters it uses. The caller gives the workflow id, so a product can keep it stable across builds.
 */
export class FlowBuilder<Name extends FlowName = FlowName> {
  private readonly names = new Set<string>();
  readonly actions = new ScopeBuilder(this.names);
  private readonly connectionReferences: Record<string, ConnectionReferenceEntry> = {};
  private readonly params: Record<string, WdlParameter> = {
    $connections: { defaultValue: {}, type: "Object" },
    $authentication: { defaultValue: {}, type: "SecureObject" },
  };
  private trig: { name: string; trigger: WdlTrigger } | undefined;

  constructor(private readonly o: { id: string; displayName: Name; runAs?: "owner" | "caller"; purpose?: string }) {}

  get id(): string {
    return this.o.id;
  }

  /**
   * The flow's one trigger. `concurrency` is the trigger's concurrency control: at most that many
   * runs at once, the others wait (runtimeConfiguration.concurrency.runs; without it runs are
   * unlimited, limits-and-config.md "Trigger concurrency").
   */
  trigger(name: string, trigger: WdlTrigger, options: { concurrency?: number } = {}): void {
    if (this.trig) throw new Error(`flow ${this.o.displayName.en} already has the trigger ${this.trig.name}`);
    this.names.add(name);
    const t: WdlTrigger =
      options.concurrency === undefined
        ? trigger
        : { ...trigger, runtimeConfiguration: { ...trigger.runtimeConfiguration, concurrency: { runs: options.concurrency } } };
    this.trig = { name, trigger: t };
  }

  /**
   * Declares a connection; returns the connection key actions use. `invoker`: the user who starts
   * the flow provides the connection ("Provided by run-only user"), under a second key for the same
   * API (`<api>_1`, as real exports name a second reference to one API).
   */
  useConnection(c: ConnectionUse, options: { runtimeSource?: "embedded" | "invoker" } = {}): string {
    const runtimeSource = options.runtimeSource ?? "embedded";
    const key = runtimeSource === "invoker" ? `${c.apiName}_1` : c.apiName;
    this.connectionReferences[key] = {
      runtimeSource,
      connection: { connectionReferenceLogicalName: c.connectionReferenceLogicalName },
      api: c.connectorLogicalName ? { name: c.apiName, logicalName: c.connectorLogicalName } : { name: c.apiName },
    };
    return key;
  }

  /** Makes an environment variable available to the flow; returns the expression that reads it. */
  parameter(p: EnvironmentVariableParameter): Ex {
    this.params[p.name] = { type: p.type, defaultValue: p.defaultValue, metadata: { schemaName: p.schemaName, description: p.description } };
    return parameters(p.name);
  }

  clientData(): FlowClientData {
    if (!this.trig) throw new Error(`flow ${this.o.displayName.en} has no trigger`);
    // `outputs: {}` as the designer writes it (42 of 142 real exports carry it; none has other outputs).
    const definition = withOperationMetadata(
      {
        $schema: WDL_SCHEMA,
        contentVersion: "1.0.0.0",
        parameters: this.params,
        triggers: { [this.trig.name]: this.trig.trigger },
        actions: this.actions.actions,
        outputs: {},
      },
      this.id,
    );
    return {
      properties: {
        connectionReferences: this.connectionReferences,
        definition,
        templateName: "",
      },
      schemaVersion: "1.0.0.0",
    };
  }

  build(): FlowArtifact<Name> {
    const artifact: FlowArtifact<Name> = { id: this.id, displayName: this.o.displayName, runAs: this.o.runAs ?? "owner", clientData: this.clientData() };
    if (this.o.purpose !== undefined) artifact.purpose = this.o.purpose;
    return artifact;
  }
}
