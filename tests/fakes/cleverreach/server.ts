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

interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
}

/**
 * Lifetime of the tokens the fake grants: Apteco's token helper (Apteco/HelperScripts,
 * scripts/cleverreach/check-token/README.md) reports CleverReach tokens now expire after 30 days.
 */
const TOKEN_SECONDS = 30 * 24 * 3600;

/** Everything a test needs to run the fake: the server, its account state, tokens and fault switch. */
export class FakeCleverReachServer {
  readonly store = new Store();
  readonly faults = new FaultSwitch();
  readonly requests: RecordedRequest[] = [];
  readonly doc: SwaggerDocument;
  private readonly routes;
  private readonly tokens = new Map<string, Token>();
  private readonly codes = new Map<string, AuthorizationCode>();
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
  issueToken(ttlSeconds = TOKEN_SECONDS): string {
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
      if (url.pathname === "/oauth/authorize.php" && req.method === "GET") {
        const location = this.authorizeRedirect(url.searchParams);
        record.status = 302;
        res.writeHead(302, { location });
        res.end();
        return;
      }
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
        const words = { 400: "Bad Request", 413: "Request Entity Too Large", 429: "Too Many Requests: rate limit exceeded" } as Record<number, string>;
        throw new ApiError(fault.status, fault.message ?? words[fault.status] ?? "Internal Server Error");
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
      if (e instanceof OAuthError) send(e.status, { error: e.code, error_description: e.message });
      else if (e instanceof ApiError) send(e.status, e.body(), e.headers);
      else send(500, { error: { code: 500, message: e instanceof Error ? e.message : String(e) } });
    }
  }

  /** Bearer token on every /v3 call (SDK ApiRequestor); a missing, unknown or expired one answers 401 (the SDK's AuthenticationException). */
  private authorize(req: IncomingMessage): number {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    if (!m?.[1]) throw unauthorized("no bearer token");
    const t = this.tokens.get(m[1]);
    if (!t) throw unauthorized("invalid token");
    const ttl = t.expiresAt - this.store.now();
    if (ttl <= 0) throw unauthorized("token expired");
    return ttl;
  }

  /**
   * The sign-in page (outside /v3). The real page asks the person to log in and allow access; the
   * fake signs in the account at once and sends the browser back with a one-time code, or answers
   * with an OAuth error for a request CleverReach's own clients never make. The parameters are the
   * ones CleverReach's PHP SDK (OAuthHelper::getAuthorizationUrl) and integration core
   * (Proxy::getAuthUrl) send: client_id, redirect_uri, response_type=code, grant=basic, state.
   */
  private authorizeRedirect(q: URLSearchParams): string {
    const refusal = (description: string): OAuthError => new OAuthError(400, "invalid_request", description);
    if (q.get("client_id") !== this.credentials.clientId) throw refusal("unknown client_id");
    const redirectUri = q.get("redirect_uri");
    if (!redirectUri) throw refusal("redirect_uri is required");
    if (q.get("response_type") !== "code") throw refusal("response_type must be code");
    // Every authorization-code client found sends grant=basic (SDK, integration core, OXID, Shopware,
    // Contao) and a published guide calls it required; where the sources stop, the fake is strict.
    if (q.get("grant") !== "basic") throw refusal("grant=basic is required");
    const code = randomBytes(16).toString("hex");
    this.codes.set(code, { clientId: this.credentials.clientId, redirectUri });
    const back = new URL(redirectUri);
    back.searchParams.set("code", code);
    const state = q.get("state");
    if (state !== null) back.searchParams.set("state", state);
    return back.toString();
  }

  /**
   * The token endpoint (outside /v3): form-encoded POST as in the SDK's OAuthHelper::doTokenRequest,
   * client id and secret as form fields (SDK) or HTTP Basic (the integration core's refresh). Grants:
   * authorization_code and refresh_token (SDK), client_credentials (the shop integrations' own account).
   */
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
    } else if (grant === "authorization_code") {
      const code = this.codes.get(form.get("code") ?? "");
      // A code is good once, for the redirect_uri it was issued to (RFC 6749 §4.1.3).
      if (!code || code.redirectUri !== form.get("redirect_uri")) throw new OAuthError(400, "invalid_grant", "unknown or used code, or another redirect_uri");
      this.codes.delete(form.get("code") ?? "");
    } else if (grant !== "client_credentials") {
      throw new ApiError(400, `Bad Request: unsupported grant_type ${grant ?? ""}`);
    }
    const expiresIn = TOKEN_SECONDS;
    const token = this.issueToken(expiresIn);
    return { access_token: token, token_type: "bearer", expires_in: expiresIn, scope: "", refresh_token: this.tokens.get(token)?.refreshToken };
  }
}

/** OAuth errors carry `error` and `error_description` (what the SDK's OAuthHelper reads), not the API's error object. */
class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    description: string,
  ) {
    super(description);
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
