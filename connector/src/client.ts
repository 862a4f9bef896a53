import { buildRequest, type SwaggerDocument } from "./operations";

export interface ApiAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * Calls connector operations by operationId the way the Power Platform runtime would: the request
 * (path, query, body) is built from apiDefinition.swagger.json, so a test exercises the definition
 * as well as the service behind it.
 */
export class ConnectorClient {
  constructor(
    private readonly doc: SwaggerDocument,
    /** The origin the base path is appended to, e.g. http://127.0.0.1:1234 or https://rest.cleverreach.com. */
    private readonly origin: string,
    private token: string | undefined,
    private readonly timeoutMs = 10_000,
  ) {}

  withToken(token: string | undefined): ConnectorClient {
    return new ConnectorClient(this.doc, this.origin, token, this.timeoutMs);
  }

  async call<T = unknown>(operationId: string, args: Record<string, unknown> = {}, body?: unknown): Promise<ApiAnswer<T>> {
    const req = buildRequest(this.doc, operationId, args, body);
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (req.body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${this.origin}${req.url}`, { method: req.method, headers, body: req.body, signal: AbortSignal.timeout(this.timeoutMs) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Like call, but throws unless CleverReach answered 200. */
  async ok<T = unknown>(operationId: string, args: Record<string, unknown> = {}, body?: unknown): Promise<T> {
    const a = await this.call<T>(operationId, args, body);
    if (a.status !== 200) throw new Error(`${operationId} answered ${a.status}: ${JSON.stringify(a.body)}`);
    return a.body;
  }
}
