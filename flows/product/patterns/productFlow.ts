import { stableId } from "../../../solution/src/ids";
import type { Label } from "../../../solution/src/labels";
import { DATAVERSE_CONNECTION } from "../../../solution/src/model/handles";
import { cleverReachConnectionReference, product } from "../../../solution/src/model/product";
import type { EnvironmentVariable } from "../../../solution/src/model/types";
import { connectorApiName, connectorSchemaName } from "../../../solution/src/naming";
import type { Ex } from "../../toolkit/expr/build";
import { DATAVERSE_API } from "../../toolkit/builder/dataverse";
import { FlowBuilder, type EnvironmentVariableParameter } from "../../toolkit/builder/flow";
import type { Json, WdlParameter } from "../../toolkit/wdl";

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

/** The flow parameter of one of the solution's environment variables, named as the designer names it. */
export function environmentVariableParameter(v: EnvironmentVariable): EnvironmentVariableParameter {
  return {
    name: `${v.displayName.en} (${v.schemaName})`,
    type: PARAMETER_TYPE[v.type],
    defaultValue: defaultValue(v),
    schemaName: v.schemaName,
    description: v.description.en,
  };
}

/**
 * A flow of this product: its workflow id is derived from `key` (the same on every build, so a
 * re-import updates instead of duplicating), and its connections and parameters are the solution's.
 */
export class ProductFlow extends FlowBuilder<Label> {
  constructor(o: { key: string; displayName: Label; runAs?: "owner" | "caller"; purpose?: string }) {
    super({ id: stableId(`flow:${o.key}`), displayName: o.displayName, runAs: o.runAs, purpose: o.purpose });
  }

  /**
   * Declares the Dataverse connection; returns the connection key actions use. `invoker`: the
   * connection of the user who starts the flow, for checking what that user may do.
   */
  useDataverse(runtimeSource: "embedded" | "invoker" = "embedded"): string {
    return this.useConnection({ apiName: DATAVERSE_API, connectionReferenceLogicalName: DATAVERSE_CONNECTION.logicalName }, { runtimeSource });
  }

  /** Declares the CleverReach connection; returns the connection key actions use. */
  useCleverReach(): string {
    return this.useConnection({
      apiName: connectorApiName(product.publisher.prefix, product.connector.displayName, product.connector.id),
      connectionReferenceLogicalName: cleverReachConnectionReference(product).logicalName,
      connectorLogicalName: connectorSchemaName(product.publisher.prefix, product.connector.displayName),
    });
  }

  /** Makes one of the solution's environment variables available; returns the expression that reads it. */
  environmentVariable(v: EnvironmentVariable): Ex {
    return this.parameter(environmentVariableParameter(v));
  }
}
