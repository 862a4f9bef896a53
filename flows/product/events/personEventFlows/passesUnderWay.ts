import { COLUMNS, TABLES } from "../../../../solution/src/model/handles";
import { body, item, items, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, runChildFlow, select, setVariable, type Value } from "../../../toolkit/builder/actions";
import { listRows } from "../../../toolkit/builder/dataverse";
import { attribute, condition, entity, fetch, fetchXml, filter } from "../../../toolkit/builder/fetchXml";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { contains, toLower, union } from "../../../toolkit/expr/functions";
import { SYNC_GROUP_CALL } from "../../patterns/childFlows";
import { idValues } from "../../patterns/syncedOwners";

const LOCK = TABLES.syncLock;
/** The variable that holds the owners whose Sync group must make one more pass ({ table, id }). */
export const PASSES = "passesNeeded";

/*
 * A person run against a Sync group pass of one of the person's groups (flows/product/README.md,
 * "Overlapping runs"). The two take different locks (the person's, the group owner's), so a pass
 * that read the person before this run's cause (a save that declines a type, declines copied from
 * the address, a deactivation) can write its old view after this run looked at the group: it adds
 * back whom this run removed, or adds someone this run found nothing to remove of.
 *
 * Such a pass holds its owner's lock from its reading of the person to its write, so it holds it
 * at every moment between the cause and this run's look at the group's receivers. This run
 * therefore looks at the owners' locks once, after it has read the person and before it reads any
 * receiver: for every owner whose sync holds its lock then, it runs Sync group for that owner at
 * the end. That run coalesces (patterns/recordLock.ts): it makes, or is served by, one more pass
 * that begins after the holder releases, and so reads the person as this run saw them. An owner
 * whose lock is free at the look has no pass that read the person before the cause: a pass that
 * begins later reads after it.
 */

/** Notes, in PASSES, the owners among `owners` (owner entries: { table, id, … }) whose sync pass is under way now. */
export function notePassesUnderWay(s: ScopeBuilder, prefix: string, owners: Ex): void {
  s.add(`${prefix}_owner_ids`, select(owners, item().get("id")));
  const values = idValues(s, `${prefix}_owner_values`, body(`${prefix}_owner_ids`));
  s.add(
    `${prefix}_sync_locks`,
    listRows({
      entitySet: LOCK.entitySet,
      fetchXml: fetchXml(
        fetch(entity(LOCK.logicalName, attribute(LOCK.idColumn), filter(condition(LOCK.idColumn, "in", values), condition(COLUMNS.lockKind, "eq", "sync")))),
      ),
    }),
  );
  s.add(`${prefix}_busy_ids`, select(body(`${prefix}_sync_locks`).get("value"), toLower(item().get(LOCK.idColumn))));
  s.add(`${prefix}_busy_owners`, filterArray(owners, contains(body(`${prefix}_busy_ids`), toLower(item().get("id")))));
  s.add(`${prefix}_busy_refs`, select(body(`${prefix}_busy_owners`), { table: item().get("table"), id: toLower(item().get("id")) } as Value));
  // A Set variable does not read the variable it sets (a Compose first, as everywhere in the flows).
  s.add(`${prefix}_with_busy`, compose(union(variables(PASSES), body(`${prefix}_busy_refs`))));
  s.add(`${prefix}_note_busy`, setVariable(PASSES, outputs(`${prefix}_with_busy`)));
}

/** Runs Sync group once for every owner in PASSES (one after another: each may wait for its holder). */
export function runNotedPasses(s: ScopeBuilder, prefix: string, syncGroupId: string): void {
  s.forEachOneAtATime(`${prefix}_each_pass`, union(variables(PASSES), variables(PASSES)), (e) => {
    const owner = items(`${prefix}_each_pass`);
    e.add(`${prefix}_pass`, runChildFlow(syncGroupId, { table: owner.get("table"), id: owner.get("id") }, SYNC_GROUP_CALL));
  });
}
