import { triggerBody, type Ex } from "../expr/build";
import { coalesce } from "../expr/functions";
import type { Json, WdlAction, WdlTrigger } from "../wdl";
import { render, SERVICE_RETRY, type Value } from "./actions";

/** The Dataverse connector as flows name it (connector swagger: shared_commondataserviceforapps). */
export const DATAVERSE_API = "shared_commondataserviceforapps";
const API_ID = `/providers/Microsoft.PowerApps/apis/${DATAVERSE_API}`;

/** The most rows one List rows page returns, and the most a pagination policy may ask for. */
export const DATAVERSE_PAGE = 5000;
export const PAGINATION_MAX = 100000;

function operation(operationId: string, parameters: Record<string, Value | undefined>): WdlAction {
  const p: Record<string, Json> = {};
  for (const [k, v] of Object.entries(parameters)) if (v !== undefined) p[k] = render(v);
  return {
    type: "OpenApiConnection",
    inputs: {
      host: { connectionName: DATAVERSE_API, operationId, apiId: API_ID },
      parameters: p,
      authentication: "@parameters('$authentication')",
      retryPolicy: SERVICE_RETRY as unknown as Json,
    },
  };
}

/** The same Dataverse action through another of the flow's connections (e.g. the invoker's, FlowBuilder.useConnection). */
export function onConnection(action: WdlAction, connectionKey: string): WdlAction {
  const inputs = action.inputs as { host: Record<string, Json> };
  return { ...action, inputs: { ...inputs, host: { ...inputs.host, connectionName: connectionKey } } as WdlAction["inputs"] };
}

/** Columns of a row to write: plain columns, and lookups as `{ bind: "/contacts(<id>)" }`. */
export type RowValues = Record<string, Value | { bind: Value }>;

function item(values: RowValues): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [column, v] of Object.entries(values)) {
    if (v && typeof v === "object" && !Array.isArray(v) && "bind" in v && Object.keys(v).length === 1) {
      out[`item/${column}@odata.bind`] = (v as { bind: Value }).bind;
    } else {
      out[`item/${column}`] = v as Value;
    }
  }
  return out;
}

export interface ListRowsOptions {
  entitySet: string;
  select?: string[];
  filter?: Value;
  orderBy?: string;
  expand?: string;
  fetchXml?: Value;
  top?: number;
  /** Follow @odata.nextLink up to this many rows (the designer's "Pagination" setting). */
  paginateTo?: number;
  skipToken?: Value;
}

export function listRows(o: ListRowsOptions): WdlAction {
  const a = operation("ListRecords", {
    entityName: o.entitySet,
    $select: o.select?.join(","),
    $filter: o.filter,
    $orderby: o.orderBy,
    $expand: o.expand,
    fetchXml: o.fetchXml,
    $top: o.top,
    $skiptoken: o.skipToken,
  });
  if (o.paginateTo !== undefined) a.runtimeConfiguration = { paginationPolicy: { minimumItemCount: o.paginateTo } };
  return a;
}

export const getRow = (entitySet: string, id: Value, select?: string[], expand?: string): WdlAction =>
  operation("GetItem", { entityName: entitySet, recordId: id, $select: select?.join(","), $expand: expand });

export const addRow = (entitySet: string, values: RowValues): WdlAction => operation("CreateRecord", { entityName: entitySet, ...item(values) });

/** PATCH that creates the row when the id does not exist (the connector's "Upsert a row"). */
export const upsertRow = (entitySet: string, id: Value, values: RowValues): WdlAction =>
  operation("UpdateRecord", { entityName: entitySet, recordId: id, ...item(values) });

/** PATCH that fails when the row does not exist ("Update a row"). */
export const updateRow = (entitySet: string, id: Value, values: RowValues): WdlAction =>
  operation("UpdateOnlyRecord", { entityName: entitySet, recordId: id, ...item(values) });

export const deleteRow = (entitySet: string, id: Value): WdlAction => operation("DeleteRecord", { entityName: entitySet, recordId: id });

export const relateRows = (entitySet: string, id: Value, relationship: string, otherRowUrl: Value): WdlAction =>
  operation("AssociateEntities", { entityName: entitySet, recordId: id, associationEntityRelationship: relationship, "item/@odata.id": otherRowUrl });

