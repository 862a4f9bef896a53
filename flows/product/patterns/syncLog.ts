import { SYNC_LOG_OUTCOME } from "../../../solution/src/model/customTables";
import { COLUMNS, TABLES } from "../../../solution/src/model/handles";
import { product } from "../../../solution/src/model/product";
import { workflow, type Ex } from "../../toolkit/expr/build";
import { concat, ifElse } from "../../toolkit/expr/functions";
import type { Value } from "../../toolkit/builder/actions";
import { addRow, type RowValues } from "../../toolkit/builder/dataverse";
import type { Placement, ScopeBuilder } from "../../toolkit/builder/scope";
import { GROUP_OWNERS, type GroupOwner } from "../sync/groupOwners";

const option = (offset: number): number => product.publisher.optionValuePrefix * 10000 + offset;

/** Choice values of the sync log's Outcome column. */
export const SYNC_LOG_OUTCOME_VALUE = {
  succeeded: option(SYNC_LOG_OUTCOME.succeeded),
  failed: option(SYNC_LOG_OUTCOME.failed),
} as const;

/**
 * The run's page in Power Automate, built from workflow() as Microsoft's coding guidelines describe
 * the function ("Employ robust error handling": workflow() returns the flow's name, its tags with
 * environmentName, and run.name) and as the maker portal addresses a run:
 * https://make.powerautomate.com/environments/<environment>/flows/<flow>/runs/<run>.
 */
export const FLOW_RUN_URL: Ex = concat(
  "https://make.powerautomate.com/environments/",
  workflow().get("tags").get("environmentName"),
  "/flows/",
  workflow().get("name"),
  "/runs/",
  workflow().get("run").get("name"),
);

/** What one run did for one record's group. Counts left out are written as empty, not as 0. */
export interface SyncLogEntry {
  /** The flow's display name (its English name, as the run history shows it). */
  flow: string;
  /** The record: its table (a literal, or an expression giving list/campaign/campaignactivity) and row id. */
  table: GroupOwner["table"] | Ex;
  id: Ex | string;
  groupId?: Value;
  /** "succeeded" or "failed", or an expression that is true when the run succeeded. */
  outcome: keyof typeof SYNC_LOG_OUTCOME_VALUE | Ex;
  startedOn: Value;
  endedOn: Value;
  added?: Value;
  updated?: Value;
  removed?: Value;
  skipped?: Value;
  skippedWhy?: Value;
  /** An import's receivers that no one in the CRM has and were not created, one address a line. */
  unmatched?: Value;
  /** The error in words; empty when the run succeeded. */
  error?: Value;
  /** A person run's person (events/personEventFlows/personSyncLog.ts), as text. */
  person?: Value;
}

/**
 * Writes one sync log row (solution/src/model/customTables.ts, syncLog) as the step `name`: a Scope
 * that adds the row linked to its record, and, when that link cannot be made (the record was
 * deleted meanwhile: the bind answers 404), the same row without the link (the record table and id
 * are kept as text). The scope fails only when neither could be written; callers that must not
 * fail for a log row run their next step after it whatever its status.
 *
 * A record given by an expression is linked through a Switch on its table: the lookup to bind is a
 * parameter name, which one action cannot choose at run time.
 */
export function writeSyncLog(s: ScopeBuilder, name: string, e: SyncLogEntry, placement: Placement = {}, link = true): string {
  const outcome =
    typeof e.outcome === "string" ? SYNC_LOG_OUTCOME_VALUE[e.outcome] : ifElse(e.outcome, SYNC_LOG_OUTCOME_VALUE.succeeded, SYNC_LOG_OUTCOME_VALUE.failed);
  const outcomeWord = typeof e.outcome === "string" ? e.outcome : ifElse(e.outcome, "succeeded", "failed");
  const values: RowValues = {
    [COLUMNS.name]: concat(e.flow, ": ", outcomeWord),
    [COLUMNS.flow]: e.flow,
    [COLUMNS.outcome]: outcome,
    [COLUMNS.recordTable]: e.table,
    [COLUMNS.recordId]: e.id,
    [COLUMNS.startedOn]: e.startedOn,
    [COLUMNS.endedOn]: e.endedOn,
    [COLUMNS.runUrl]: FLOW_RUN_URL,
  };
  const optional: Array<[string, Value | undefined]> = [
    [COLUMNS.groupId, e.groupId],
    [COLUMNS.added, e.added],
    [COLUMNS.updated, e.updated],
    [COLUMNS.removed, e.removed],
    [COLUMNS.skipped, e.skipped],
    [COLUMNS.skippedWhy, e.skippedWhy],
    [COLUMNS.unmatched, e.unmatched],
    [COLUMNS.error, e.error],
    [COLUMNS.person, e.person],
  ];
  for (const [column, v] of optional) if (v !== undefined) values[column] = v;

  const linked = (c: ScopeBuilder, o: GroupOwner): void => {
    const withRecord = `${name}_${o.table}`;
    c.add(withRecord, addRow(TABLES.syncLog.entitySet, { ...values, [o.lookup.navigation]: { bind: concat(`/${o.entitySet}(`, e.id, ")") } }));
    c.add(`${name}_${o.table}_unlinked`, addRow(TABLES.syncLog.entitySet, values), { [withRecord]: ["Failed"] });
  };
  // Unlinked: one action instead of a Switch over the tables (a flow may hold 500 actions, and Sync
  // group has several early stops); the record stays named by its table and id as text.
  if (!link) return s.add(name, addRow(TABLES.syncLog.entitySet, values), placement.after);
  return s.scope(
    name,
    (c) => {
      if (typeof e.table === "string") {
        const owner = GROUP_OWNERS.find((o) => o.table === e.table);
        if (!owner) throw new Error(`writeSyncLog: ${e.table} owns no group`);
        linked(c, owner);
        return;
      }
      const cases: Record<string, { value: string; body: (b: ScopeBuilder) => void }> = {};
      for (const o of GROUP_OWNERS) cases[o.table] = { value: o.table, body: (b) => linked(b, o) };
      c.switch(`${name}_by_table`, e.table, cases, { otherwise: (b) => b.add(`${name}_unlinked`, addRow(TABLES.syncLog.entitySet, values)) });
    },
    placement,
  );
}
