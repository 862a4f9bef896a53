import { ExpressionFunctionError } from "./errors";
import { str } from "./values";

type Fn = (args: unknown[]) => unknown;

const DEFAULT_PORTS: Readonly<Record<string, number>> = { "http:": 80, "https:": 443, "ftp:": 21, "ws:": 80, "wss:": 443 };

function parse(fn: string, args: unknown[]): URL {
  const text = str(fn, args, 0);
  try {
    return new URL(text);
  } catch {
    throw new ExpressionFunctionError(fn, `'${text}' is not an absolute URI.`);
  }
}

export const URI_FUNCTIONS: Record<string, Fn> = {
  uriHost: (args) => parse("uriHost", args).hostname,
  // Documented: no path gives "/".
  uriPath: (args) => parse("uriPath", args).pathname || "/",
  uriPathAndQuery: (args) => {
    const u = parse("uriPathAndQuery", args);
    return (u.pathname || "/") + u.search;
  },
  uriPort: (args) => {
    const u = parse("uriPort", args);
    if (u.port) return Number(u.port);
    const port = DEFAULT_PORTS[u.protocol];
    if (port === undefined) throw new ExpressionFunctionError("uriPort", `no default port is known for '${u.protocol}'.`);
    return port;
  },
  uriQuery: (args) => parse("uriQuery", args).search,
  uriScheme: (args) => parse("uriScheme", args).protocol.replace(/:$/, ""),
};
