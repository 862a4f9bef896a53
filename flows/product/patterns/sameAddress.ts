import { CONTACT, LEAD } from "../../../solution/src/model/tables";
import { body, item, type Ex } from "../../toolkit/expr/build";
import { compose, filterArray, select, type Value } from "../../toolkit/builder/actions";
import { listRows } from "../../toolkit/builder/dataverse";
import { attributes, condition, entity, fetch, fetchXml, filter, text } from "../../toolkit/builder/fetchXml";
import type { ScopeBuilder } from "../../toolkit/builder/scope";
import { concat, equals, replace, toLower, union } from "../../toolkit/expr/functions";
import { normalizedEmail } from "../sync/expressions";

/**
 * A `like` pattern that finds every stored spelling of a normalized address (any case, white space
 * around it); the rows are then compared exactly with normalizedEmail(). `[` opens a character
 * class in Dataverse's like (SQL Server), so it is matched by `_`, which matches any one character:
 * the pattern only ever finds more, never less. The FetchXML builder escapes it where it is used
 * (escaping it here as well made o'brien@… a search for o&apos;brien@…, which found nobody).
 */
export const addressPattern = (address: Ex): Ex => concat("%", replace(address, "[", "_"), "%");

const PEOPLE = [
  { table: CONTACT.logicalName, idColumn: "contactid", set: CONTACT.entitySetName },
  { table: LEAD.logicalName, idColumn: "leadid", set: LEAD.entitySetName },
] as const;

/**
 * Every contact and lead whose address, normalized (SPEC §6.2), is `address` (already normalized):
 * `{ set, id }` per person in `outputs(name)` (a Compose). Two queries; a `like` with a leading `%`
 * scans the tables, so this is for one address at a time. `onlyActive` leaves out inactive people;
 * `extra` adds columns to each entry (`{ key: column }`).
 */
export function peopleWithAddress(s: ScopeBuilder, name: string, address: Ex, onlyActive = false, extra: Record<string, string> = {}): string {
  for (const p of PEOPLE) {
    const q = `${name}_${p.table}s`;
    s.add(
      q,
      listRows({
        entitySet: p.set,
        fetchXml: fetchXml(
          fetch(
            entity(
              p.table,
              ...attributes([p.idColumn, "emailaddress1", ...Object.values(extra)]),
              filter(condition("emailaddress1", "like", text(addressPattern(address))), ...(onlyActive ? [condition("statecode", "eq", 0)] : [])),
            ),
          ),
        ),
      }),
    );
    s.add(`${q}_exact`, filterArray(body(q).get("value"), equals(normalizedEmail(item().get("emailaddress1")), address)));
    s.add(
      `${q}_refs`,
      select(body(`${q}_exact`), {
        set: p.set,
        id: toLower(item().get(p.idColumn)),
        ...Object.fromEntries(Object.entries(extra).map(([k, c]) => [k, item().get(c)])),
      } as Value),
    );
  }
  s.add(name, compose(union(...(PEOPLE.map((p) => body(`${name}_${p.table}s_refs`)) as [Ex, Ex]))));
  return name;
}
