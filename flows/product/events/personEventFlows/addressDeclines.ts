import { COLUMNS } from "../../../../solution/src/model/handles";
import { body, item, items, outputs, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, select, setVariable } from "../../../toolkit/builder/actions";
import { getRow, updateRow } from "../../../toolkit/builder/dataverse";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import { coalesce, contains, empty, equals, ifElse, json, not, string, toLower, trim, union } from "../../../toolkit/expr/functions";
import { declineKey } from "../../cleverreachToCrm/receiverStateFlows";
import { peopleWithAddress } from "../../patterns/sameAddress";
import { normalizedEmail, validEmail } from "../../sync/expressions";
import type { PersonTable } from "./personTables";

/** How many rounds the copy gets to settle while the Receiver State flows add to the same column. */
export const ADDRESS_DECLINES_ROUNDS = 6;
/** The variables of the copy: the address's declines found on other rows, and whether a round wrote. */
export const ADDRESS_DECLINES = { found: "addressDeclines", wrote: "addressDeclinesWritten" } as const;

const parsed = (text: Ex): Ex => json(ifElse(empty(trim(text)), "[]", text));

/**
 * A decline belongs to the address (SPEC §6.5; issue 15): a contact or lead created with an address
 * CleverReach has declines for (kept on other rows in their declines column), or changed to such an
 * address, gets those declines too, before anything of theirs reaches CleverReach. Without this the
 * row is clean until another Receiver State run for the address, and a new list subscribes it.
 *
 * Every run does it (the trigger carries no old value to tell an e-mail change from another one):
 * the rows whose normalized address (rules/addresses.ts) is this person's, active or not, are read
 * with their declines; entries this row lacks (same type and group) are added to its own declines,
 * entries it has keep their time and state. A row whose declines cannot be read is passed over
 * (only the flows write the column: an administrator's hand edit; the Receiver State flows report
 * it). The write only adds, and it is read back until a round adds nothing, as the Receiver State
 * flows do (receiverStateFlows.ts, addToPeople): a write of theirs in between is kept either way.
 */
export function copyAddressDeclines(s: ScopeBuilder, p: PersonTable, person: Ex, personId: Ex): void {
  s.add("Person_address", compose(normalizedEmail(person.get("emailaddress1"))));
  const address = outputs("Person_address");
  s.condition("Address_to_check", validEmail(address), (a) => {
    peopleWithAddress(a, "Address_rows", address, false, { declines: COLUMNS.cleverReachDeclines });
    a.add("Other_address_rows", filterArray(outputs("Address_rows"), not(equals(item().get("id"), toLower(personId)))));
    a.add("Rows_with_declines", filterArray(body("Other_address_rows"), not(empty(trim(coalesce(item().get("declines"), ""))))));
    a.forEachOneAtATime("Each_address_row", body("Rows_with_declines"), (e) => {
      e.add("Row_declines_parsed", compose(parsed(items("Each_address_row").get("declines"))));
      e.add("Address_declines_merged", compose(union(variables(ADDRESS_DECLINES.found), outputs("Row_declines_parsed"))));
      e.add("Keep_row_declines", setVariable(ADDRESS_DECLINES.found, outputs("Address_declines_merged")));
      e.add("Row_declines_unreadable", compose("passed over"), { Row_declines_parsed: ["Failed"] });
    });
    a.condition("Address_has_declines", not(empty(variables(ADDRESS_DECLINES.found))), (d) => {
      d.until(
        "Address_declines_copied",
        not(variables(ADDRESS_DECLINES.wrote)),
        (u) => {
          u.add("Copy_round", setVariable(ADDRESS_DECLINES.wrote, false));
          u.add("Read_own_declines", getRow(p.entitySet, personId, [COLUMNS.cleverReachDeclines]));
          // Own declines that cannot be read are left as they are: they already leave nothing accepted.
          u.add("Own_declines", compose(parsed(coalesce(body("Read_own_declines").get(COLUMNS.cleverReachDeclines), ""))));
          u.add("Own_decline_keys", select(outputs("Own_declines"), declineKey(item())));
          u.add("Declines_missing", filterArray(variables(ADDRESS_DECLINES.found), not(contains(body("Own_decline_keys"), declineKey(item())))));
          u.condition("Anything_to_copy", not(empty(body("Declines_missing"))), (w) => {
            w.add(
              "Write_address_declines",
              updateRow(p.entitySet, personId, { [COLUMNS.cleverReachDeclines]: string(union(outputs("Own_declines"), body("Declines_missing"))) }),
            );
            w.add("Copied", setVariable(ADDRESS_DECLINES.wrote, true));
          });
        },
        { limit: { count: ADDRESS_DECLINES_ROUNDS, timeout: "PT1H" } },
      );
    });
  });
}
