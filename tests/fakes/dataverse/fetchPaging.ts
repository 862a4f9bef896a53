import { badRequest } from "./errors";

/**
 * FetchXML paging as the Web API documents it (MicrosoftDocs/powerapps-docs
 * `powerapps-docs/developer/data-platform/fetchxml/page-results.md`, ms.date 01/30/2024):
 *
 * - the fetch element's `count` (page size, "default and maximum … 5,000") and `page` choose the
 *   page; without `paging-cookie` that is *simple* paging, which "Can't return a data set larger
 *   than 50,000 records";
 * - with the Prefer annotations, a page that has more after it carries
 *   `@Microsoft.Dynamics.CRM.morerecords: true` and `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie`,
 *   an XML element whose `pagingcookie` attribute is the cookie "URL-encoded *twice*"; "On the final
 *   page, the … morerecords and … fetchxmlpagingcookie annotations aren't included";
 * - the next request sets the decoded cookie as the fetch element's `paging-cookie` and the next
 *   `page`; "if you request nonconsecutive pages, the paging cookie value is ignored" (the SDK page
 *   "Page large result sets with FetchXML").
 *
 * Nothing on that page gives FetchXML an @odata.nextLink, so the fake never sends one: a List rows
 * pagination policy has nothing to follow, and the flow pages by itself.
 */
export const SIMPLE_PAGING_MAX_ROWS = 50_000;

export const PAGING_ANNOTATIONS = ["Microsoft.Dynamics.CRM.fetchxmlpagingcookie", "Microsoft.Dynamics.CRM.morerecords"] as const;

/** The cookie's position: the page it ends and the primary key of that page's last and first rows. */
export interface PagingCookie {
  page: number;
  last: string;
  first: string;
}

const braced = (id: string): string => `{${id.toUpperCase()}}`;

/** .NET's HttpUtility.UrlEncode writes lower-case escapes, as the documented cookie shows. */
const urlEncode = (s: string): string => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());

/** The inner cookie, as the flow must put it (XML-encoded) into the next fetch's `paging-cookie`. */
export function pagingCookieXml(primaryId: string, cookie: PagingCookie): string {
  return `<cookie page="${cookie.page}"><${primaryId} last="${braced(cookie.last)}" first="${braced(cookie.first)}" /></cookie>`;
}

/** The `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie` value for the page after `cookie.page`. */
export function pagingCookieAnnotation(primaryId: string, cookie: PagingCookie): string {
  return `<cookie pagenumber="${cookie.page + 1}" pagingcookie="${urlEncode(urlEncode(pagingCookieXml(primaryId, cookie)))}" istracking="False" />`;
}

/** Reads a `paging-cookie` attribute value (already XML-decoded by the parser). */
export function parsePagingCookie(primaryId: string, text: string): PagingCookie {
  const page = /^<cookie page="(\d+)">/.exec(text)?.[1];
  const key = new RegExp(`<${primaryId} last="\\{([0-9A-Fa-f-]{36})\\}" first="\\{([0-9A-Fa-f-]{36})\\}"`).exec(text);
  if (page === undefined || !key) throw badRequest(`The paging cookie '${text}' is not valid for this query.`, "0x80040203");
  return { page: Number(page), last: (key[1] as string).toLowerCase(), first: (key[2] as string).toLowerCase() };
}
