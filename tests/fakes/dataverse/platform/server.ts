import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { badRequest } from "../errors";
import type { HttpMethod } from "../routes";
import { FakeDataversePlatform } from "./platform";

const METHODS: readonly string[] = ["GET", "POST", "PATCH", "DELETE"];

/**
 * The platform fake behind a real HTTP server on 127.0.0.1, so that setup's Web API client (and
 * its token handling) runs unchanged against it. Nothing listens beyond the loopback interface.
 */
export class FakeDataversePlatformServer {
  readonly platform: FakeDataversePlatform;
  private readonly server = createServer((req, res) => void this.answer(req, res));
  private readonly sockets = new Set<Socket>();
  origin = "";

  constructor(platform = new FakeDataversePlatform()) {
    this.platform = platform;
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
  }

  /** The environment URL a maker would pass to setup (`https://<org>.crm.dynamics.com/` in real life). */
  get url(): string {
    return `${this.origin}/`;
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

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", this.origin);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    const method = (req.method ?? "GET").toUpperCase();
    let body: unknown;
    try {
      body = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      res.writeHead(400, { "Content-Type": "application/json" }).end(JSON.stringify(badRequest("The request body is not valid JSON.").body()));
      return;
    }
    if (!METHODS.includes(method)) {
      res.writeHead(405).end();
      return;
    }
    const response = await this.platform.handle({
      method: method as HttpMethod,
      path: decodeURIComponent(url.pathname),
      query: Object.fromEntries(url.searchParams.entries()),
      headers,
      body,
    });
    res.writeHead(response.status, response.headers);
    res.end(response.body === undefined ? undefined : JSON.stringify(response.body));
  }
}
