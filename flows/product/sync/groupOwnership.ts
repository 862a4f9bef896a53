import { COLUMNS } from "../../../solution/src/model/handles";
import { body, item, lit, type Ex } from "../../toolkit/expr/build";
import { filterArray, select } from "../../toolkit/builder/actions";
import type { After, ScopeBuilder } from "../../toolkit/builder/scope";
import { cleverReachAction } from "../patterns/cleverreach";
import { EPOCH, unixFromIso } from "../patterns/unixTime";
import {
  and,
  coalesce,
  concat,
  contains,
  empty,
  equals,
  first,
  greater,
  ifElse,
  int,
  length,
  lessOrEquals,
  not,
  string,
  sub,
  take,
} from "../../toolkit/expr/functions";

/**
 * Which CleverReach group belongs to a record, proven in CleverReach itself (flows/product/README.md,
 * "Sync group", "Whose group it is"). The product creates, right after it created a group, the group
 * attribute OWNER_MARK whose label names the record; no column of the CRM can set it, and the flows
 * create it on no other group. Only a group that carries the mark for this record (or an unmarked one
 * that the flows' own Group Link row named from the group's first hour, a group made before the mark
 * existed) is renamed, has receivers removed, or is deleted.
 */
export const OWNER_MARK = {
  name: "crm_owner",
  type: "text",
} as const;

const OWNER_LABEL_PREFIX = "Created by the CRM connector for ";

/** The mark's label: the record the group was created for ("list <id>"). */
export const ownerLabel = (table: Ex, id: Ex): Ex => concat(OWNER_LABEL_PREFIX, table, " ", id);

/** ownerLabel() as plain text (for seeding a group the product made earlier, in tests and benches). */
export const ownerLabelText = (table: string, id: string): string => `${OWNER_LABEL_PREFIX}${table} ${id}`;

/**
 * CleverReach's limit on a group name is documented nowhere we found (the API explorer, the SDK and the
 * integration core are silent; the core only checks the name is not empty). The fake refuses names
 * longer than this (the stricter plausible choice, tests/fakes/cleverreach/handlers.ts) and the flows cut
 * longer ones, ending them with "…": a campaign activity's subject alone may have 200 characters.
 */
export const GROUP_NAME_MAX = 100;

/** `prefix + name`, cut to GROUP_NAME_MAX characters with "…" as the last one when it is longer. */
export function groupName(prefix: Ex, name: Ex): Ex {
  const full = concat(prefix, name);
  return ifElse(greater(length(full), GROUP_NAME_MAX), concat(take(full, GROUP_NAME_MAX - 1), "…"), full);
}

/**
 * A group without the mark, made before the mark existed, is still the record's when the flows' own Group
 * Link row names it and was created within this many seconds of the group: the flows write the link right
 * after creating the group, while a link that merely copies an id (typed into a record, say) names a group
 * that was made long before.
 */
export const LEGACY_LINK_WINDOW_SECONDS = 3600;

/** The legacy rule above as one expression: `link` a Group Link row (with createdon), `group` CleverReach's group. */
export function linkedSinceCreation(link: Ex, group: Ex): Ex {
  const apart = sub(unixFromIso(coalesce(link.get("createdon"), EPOCH)), int(group.get("stamp")));
  return and(
    equals(coalesce(link.get(COLUMNS.groupId), ""), string(group.get("id"))),
    lessOrEquals(apart, LEGACY_LINK_WINDOW_SECONDS),
    lessOrEquals(sub(0, apart), LEGACY_LINK_WINDOW_SECONDS),
  );
}

export interface OwnerReading {
  /** The group carries a mark (for any record). */
  marked: Ex;
  /** The group carries the mark for this record. */
  mine: Ex;
}

/** Reads a group's mark: `<p>_attributes` lists the group's own attributes, `<p>_mark` keeps the mark. */
export function readOwner(s: ScopeBuilder, cr: string, p: string, groupId: Ex, label: Ex, after?: After): OwnerReading {
  s.add(`${p}_attributes`, cleverReachAction(cr, "ListAttributes", { group_id: int(groupId) }), after);
  s.add(`${p}_mark`, filterArray(body(`${p}_attributes`), equals(item().get("name"), OWNER_MARK.name)));
  const mark = body(`${p}_mark`);
  return { marked: not(empty(mark)), mine: and(not(empty(mark)), equals(coalesce(first(mark).get("description"), ""), label)) };
}

/**
 * Claims a group for this record: creates the mark and reads it back. CleverReach refuses a second
 * attribute of one name in a group (409, as the integration core's createGlobalAttribute expects), so
 * of two records claiming one group only the first gets it; a claim whose answer was lost is retried,
 * refused as existing, and recognised as this record's when read back. Returns "the group is ours now".
 */
export function claimGroup(s: ScopeBuilder, cr: string, p: string, groupId: Ex, label: Ex): Ex {
  s.add(
    `${p}_claim`,
    cleverReachAction(cr, "CreateGroupAttribute", {
      group_id: int(groupId),
      "body/name": OWNER_MARK.name,
      "body/type": OWNER_MARK.type,
      "body/description": label,
    }),
  );
  return readOwner(s, cr, p, groupId, label, { [`${p}_claim`]: ["Succeeded", "Failed", "TimedOut"] }).mine;
}

/**
 * Whether `groupId` is the group of one of `owners` (owner entries of patterns/syncedOwners.ts,
 * which take the group id from the record's column): the event flows that write to a group for a
 * person check this before adding, updating or removing a receiver, as Sync group and Delete group
 * check before renaming, removing and deleting. One call per group. A group made before the mark
 * existed is marked by its record's next Sync group (ensureGroup); until then the person's change
 * waits for that sync.
 */
export function ownedByOneOf(s: ScopeBuilder, cr: string, p: string, groupId: Ex, owners: Ex): Ex {
  s.add(`${p}_owner_labels`, select(owners, ownerLabel(item().get("table"), item().get("id"))));
  const { marked } = readOwner(s, cr, p, groupId, lit(""));
  return and(marked, contains(body(`${p}_owner_labels`), coalesce(first(body(`${p}_mark`)).get("description"), "")));
}
