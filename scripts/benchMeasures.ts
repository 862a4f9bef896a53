import type { RunResult } from "../flows/toolkit/sim/engine";
import { CUSTOM_CONNECTOR_RATE, RUN_LIMITS } from "../flows/toolkit/sim/limits";
import type { Largest } from "../flows/toolkit/sim/measure";

/**
 * The columns every flow bench prints: calls per service, actions, the largest value and variable
 * beside the platform's caps, and the run's virtual duration under the connection rate limits.
 */
const DATAVERSE = "commondataservice";

const kb = (bytes: number): string =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(2)} MB`;

export const sizeText = (l: Largest): string => `${kb(l.bytes)} / ${l.items} items (${l.where || "-"})`;

export function minutes(ms: number): string {
  const m = ms / 60_000;
  return m < 1 ? `${Math.round(ms / 1000)} s` : m < 120 ? `${m.toFixed(1)} min` : `${(m / 60).toFixed(1)} h`;
}

export interface Calls {
  cleverReach: number;
  dataverse: number;
  dataverseWrites: number;
}

export function callsOf(r: RunResult): Calls {
  let cleverReach = 0;
  let dataverse = 0;
  let dataverseWrites = 0;
  for (const [key, n] of Object.entries(r.counts.operations)) {
    if (!key.includes(DATAVERSE)) cleverReach += n;
    else {
      dataverse += n;
      if (/:(CreateRecord|UpdateRecord|UpdateOnlyRecord|DeleteRecord|AssociateEntities|DisassociateEntities)$/.test(key)) dataverseWrites += n;
    }
  }
  return { cleverReach, dataverse, dataverseWrites };
}

/** The caps the largest value and variable are measured against (flows/toolkit/sim/limits.ts). */
export const LIMITS_TEXT =
  `caps: a variable ${kb(RUN_LIMITS.variableBytes)} / ${RUN_LIMITS.variableItems} items; one string from concat/join/string ${RUN_LIMITS.expressionResultCharacters} characters; ` +
  `Apply to each ${RUN_LIMITS.foreachItems} items; List rows pagination ${RUN_LIMITS.paginatedItems} rows; message 100 MB; CleverReach connection ${CUSTOM_CONNECTOR_RATE.calls} calls a minute`;

/** A markdown table from rows of the same keys (a failed run's row may have fewer). */
export function table(rows: Array<Record<string, string | number>>): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [`| ${keys.join(" | ")} |`, `|${keys.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${keys.map((k) => String(r[k] ?? "")).join(" | ")} |`)].join(
    "\n",
  );
}

/** The first failed action that carries its own error (not a Catch's summary), for a failed run's row. */
export function failureOf(r: RunResult): string {
  const failed = [...r.actions.values()].filter((a) => a.status === "Failed" && a.error && !/see the flow run|failed at /.test(a.error.message));
  const first = failed[0] ?? [...r.actions.values()].find((a) => a.status === "Failed");
  return `FAILED at ${first?.name ?? "?"}: ${(first?.error ?? r.error)?.message ?? r.status}`;
}
