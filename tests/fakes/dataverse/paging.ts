/**
 * Server-driven paging. The real $skiptoken is a paging cookie; the fake's cookie carries the page
 * number and the offset of the next row in the (re-evaluated) result, which is what resuming needs.
 */
export const MAX_PAGE_SIZE = 5000;

export const skiptokenFor = (page: number, offset: number): string => `<cookie pagenumber="${page}" skip="${offset}" istracking="False" />`;

export function parseSkiptoken(token: string | undefined): { page: number; offset: number } | undefined {
  if (token === undefined || token === "") return undefined;
  const page = /pagenumber="(\d+)"/.exec(token)?.[1];
  const offset = /skip="(\d+)"/.exec(token)?.[1];
  if (page === undefined) return undefined;
  return { page: Number(page), offset: offset === undefined ? 0 : Number(offset) };
}

/** `@odata.nextLink`: the same request with the next $skiptoken, as an absolute URL. */
export function nextLink(serviceRoot: string, entitySet: string, query: Record<string, string>, skiptoken: string): string {
  const params = Object.entries({ ...query, $skiptoken: skiptoken })
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join("&");
  return `${serviceRoot}/${entitySet}?${params}`;
}

/** Splits a nextLink into the `path` and `query` that `FakeDataverse.handle` takes. */
export function parseNextLink(link: string): { path: string; query: Record<string, string> } {
  const url = new URL(link);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  return { path: decodeURIComponent(url.pathname), query };
}

/**
 * `Prefer` header preferences (comma separated, `name=value` or bare names). A quoted value may hold
 * commas: page-results.md sends `odata.include-annotations="A,B"`.
 */
export function parsePrefer(header: string | undefined): Map<string, string> {
  const prefs = new Map<string, string>();
  for (const part of (header ?? "").match(/(?:[^,"]|"[^"]*")+/g) ?? []) {
    const [name = "", ...value] = part.trim().split("=");
    if (name) prefs.set(name.trim().toLowerCase(), value.join("=").trim().replace(/^"|"$/g, ""));
  }
  return prefs;
}
