import { childFlowInputs } from "./childFlowInputs";
import { customConnectorApiName } from "./customConnectorApi";
import { childFlowRetry } from "./childFlowRetry";
import { definitionOutputs } from "./definitionOutputs";
import { listRowsFetchXml } from "./fetchXml";
import { loopPlacement } from "./loopPlacement";
import { odataFilters } from "./odataFilter";
import { loopVariableConcurrency } from "./loopVariables";
import { operationMetadataIds } from "./operationMetadata";
import { parameterTypes } from "./parameterTypes";
import { recurrenceConcurrency } from "./recurrenceConcurrency";
import { relationshipTriggers } from "./relationshipTriggers";
import { selectedRowsSplit } from "./selectedRows";
import { triggerConcurrency } from "./triggerConcurrency";
import type { Rule } from "./types";

/** The whole-flow rules, one per problem; each names its source beside it. */
export const RULES: readonly Rule[] = [
  operationMetadataIds,
  definitionOutputs,
  triggerConcurrency,
  loopVariableConcurrency,
  loopPlacement,
  childFlowRetry,
  selectedRowsSplit,
  relationshipTriggers,
  parameterTypes,
  childFlowInputs,
  listRowsFetchXml,
  odataFilters,
  recurrenceConcurrency,
  customConnectorApiName,
];
