import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { loadSwagger, type SwaggerDocument } from "../../../connector/src/operations";
import { checkValue } from "../../../connector/src/validate";
import { ApiError, unauthorized } from "./errors";
import { FaultSwitch, type Fault } from "./faults";
import { handlers } from "./handlers";
import { checkRequest, routesOf } from "./requestCheck";
import { Store } from "./store";

export interface RecordedRequest {
  method: string;
  path: string;
  operationId?: string;
  status: number;
}

interface Token {
  expiresAt: number;
  refreshToken: string;
}

/** Everything a test needs to run the fake: the server, its account state, tokens and fault switch. */
export class FakeCleverReachServer {
  readonly store = new Store();
  readonly faults = new FaultSwitch();
  readonly requests: RecordedRequest[] = [];
  readonly doc: SwaggerDocument;
  private readonly routes;
  private readonly tokens = new Map<string, Token>();
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((req, res) => void this.answer(req, res));
  private credentials = { clientId: "fake-client-id", clientSecret: "fake-client-secret" };
  origin = "";

  constructor(doc: SwaggerDocument = loadSwagger()) {
    this.doc = doc;
    this.routes = routesOf(doc);
    // A simulated flow may compute for a while between two calls (a Select over 100,000 rows);
    // Node's 5-second default would close the idle keep-alive socket under the client's feet.
    this.server.keepAliveTimeout = 10 * 60 * 1000;
    this.server.headersTimeout = 10 * 60 * 1000 + 1000;
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
  }

  /** http://127.0.0.1:<port>/v3, the fake's equivalent of https://rest.cleverreach.com/v3. */
  get baseUrl(): string {
    return `${this.origin}${this.doc.basePath}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A bearer token the fake accepts, valid for `ttlSeconds` on the store's clock. */
  issueToken(ttlSeconds = 30 * 24 * 3600): string {
    const token = randomBytes(24).toString("hex");
    this.tokens.set(token, { expiresAt: this.store.now() + ttlSeconds, refreshToken: randomBytes(24).toString("hex") });
    return token;
  }

  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  setClientCredentials(clientId: string, clientSecret: string): void {
    this.credentials = { clientId, clientSecret };
  }

  injectFault(fault: Fault): void {
    this.faults.inject(fault);
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.origin);
    const raw = await readBody(req);
    const record: RecordedRequest = { method: req.method ?? "GET", path: url.pathname, status: 0 };
    this.requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      if (url.pathname === "/oauth/token.php" && req.method === "POST") {
        send(200, this.tokenGrant(req, raw));
        return;
      }
      if (!url.pathname.startsWith(`${this.doc.basePath}/`)) throw new ApiError(404, `Not Found: ${url.pathname}`);
      const ttl = this.authorize(req);
      const checked = checkRequest(this.doc, this.routes, record.method, url.pathname.slice(this.doc.basePath.length), url.searchParams, raw);
      const operationId = checked.operation.operationId;
      record.operationId = operationId;
      const fault = this.faults.take(operationId);
      if (fault?.kind === "timeout") {
        // Never answer; the socket is dropped after holdMs (or when the fake stops).
        setTimeout(() => req.socket.destroy(), fault.holdMs ?? 60_000).unref();
        return;
      }
      if (fault?.kind === "status") {
        const headers: Record<string, string> = fault.status === 429 ? { "retry-after": String(fault.retryAfterSeconds ?? 1) } : {};
        throw new ApiError(fault.status, fault.status === 429 ? "Too Many Requests: rate limit exceeded" : "Internal Server Error", headers);
      }
      const handler = handlers[operationId];
      if (!handler) throw new ApiError(501, `fake has no handler for ${operationId}`);
      const result = handler({ store: this.store, args: checked.args, body: checked.body, tokenTtl: ttl });
      if (checked.operation.response) {
        const drift = checkValue(this.doc, checked.operation.response, result, "answer");
        if (drift.length > 0) throw new ApiError(500, `fake answer does not match the connector definition: ${drift.join("; ")}`);
      }
      send(200, result);
    } catch (e) {
      if (e instanceof ApiError) send(e.status, e.body(), e.headers);
      else send(500, { error: { code: 500, message: e instanceof Error ? e.message : String(e) } });
    }
  }

  private authorize(req: IncomingMessage): number {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    if (!m?.[1]) throw unauthorized("no bearer token");
    const t = this.tokens.get(m[1]);
    if (!t) throw unauthorized("invalid token");
    const ttl = t.expiresAt - this.store.now();
    if (ttl <= 0) throw unauthorized("token expired");
    return ttl;
  }

  /** The token endpoint (outside /v3, so not part of the connector definition): client credentials and refresh. */
  private tokenGrant(req: IncomingMessage, raw: string): unknown {
    const form = new URLSearchParams(raw);
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    const [basicId, basicSecret] = basic?.[1] ? Buffer.from(basic[1], "base64").toString("utf8").split(":") : [];
    const clientId = form.get("client_id") ?? basicId;
    const clientSecret = form.get("client_secret") ?? basicSecret;
    if (clientId !== this.credentials.clientId || clientSecret !== this.credentials.clientSecret) throw unauthorized("invalid client credentials");
    const grant = form.get("grant_type");
    if (grant === "refresh_token") {
      const old = [...this.tokens.entries()].find(([, t]) => t.refreshToken === form.get("refresh_token"));
      if (!old) throw unauthorized("invalid refresh token");
      this.tokens.delete(old[0]);
    } else if (grant !== "client_credentials") {
      throw new ApiError(400, `Bad Request: unsupported grant_type ${grant ?? ""}`);
    }
    const expiresIn = 30 * 24 * 3600;
    const token = this.issueToken(expiresIn);
    return { access_token: token, token_type: "bearer", expires_in: expiresIn, scope: "", refresh_token: this.tokens.get(token)?.refreshToken };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