/** callbackregistration codes (Dataverse table reference). */
/**
 * "Perform an unbound action" (operation PerformUnboundAction): POST `/flow/api/data/v9.1/<action>`
 * with the action's parameters as the body, given whole (`item`), as real exports pass a built body.
 */
export const performUnboundAction = (actionName: string, parameters: Value): WdlAction => operation("PerformUnboundAction", { actionName, item: parameters });

export const ROW_MESSAGE = { added: 1, deleted: 2, modified: 3, addedOrModified: 4, addedOrDeleted: 5, modifiedOrDeleted: 6, any: 7 } as const;
export const TRIGGER_SCOPE = { user: 1, businessUnit: 2, parentChildBusinessUnits: 3, organization: 4 } as const;
export const TRIGGER_RUN_AS = { modifyingUser: 1, rowOwner: 2, flowOwner: 3 } as const;

export interface RowTriggerOptions {
  message: keyof typeof ROW_MESSAGE;
  /** Logical name (singular), unlike actions which take the entity set name. */
  table: string;
  scope?: keyof typeof TRIGGER_SCOPE;
  /** Update events fire only when one of these columns changed. */
  filteringAttributes?: string[];
  filterExpression?: string;
  runAs?: keyof typeof TRIGGER_RUN_AS;
}

/** "When a row is added, modified or deleted". */
export function rowTrigger(o: RowTriggerOptions): WdlTrigger {
  const parameters: Record<string, Json> = {
    "subscriptionRequest/message": ROW_MESSAGE[o.message],
    "subscriptionRequest/entityname": o.table,
    "subscriptionRequest/scope": TRIGGER_SCOPE[o.scope ?? "organization"],
  };
  if (o.filteringAttributes?.length) parameters["subscriptionRequest/filteringattributes"] = o.filteringAttributes.join(",");
  if (o.filterExpression) parameters["subscriptionRequest/filterexpression"] = o.filterExpression;
  parameters["subscriptionRequest/runas"] = TRIGGER_RUN_AS[o.runAs ?? "flowOwner"];
  return {
    type: "OpenApiConnectionWebhook",
    inputs: {
      host: { connectionName: DATAVERSE_API, operationId: "SubscribeWebhookTrigger", apiId: API_ID },
      parameters,
      authentication: "@parameters('$authentication')",
    },
  };
}

/**
 * Each selected row becomes its own run: "The When a row is selected trigger can only be used with
 * Split on enabled … each selected row results in an individual flow run" (power-automate-docs
 * articles/dataverse/row-selected.md), split on the `rows` array as the real hybrid-trigger export
 * does (hmcts/pre-rec-evidence Send2FASMS-….json).
 */
export const SELECTED_ROWS_SPLIT_ON = "@triggerBody()['rows']";

/**
 * "When a row is selected" (run from the record's Flow menu). A hybrid trigger: type Request, kind
 * ApiConnection, the operation beside `host` (hmcts Send2FASMS-….json; flow-format.md §5.2).
 */
export function rowSelectedTrigger(entitySet: string): WdlTrigger {
  return {
    type: "Request",
    kind: "ApiConnection",
    inputs: {
      schema: { type: "object", properties: {}, required: [] },
      host: { connection: { name: `@parameters('$connections')['${DATAVERSE_API}']['connectionId']` } },
      operationId: "RecordSelected",
      parameters: { entityName: entitySet },
    },
    splitOn: SELECTED_ROWS_SPLIT_ON,
  };
}

/**
 * A column of the selected row in a split run. Every hybrid "selected" trigger whose row is visible
 * in real flows keeps it under `entity` (SharePoint "For a selected item": `triggerBody()?['entity']?['ID']`;
 * this connector's "When a flow step is run" documents `entity.*`), so that is read first; a row
 * handed over unwrapped is read as well, as no RecordSelected export confirms the shape.
 */
export const selectedRowColumn = (column: string): Ex => coalesce(triggerBody().get("entity").get(column), triggerBody().get(column));

/** Reads a column of the row that fired a Dataverse trigger. */
export const triggerColumn = (triggerOutputs: Ex, column: string): Ex => triggerOutputs.get(`body/${column}`);
