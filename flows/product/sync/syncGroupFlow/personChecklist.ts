import { COLUMNS } from "../../../../solution/src/model/handles";
import { CHECKLIST_STATE } from "../../../../pcf-checklist/src/checklist";
import { body, call, item, items, outputs, result, variables, type Ex } from "../../../toolkit/expr/build";
import { compose, filterArray, select, setVariable, type Value } from "../../../toolkit/builder/actions";
import type { ScopeBuilder } from "../../../toolkit/builder/scope";
import {
  addProperty,
  and,
  coalesce,
  concat,
  contains,
  createArray,
  empty,
  endsWith,
  equals,
  ifElse,
  join,
  json,
  length,
  not,
  or,
  startsWith,
  string,
  substring,
  trim,
} from "../../../toolkit/expr/functions";

/**
 * Eligibility read from the person's own checklist JSON, one expression per row and no loop per
 * person (flows/product/README.md, "Eligibility"; the oracle is personEligibility() in
 * flows/product/rules/eligibility.ts). The checklist, CleverReach's declines and the derived
 * column become one XML document per row,
 *
 *   xml({"r": {"t": <checklist>, "d": <declines>, "k": <the derived column>}})
 *
 * built as an object (addProperty), never by splicing the user's text into JSON, and XPath
 * counts over it. Json.NET's conversion turns each array item into an element of the property's
 * name (<t>…</t><t>…</t>), a number and the string of its digits into the same text, and
 * one-item arrays into a single element (tests/toolkit/xmlFunctions.test.ts), so what XPath cannot
 * tell apart ("state":"1", "id":[5]) is told apart in the compact JSON text string() writes, where
 * a key's value starts right after `"key":`.
 *
 * A row whose checklist is not JSON makes json() fail, and with it the Select of its page; the
 * page is then checked one row at a time (checkPeople in reconcile.ts), that row counted as unreadable.
 */

const text = (column: string, row: Ex): Ex => coalesce(row.get(column), "");
const parsed = (value: Ex): Ex => json(ifElse(empty(trim(value)), "[]", value));
const checklistOf = (row: Ex): Ex => parsed(text(COLUMNS.newsletterChecklist, row));
const declinesOf = (row: Ex): Ex => parsed(text(COLUMNS.cleverReachDeclines, row));

/** The row as one XML document: checklist rows as <t>, declines as <d>, the derived column as <k>. */
export function personXml(row: Ex): Ex {
  const r = addProperty(addProperty(addProperty(json("{}"), "t", checklistOf(row)), "d", declinesOf(row)), "k", text(COLUMNS.acceptedTypes, row));
  return call("xml", addProperty(json("{}"), "r", r));
}

const xpath = (xml: Ex, path: Ex | string): Ex => call("xpath", xml, path);

/** Checklist rows and declines that cannot be read: not an object, id or state missing, twice, not a whole number, a state other than 0/1/2, an id twice. */
const UNREADABLE_ROWS =
  "count(/r/t[not(*) or count(id) != 1 or count(state) != 1 or id/* or state/* or not(id = floor(id))" +
  " or not(state = 0 or state = 1 or state = 2) or id = preceding-sibling::t/id])" +
  " + count(/r/d[not(*) or count(id) != 1 or id/* or not(id = floor(id)) or id < 0])";

/** What XPath cannot see: a checklist or declines that is not an array, and an id or state written as a string or an array. */
function unreadableShape(row: Ex): Ex {
  const isArray = (v: Ex) => startsWith(string(createArray(v)), "[[");
  const checklist = string(checklistOf(row));
  const declines = string(declinesOf(row));
  return or(
    not(isArray(checklistOf(row))),
    not(isArray(declinesOf(row))),
    contains(checklist, '"id":"'),
    contains(checklist, '"state":"'),
    contains(checklist, '"id":['),
    contains(checklist, '"state":['),
    contains(declines, '"id":"'),
    contains(declines, '"id":['),
  );
}

/** The person's accepted types that CleverReach has not declined (a decline counts as not accepted). */
const ACCEPTED = `/r/t[state=${CHECKLIST_STATE.accepted}][not(id = /r/d/id)]`;

/**
 * The XPath that says whether a person is wanted (1) or not (0), for a record that sends the
 * types `sends` ("id=0 or id=3") and excludes `excludes` ("id=2", or "false()" for none): the
 * person accepted a type the record sends and none it excludes (README, "Eligibility", 4 and 5).
 */
export const wantedXpath = (sends: Ex, excludes: Ex): Ex => concat(`count(${ACCEPTED}[`, sends, `]) > 0 and count(${ACCEPTED}[`, excludes, "]) = 0");

