import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ConnectorDefinition, OperationInfo, ParameterInfo } from "../connectors/swagger";

/**
 * Platform facts the toolkit checks flows against, committed in the project's own form so a fresh
 * clone needs nothing beside it. scripts/derive-platform-facts.ts (`npm run facts:derive`) writes
 * them from the upstream documents; tests/facts/derived.test.ts re-derives them where those exist.
 */

/** One parameter as ParameterInfo holds it; a Set becomes a list, absent fields are left out. */
export interface ParameterFacts {
  name: string;
  in: ParameterInfo["in"];
  required: boolean;
  visibility?: string;
  default?: unknown;
  bodyProperties?: string[];
  openBody?: boolean;
}

export interface OperationFacts {
  method: string;
  path: string;
  parameters: ParameterFacts[];
}

/** dataverse-connector.json: everything ConnectorDefinition holds for the Dataverse connector. */
export interface ConnectorFacts {
  note: string;
  source: Record<string, string>;
  host?: string;
  basePath?: string;
  /** By operationId, sorted by it. */
  operations: Record<string, OperationFacts>;
}

export const DATAVERSE_CONNECTOR_FACTS = join(__dirname, "dataverse-connector.json");

/** The inverse of connectorFromFacts; the derive script writes what this returns. */
export function connectorFacts(def: ConnectorDefinition, note: string, source: Record<string, string>): ConnectorFacts {
  const operations: Record<string, OperationFacts> = {};
  for (const id of [...def.operations.keys()].sort()) {
    const op = def.operations.get(id) as OperationInfo;
    operations[id] = {
      method: op.method,
      path: op.path,
      // Declaration order is kept: the simulator builds requests walking the parameters in order.
      parameters: op.parameters.map((p) => {
        const f: ParameterFacts = { name: p.name, in: p.in, required: p.required };
        if (p.visibility !== undefined) f.visibility = p.visibility;
        if (p.default !== undefined) f.default = p.default;
        if (p.bodyProperties !== undefined) f.bodyProperties = [...p.bodyProperties];
        if (p.openBody !== undefined) f.openBody = p.openBody;
        return f;
      }),
    };
  }
  return {
    note,
    source,
    ...(def.host !== undefined ? { host: def.host } : {}),
    ...(def.basePath !== undefined ? { basePath: def.basePath } : {}),
    operations,
  };
}

export function connectorFromFacts(facts: ConnectorFacts): ConnectorDefinition {
  const operations = new Map<string, OperationInfo>();
  for (const [operationId, op] of Object.entries(facts.operations)) {
    const parameters = op.parameters.map((p): ParameterInfo => {
      // The same keys connectorDefinition() sets, so both readings compare equal field by field.
      const info: ParameterInfo = { name: p.name, in: p.in, required: p.required, visibility: p.visibility, default: p.default };
      if (p.in === "body") {
        info.bodyProperties = p.bodyProperties ? new Set(p.bodyProperties) : undefined;
        info.openBody = p.openBody;
      }
      return info;
    });
    operations.set(operationId, { operationId, method: op.method, path: op.path, parameters });
  }
  return { host: facts.host, basePath: facts.basePath, operations };
}

let dataverse: ConnectorFacts | undefined;

/** The Dataverse connector (shared_commondataserviceforapps) as its published swagger defines it. */
export function loadDataverseConnector(): ConnectorDefinition {
  dataverse ??= JSON.parse(readFileSync(DATAVERSE_CONNECTOR_FACTS, "utf8")) as ConnectorFacts;
  // A fresh definition per call: callers hold their own Map and Sets.
  return connectorFromFacts(dataverse);
}
