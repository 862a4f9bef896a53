import { body, item, type Ex } from "../../toolkit/expr/build";
import { compose, select } from "../../toolkit/builder/actions";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { concat, createArray, join, json, length, string, sub, substring } from "../../toolkit/expr/functions";

/**
 * `"key":value` as JSON text. The key is written through string() of a one-item array, which
 * escapes it as JSON does (a `"` or `\` in an address CleverReach stored would otherwise break the
 * object for every group: issue 15, item 16), and the brackets are cut off again.
 */
function jsonEntry(key: Ex, value: Ex): Ex {
  const quoted = string(createArray(string(key)));
  return concat(substring(quoted, 1, sub(length(quoted), 2)), ":", string(value));
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
