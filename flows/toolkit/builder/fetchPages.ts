import { body, call, variables, type Ex } from "../expr/build";
import { coalesce, concat, empty, equals, first, ifElse, last, not, or, replace, split, string } from "../expr/functions";
import { incrementVariable, setVariable } from "./actions";
import type { UntilLimit } from "./control";
import { DATAVERSE_PAGE, listRows } from "./dataverse";
import { escapedAtRunTime } from "./fetchXml";
import type { ScopeBuilder } from "./scope";

/**
 * Reads a FetchXML query a page at a time, as the Web API documents FetchXML paging
 * (MicrosoftDocs/powerapps-docs `…/data-platform/fetchxml/page-results.md`): the fetch element
 * gets `count`, `page` and, from the second page on, `paging-cookie`; the next cookie is the
 * `pagingcookie` attribute of `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie`, "URL-encoded
 * twice"; the last page is the one without `@Microsoft.Dynamics.CRM.morerecords: true`. When a
 * query gets no cookie ("Some queries do not support paging cookies") the pages go on by number
 * alone, which Dataverse allows up to 50,000 rows and refuses beyond, so the run fails rather than
 * missing rows.
 *
 * The connector's pagination policy is not used: nothing shows that it follows a FetchXML query,
 * and past its threshold it drops rows without saying so (flows/toolkit/sim/limits.ts).
 *
 * `each` runs per page with that page's rows, before the next page is asked for, so nothing but
 * one page is ever held. The three variables must be initialised at the top of the flow (integer,
 * string, boolean). After the loop `complete` is true when the last page read was the query's last:
 * false means the loop stopped at its own limit with rows left unread.
 */
export interface FetchPagesOptions {
  /** The entity set, or an expression for it as text (`ex.value`). */
  entitySet: string;
  /** FetchXML text opening with its `<fetch` element, without count, page or paging-cookie. */
  fetch: Ex;
  variables: { page: string; cookie: string; more: string };
  pageSize?: number;
  limit?: UntilLimit;
  /**
   * A page read that fails (after its retries) is noted by `note`, added last in the loop and run
   * only then, and the loop also ends when `stopWhen` is true (the note makes it so).
   */
  onPageFailure?: { note: (page: ScopeBuilder) => void; stopWhen: Ex };
}

/** As long as the run may take: the platform's Until cap on iterations, a day on the clock. */
export const FETCH_PAGES_LIMIT: UntilLimit = { count: 5000, timeout: "PT24H" };

export const MORE_RECORDS = "@Microsoft.Dynamics.CRM.morerecords";
export const PAGING_COOKIE = "@Microsoft.Dynamics.CRM.fetchxmlpagingcookie";

/** The cookie to send next: the annotation's `pagingcookie` attribute, URL-decoded twice ("" when there is none). */
export function nextPagingCookie(annotation: Ex): Ex {
  const encoded = first(split(last(split(coalesce(annotation, ""), 'pagingcookie="')), '"'));
  return call("decodeUriComponent", call("decodeUriComponent", encoded));
}

/** The query with this page's `count`, `page` and (when there is one) `paging-cookie` on its fetch element. */
export function pagedFetch(fetch: Ex, pageSize: number, page: Ex, cookie: Ex): Ex {
  const cookieAttribute = ifElse(empty(cookie), "", concat(' paging-cookie="', escapedAtRunTime(cookie), '"'));
  return replace(fetch, "<fetch", concat(`<fetch count="${pageSize}" page="`, string(page), '"', cookieAttribute));
}

export function eachFetchPage(s: ScopeBuilder, name: string, o: FetchPagesOptions, each: (page: ScopeBuilder, rows: Ex) => void): { complete: Ex } {
  const v = o.variables;
  const pageSize = o.pageSize ?? DATAVERSE_PAGE;
  const page = `${name}_page`;
  s.add(`${name}_first_page`, setVariable(v.page, 1));
  s.add(`${name}_no_cookie`, setVariable(v.cookie, ""));
  const failure = o.onPageFailure;
  s.until(
    name,
    failure ? or(not(variables(v.more)), failure.stopWhen) : not(variables(v.more)),
    (u) => {
      u.add(page, listRows({ entitySet: o.entitySet, fetchXml: pagedFetch(o.fetch, pageSize, variables(v.page), variables(v.cookie)) }));
      each(u, body(page).get("value"));
      u.add(`${name}_more`, setVariable(v.more, equals(body(page).get(MORE_RECORDS), true)));
      u.add(`${name}_cookie`, setVariable(v.cookie, nextPagingCookie(body(page).get(PAGING_COOKIE))));
      u.add(`${name}_next`, incrementVariable(v.page, 1));
      failure?.note(u);
    },
    { limit: o.limit ?? FETCH_PAGES_LIMIT },
  );
  return { complete: not(variables(v.more)) };
}

/** For a flow's top level: the three variables eachFetchPage uses, named once. */
export const fetchPageVariables = (prefix: string) => ({ page: `${prefix}Page`, cookie: `${prefix}Cookie`, more: `${prefix}More` });
