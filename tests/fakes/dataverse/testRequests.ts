import type { DataverseResponse, FakeDataverse } from "./fakeDataverse";

/** Request shorthands for the fake's tests (the connector's hidden headers included where it sends them). */
export const CONNECTOR_READ_HEADERS = { Prefer: "odata.include-annotations=*", Accept: "application/json;odata.metadata=full" };
export const CONNECTOR_WRITE_HEADERS = { Prefer: "return=representation,odata.include-annotations=*", Accept: "application/json;odata.metadata=full" };

export const get = (dv: FakeDataverse, path: string, query: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<DataverseResponse> =>
  dv.handle({ method: "GET", path: `/api/data/v9.1/${path}`, query, headers });

export const post = (dv: FakeDataverse, path: string, body: unknown, headers: Record<string, string> = {}): Promise<DataverseResponse> =>
  dv.handle({ method: "POST", path: `/api/data/v9.1/${path}`, query: {}, headers, body });

export const patch = (
  dv: FakeDataverse,
  version: "v9.1" | "v9.2",
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<DataverseResponse> => dv.handle({ method: "PATCH", path: `/api/data/${version}/${path}`, query: {}, headers, body });

export const del = (dv: FakeDataverse, path: string, query: Record<string, string> = {}): Promise<DataverseResponse> =>
  dv.handle({ method: "DELETE", path: `/api/data/v9.1/${path}`, query, headers: {} });

/** The `value` array of a collection response. */
export function values(response: DataverseResponse): Array<Record<string, unknown>> {
  const body = response.body as { value?: Array<Record<string, unknown>> } | undefined;
  if (!body?.value) throw new Error(`no value array in ${JSON.stringify(response.body)}`);
  return body.value;
}

export function errorMessage(response: DataverseResponse): string {
  return (response.body as { error: { message: string } }).error.message;
}

export const body = (response: DataverseResponse): Record<string, unknown> => response.body as Record<string, unknown>;
