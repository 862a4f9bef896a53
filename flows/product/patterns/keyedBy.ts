import { body, item, type Ex } from "../../toolkit/expr/build";
import { compose, select } from "../../toolkit/builder/actions";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { concat, join, json, string } from "../../toolkit/expr/functions";

/** A JSON object key for `text` (the flows only key by validated e-mail addresses and ids: no quotes). */
function jsonEntry(key: Ex, value: Ex): Ex {
  return concat('"', key, '":', string(value));
}

/**
 * Keyed-object pattern: a Select writes `"key":{…}` per item and a Compose parses the joined text
 * into one object, so that later lookups by key are single property reads instead of a search per
 * item. `key` is an expression over `item()`; a later item with the same key wins. Returns the
 * name of the Compose holding the object.
 *
 * Only for a set of known small size (a page of 50 blacklist entries): the joined text is one
 * string, which Power Automate refuses past 131,072 characters (flows/toolkit/sim/limits.ts), so a
 * group's receivers or a page of 5000 cannot be keyed this way (issue 11).
 */
export function keyedBy(s: ScopeBuilder, names: { entries: string; keyed: string }, from: Ex, key: Ex): string {
  s.add(names.entries, select(from, jsonEntry(key, item())));
  return s.add(names.keyed, compose(json(concat("{", join(body(names.entries), ","), "}"))));
}