/**
 * True when the derived column does not hold the same set of ids as the checklist's accepted rows
 * less CleverReach's declines, as the person flows write it (in any order: they write the ids
 * ascending, the sync in the checklist's order).
 */
const INDEX_STALE =
  `count(${ACCEPTED}[not(contains(/r/k, concat(',', id, ',')))]) > 0` +
  ` or count(${ACCEPTED}) != string-length(/r/k) - string-length(translate(/r/k, ',', '')) - 1 + number(string-length(/r/k) = 0)`;

/**
 * One XPath per row, read as text of three digits (a text comes back the same on every reading of
 * the reference, a number of XPath's might come back as 1 or 1.0): "1" first when the row cannot
 * be read, "1" second when its derived column is stale, "1" last when the person is wanted.
 */
const verdictXpath = (wantedXpathText: Ex): Ex => concat("concat(number(", UNREADABLE_ROWS, " > 0), number(", INDEX_STALE, "), number(", wantedXpathText, "))");

/** The derived column's value: the accepted ids CleverReach has not declined, as ",0,3," (empty when none). */
export function indexValue(row: Ex): Ex {
  const ids = xpath(personXml(row), `${ACCEPTED}/id/text()`);
  // A node set of one may come back as the bare value (the reference is not consistent): both are read.
  const joined = ifElse(startsWith(string(createArray(ids)), "[["), join(ids, ","), string(ids));
  return ifElse(empty(joined), "", concat(",", joined, ","));
}

/** Rows checked at once when a page is checked a row at a time. */
const ROWS_AT_ONCE = 20;

/** What a checked row carries: the row, whether it can be read, whether it is wanted, whether its derived column is stale. */
function checkedFields(row: Ex, shapeBad: Ex, verdict: Ex): Value {
  return { row, verdict: ifElse(shapeBad, "100", xpath(personXml(row), verdict)) };
}

/** Conditions on a checked row (`item()` of the checked array). */
export const CHECKED = {
  readable: (c: Ex): Ex => startsWith(c.get("verdict"), "0"),
  wanted: (c: Ex): Ex => and(startsWith(c.get("verdict"), "0"), endsWith(c.get("verdict"), "1")),
  stale: (c: Ex): Ex => and(startsWith(c.get("verdict"), "0"), equals(substring(c.get("verdict"), 1, 1), "1")),
};

export interface CheckedPeople {
  /** The checked rows that can be read (as an expression). */
  checked: Ex;
}

/**
 * Checks a page of people against the record: into the array variable `variable`, one entry per
 * row whose checklist JSON can be parsed (`row`, and `verdict`, read with CHECKED). The page is one Select when every checklist is JSON; when one is not, its Select fails
 * and the page is checked a row at a time, the rows that fail left out. Only the flow's own
 * sequential loops may call this (it sets a variable).
 */
export function checkPeople(s: ScopeBuilder, prefix: string, rows: Ex, variable: string, wantedXpathText: Ex): CheckedPeople {
  s.add(`${prefix}_reset`, setVariable(variable, []));
  s.add(`${prefix}_verdict`, compose(verdictXpath(wantedXpathText)));
  const verdict = outputs(`${prefix}_verdict`);
  s.add(`${prefix}_checked`, select(rows, checkedFields(item(), unreadableShape(item()), verdict)));
  s.add(`${prefix}_keep`, setVariable(variable, body(`${prefix}_checked`)));
  const one = `${prefix}_one_by_one`;
  s.forEach(
    one,
    rows,
    (o) => {
      const row = items(one);
      o.add(`${prefix}_one`, compose(checkedFields(row, unreadableShape(row), verdict)));
    },
    { concurrency: ROWS_AT_ONCE, after: { [`${prefix}_checked`]: ["Failed"] } },
  );
  s.add(`${prefix}_one_read`, filterArray(result(one), and(equals(item().get("name"), `${prefix}_one`), equals(item().get("status"), "Succeeded"))), {
    [one]: ["Succeeded", "Failed"],
  });
  s.add(`${prefix}_one_outputs`, select(body(`${prefix}_one_read`), item().get("outputs")));
  s.add(`${prefix}_keep_one_by_one`, setVariable(variable, body(`${prefix}_one_outputs`)));
  // Not after a page that was not read (its reset was skipped): the variable holds the page before.
  s.add(`${prefix}_done`, compose(length(variables(variable))), {
    [`${prefix}_reset`]: ["Succeeded"],
    [`${prefix}_keep`]: ["Succeeded", "Skipped"],
    [`${prefix}_keep_one_by_one`]: ["Succeeded", "Skipped"],
  });
  return { checked: variables(variable) };
}

/** Rows checked at once when a page is checked a row at a time. */
