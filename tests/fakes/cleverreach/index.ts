import { loadSwagger } from "../../../connector/src/operations";
import { ConnectorClient } from "../../../connector/src/client";
import { Seeder } from "./seeds";
import { FakeCleverReachServer } from "./server";

export { ConnectorClient, type ApiAnswer } from "../../../connector/src/client";
export type { Fault } from "./faults";
export type * from "./model";
export { FakeCleverReachServer, type RecordedRequest } from "./server";

export interface FakeCleverReach {
  server: FakeCleverReachServer;
  /** Direct access to the account state, for seeding and for asserting what the fake now holds. */
  seed: Seeder;
  /** A client already signed in with a valid token. */
  client: ConnectorClient;
  token: string;
  stop(): Promise<void>;
}

/** Starts a fresh fake CleverReach on a random loopback port, with one valid token. */
export async function startFakeCleverReach(): Promise<FakeCleverReach> {
  const doc = loadSwagger();
  const server = await new FakeCleverReachServer(doc).start();
  const token = server.issueToken();
  return {
    server,
    seed: new Seeder(server.store),
    client: new ConnectorClient(doc, server.origin, token),
    token,
    stop: () => server.stop(),
  };
}
