import { tableByLogicalName, tableByName } from "./metadata";
import { evaluateFilter, parseFilter, type FilterExpr } from "./odataFilter";
import { parseCheckedFilter } from "./queryOptions";
import type { FieldValue } from "./values";

export type ChangeMessage = "Create" | "Update" | "Delete";

/** What the fake reports after each successful write, for the simulator's Dataverse triggers. */
export interface ChangeEvent {
  message: ChangeMessage;
  /** Logical name (the trigger's `entityname`). */
  entity: string;
  id: string;
  /** Attributes the request set (logical names; lookups by lookup name, e.g. parentcustomerid). */
  changedAttributes: string[];
  /** The row after the write, as the Web API returns it; for Delete, the row as it was. */
  row: Record<string, unknown>;
  /** The row before the write; null for Create. */
  preImage: Record<string, unknown> | null;
}

/** subscriptionRequest of "When a row is added, modified or deleted" (callbackregistration). */
export interface TriggerRegistration {
  /** 1 Create, 2 Delete, 3 Update, 4 Create or Update, 5 Create or Delete, 6 Update or Delete, 7 all. */
  message: number;
  entityname: string;
  filteringattributes?: string;
  filterexpression?: string;
}

const MESSAGES: Readonly<Record<number, readonly ChangeMessage[]>> = {
  1: ["Create"],
  2: ["Delete"],
  3: ["Update"],
  4: ["Create", "Update"],
  5: ["Create", "Delete"],
  6: ["Update", "Delete"],
  7: ["Create", "Update", "Delete"],
};

const filterCache = new Map<string, FilterExpr>();

function compiledFilter(entity: string, text: string): FilterExpr {
  const key = `${entity}\u0000${text}`;
  let expr = filterCache.get(key);
  if (!expr) {
    const table = tableByLogicalName(entity);
    // Validate against metadata when the table is known, so a typo in a flow fails its test.
    expr = (table ? parseCheckedFilter(table, text) : parseFilter(text)) ?? parseFilter(text);
    filterCache.set(key, expr);
  }
  return expr;
}

/**
 * Whether a registration fires for an event. Filtering attributes apply to Update only (any listed
 * column set by the request); the filter expression is evaluated on the event's row.
 */
export function matchesTrigger(event: ChangeEvent, registration: TriggerRegistration): boolean {
  // "The When a row is added, modified or deleted trigger doesn't support triggering flows on
  // relationships of type 1:N or N:N" (power-automate-docs create-update-delete-trigger.md); a row
  // trigger on an intersect table "will never be fired" (stuffandtacos.azurewebsites.net, 2020-06-09).
  if (tableByLogicalName(event.entity)?.intersect) return false;
  const messages = MESSAGES[registration.message];
  if (!messages) throw new Error(`unknown trigger message code ${registration.message} (1..7)`);
  if (!messages.includes(event.message)) return false;
  if (registration.entityname.toLowerCase() !== event.entity) return false;
  if (event.message === "Update" && registration.filteringattributes?.trim()) {
    const wanted = registration.filteringattributes
      .split(",")
      .map((a) => a.trim().toLowerCase())
      .filter(Boolean);
    if (!wanted.some((a) => event.changedAttributes.includes(a))) return false;
  }
  if (registration.filterexpression?.trim()) {
    const expr = compiledFilter(event.entity, registration.filterexpression);
    const row = event.row;
    const matches = evaluateFilter(expr, ([first = "", second]) => {
      if (second !== undefined) return null;
      const v = row[first];
      return v === undefined ? null : (v as FieldValue);
    });
    if (!matches) return false;
  }
  return true;
}

/**
 * The trigger outputs' body a flow receives for an event. For Delete the platform hands over only
 * the deleted row's id, not its columns (anttipajunen.com, "Two-way sync of bookings … Part IV":
 * "the Dataverse trigger used in cloud flows for delete operations only provides the GUID of the
 * row that was deleted"); a flow that needs more must have kept it elsewhere.
 */
export function triggerBodyOf(event: ChangeEvent): Record<string, unknown> {
  if (event.message !== "Delete") return { ...event.row, SdkMessage: event.message };
  const primaryId = tableByName(event.entity).primaryId;
  return { [primaryId]: event.id, ItemInternalId: event.id, SdkMessage: event.message };
}
