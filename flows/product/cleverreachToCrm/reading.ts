import { body, item, items, outputs, result, variables, type Ex } from "../../toolkit/expr/build";
import * as odata from "../../toolkit/builder/odataFilter";
import { compose, filterArray, incrementVariable, select, setVariable, type Value } from "../../toolkit/builder/actions";
import { cleverReachAction } from "../patterns/cleverreach";
import { listRows } from "../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { and, chunk, coalesce, concat, equals, json, length, less, string, substring, union } from "../../toolkit/expr/functions";

/**
 * How far before a watermark the next run reads again (cleverreach-to-crm.md, "Reading only
 * changes"). CleverReach stamps `deactivated`, `bounced`, blacklist entries and reactions with its
 * own clock, which may lag ours, and documents no guarantee for it; an event stamped before our
 * watermark but made visible after it would otherwise never be read. The writes are idempotent
 * (rows read back and compared, deterministic ids), so reading an hour twice costs reads, not rows.
 */
export const WATERMARK_MARGIN_SECONDS = 3600;

/** Row ids per Dataverse query when reading back the rows a run is about to write. */
const IDS_PER_QUERY = 50;

/** Reads every page of a paged CleverReach list operation (page from 0) into the array variable `into`. */
export function readAllPages(
  s: ScopeBuilder,
  cr: string,
  name: string,
  operationId: string,
  params: Record<string, Value>,
  pageSize: number,
  into: string,
): void {
  s.add(`${name}_reset`, setVariable(into, []));
  s.add(`${name}_first_page`, setVariable("page", 0));
  s.until(
    name,
    less(length(coalesce(body(`${name}_page`), json("[]"))), pageSize),
    (u) => {
      u.add(`${name}_page`, cleverReachAction(cr, operationId, { ...params, page: variables("page"), pagesize: pageSize }));
      u.add(`${name}_merge`, compose(union(variables(into), body(`${name}_page`))));
      u.add(`${name}_keep`, setVariable(into, outputs(`${name}_merge`)));
      u.add(`${name}_next`, incrementVariable("page", 1));
    },
    { limit: { count: 1000, timeout: "PT6H" } },
  );
}

/**
 * Reads the rows with the given ids (a few ids per query, so the URL stays short) into the array
 * variable `into`: what a run is about to write is compared with what is stored, so that a rerun
 * writes nothing. Cost: one query per IDS_PER_QUERY ids.
 */
export function readRowsById(s: ScopeBuilder, name: string, entitySet: string, idColumn: string, columns: string[], ids: Ex, into: string): void {
  s.add(`${name}_reset`, setVariable(into, []));
  s.forEachOneAtATime(name, chunk(ids, IDS_PER_QUERY), (l) => {
    l.add(`${name}_conditions`, select(items(name), odata.filter(odata.eq(idColumn, odata.guid(item())))));
    l.add(`${name}_query`, listRows({ entitySet, select: [idColumn, ...columns], filter: odata.filter(odata.each(`${name}_conditions`, "or")) }));
    l.add(`${name}_merge`, compose(union(variables(into), body(`${name}_query`).get("value"))));
    l.add(`${name}_keep`, setVariable(into, outputs(`${name}_merge`)));
  });
}

/**
 * receiverStateId()/mailingResultId() of flows/product/rules/receiverStates.ts as an expression: two
 * whole numbers, each padded to 16 decimal digits, laid out as a guid.
 */
export function idFromNumbers(a: Ex, b: Ex): Ex {
  const pad = (x: Ex): Ex => substring(concat("0000000000000000", string(x)), length(string(x)), 16);
  const x = pad(a);
  const y = pad(b);
  return concat(substring(x, 0, 8), "-", substring(x, 8, 4), "-", substring(x, 12, 4), "-", substring(y, 0, 4), "-", substring(y, 4, 12));
}

/**
 * After a loop whose iterations write one row each and note a failed write in a Compose named
 * `note` (run after the write failed): the notes go to the array variable `rowErrors`, which the
 * group's end writes on its record and which keeps the watermark where it was, so the next run
 * tries those rows again. Read from result(), as iterations running at once must not write a variable.
 */
export function noteRowFailures(s: ScopeBuilder, name: string, loop: string, note: string): void {
  s.add(`${name}_failed`, filterArray(result(loop), and(equals(item().get("name"), note), equals(item().get("status"), "Succeeded"))));
  s.add(`${name}_failure_texts`, select(body(`${name}_failed`), item().get("outputs")));
  s.add(`${name}_all_failures`, compose(union(variables("rowErrors"), body(`${name}_failure_texts`))));
  s.add(`${name}_keep_failures`, setVariable("rowErrors", outputs(`${name}_all_failures`)));
}
