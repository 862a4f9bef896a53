import { stableId } from "../../../solution/src/ids";
import type { Label } from "../../../solution/src/labels";
import { cleverReachConnectionReference, product } from "../../../solution/src/model/product";
import type { EnvironmentVariable } from "../../../solution/src/model/types";
import { connectorApiName, connectorSchemaName } from "../../../solution/src/naming";
import type { FlowArtifact } from "../../../solution/src/slots/flows";
import { parameters, type Ex } from "../expr/build";
import type { ConnectionReferenceEntry, FlowClientData, Json, WdlParameter, WdlTrigger } from "../wdl";
import { WDL_SCHEMA } from "../wdl";
import { DATAVERSE_API } from "./dataverse";
import { ScopeBuilder } from "./scope";

const PARAMETER_TYPE: Record<EnvironmentVariable["type"], WdlParameter["type"]> = {
  string: "String",
  number: "Int",
  boolean: "Bool",
  json: "Object",
};

function defaultValue(v: EnvironmentVariable): Json {
  switch (v.type) {
    case "boolean":
      return v.defaultValue === "yes";
    case "number":
      return Number(v.defaultValue);
    case "json":
      return JSON.parse(v.defaultValue) as Json;
    default:
      return v.defaultValue;
  }
}

/** The parameter name a flow uses for an environment variable: "<Display name> (<schema name>)". */
export const environmentVariableParameter = (v: EnvironmentVariable): string => `${v.displayName.en} (${v.schemaName})`;

/**
 * Builds one cloud flow: trigger, actions, the connection references and environment-variable
 * parameters it uses, and a workflow id that stays the same for the same `key` on every build.
 */
export class FlowBuilder {
  private readonly names = new Set<string>();
  readonly actions = new ScopeBuilder(this.names);
  private readonly connectionReferences: Record<string, ConnectionReferenceEntry> = {};
  private readonly params: Record<string, WdlParameter> = {
    $connections: { defaultValue: {}, type: "Object" },
    $authentication: { defaultValue: {}, type: "SecureObject" },
  };
  private trig: { name: string; trigger: WdlTrigger } | undefined;

  constructor(private readonly o: { key: string; displayName: Label; runAs?: "owner" | "caller" }) {}

  get id(): string {
    return stableId(`flow:${this.o.key}`);
  }

  trigger(name: string, trigger: WdlTrigger): void {
    if (this.trig) throw new Error(`flow ${this.o.key} already has the trigger ${this.trig.name}`);
    this.names.add(name);
    this.trig = { name, trigger };
  }

  /** Declares the Dataverse connection; returns the connection key actions use. */
  useDataverse(): string {
    this.connectionReferences[DATAVERSE_API] = {
      runtimeSource: "embedded",
      connection: { connectionReferenceLogicalName: product.connectionReferences[0]?.logicalName ?? "" },
      api: { name: DATAVERSE_API },
    };
    return DATAVERSE_API;
  }

  /** Declares the CleverReach connection; returns the connection key actions use. */
  useCleverReach(): string {
    const key = connectorApiName(product.publisher.prefix, product.connector.displayName);
    this.connectionReferences[key] = {
      runtimeSource: "embedded",
      connection: { connectionReferenceLogicalName: cleverReachConnectionReference(product).logicalName },
      api: { name: key, logicalName: connectorSchemaName(product.publisher.prefix, product.connector.displayName) },
    };
    return key;
  }

  /** Makes an environment variable available to the flow; returns the expression that reads it. */
  environmentVariable(v: EnvironmentVariable): Ex {
    const name = environmentVariableParameter(v);
    this.params[name] = {
      type: PARAMETER_TYPE[v.type],
      defaultValue: defaultValue(v),
      metadata: { schemaName: v.schemaName, description: v.description.en },
    };
    return parameters(name);
  }

  clientData(): FlowClientData {
    if (!this.trig) throw new Error(`flow ${this.o.key} has no trigger`);
    return {
      properties: {
        connectionReferences: this.connectionReferences,
        definition: {
          $schema: WDL_SCHEMA,
          contentVersion: "1.0.0.0",
          parameters: this.params,
          triggers: { [this.trig.name]: this.trig.trigger },
          actions: this.actions.actions,
        },
        templateName: "",
      },
      schemaVersion: "1.0.0.0",
    };
  }

  build(): FlowArtifact {
    return { id: this.id, displayName: this.o.displayName, runAs: this.o.runAs ?? "owner", clientData: this.clientData() };
  }
}
