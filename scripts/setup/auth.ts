import { ConfidentialClientApplication, PublicClientApplication, type AccountInfo, type AuthenticationResult } from "@azure/msal-node";
import { SetupError } from "./errors";

/**
 * Where setup gets its bearer token. The Web API client asks before every request, so a source
 * refreshes as it needs to. Tests inject a fixed token: signing in at Microsoft's login cannot run
 * on a machine that never leaves the loopback interface.
 */
export interface TokenSource {
  /** In words, for the report ("you, signed in with a device code"). */
  readonly who: string;
  token(): Promise<string>;
}

/** A token that never changes: what the tests give setup in place of a sign-in. */
export function fixedToken(token: string, who = "a given access token"): TokenSource {
  return { who, token: async () => token };
}

/**
 * Microsoft's public client id for Dataverse samples and tooling (PowerApps-Samples connection
 * strings: AppId=51f81489-12ee-4a9e-aaae-a2591f45987d). A tenant that does not allow it needs its
 * own app registration with public client flows on; pass that with --client-id.
 */
export const SAMPLE_PUBLIC_CLIENT_ID = "51f81489-12ee-4a9e-aaae-a2591f45987d";

/** `https://<org>.crm.dynamics.com/.default`: every permission the app has on that environment (Dataverse OAuth docs). */
export const dataverseScope = (environmentUrl: string): string => `${new URL(environmentUrl).origin}/.default`;

const authority = (tenant: string): string => `https://login.microsoftonline.com/${encodeURIComponent(tenant)}`;

function tokenOf(result: AuthenticationResult | null, what: string): string {
  if (!result?.accessToken)
    throw new SetupError("signIn", what, "Microsoft's sign-in returned no access token", "run setup again; if it repeats, check the tenant and client id");
  return result.accessToken;
}

/**
 * A person signs in with a device code (MSAL for Node, acquireTokenByDeviceCode): setup prints the
 * code and the page to enter it at. The token stays in memory; nothing is written to disk.
 */
export function deviceCodeSignIn(options: { environmentUrl: string; tenant: string; clientId: string; say: (text: string) => void }): TokenSource {
  const app = new PublicClientApplication({ auth: { clientId: options.clientId, authority: authority(options.tenant) } });
  const scopes = [dataverseScope(options.environmentUrl)];
  let account: AccountInfo | null = null;
  return {
    who: "you, signed in with a device code",
    async token(): Promise<string> {
      try {
        if (account) return tokenOf(await app.acquireTokenSilent({ account, scopes }), "device code sign-in");
        const result = await app.acquireTokenByDeviceCode({ scopes, deviceCodeCallback: (r) => options.say(r.message) });
        account = result?.account ?? null;
        return tokenOf(result, "device code sign-in");
      } catch (e) {
        if (e instanceof SetupError) throw e;
        throw new SetupError(
          "signIn",
          `device code sign-in (tenant ${options.tenant}, client id ${options.clientId})`,
          (e as Error).message,
          "check --tenant and --client-id; the app registration must allow public client flows",
        );
      }
    },
  };
}

/**
 * An application user signs in with client credentials (MSAL for Node, acquireTokenByClientCredential).
 * The secret comes from the caller (setup reads it from an environment variable), never from a file.
 */
export function clientCredentialsSignIn(options: { environmentUrl: string; tenant: string; clientId: string; clientSecret: string }): TokenSource {
  const app = new ConfidentialClientApplication({
    auth: { clientId: options.clientId, authority: authority(options.tenant), clientSecret: options.clientSecret },
  });
  const scopes = [dataverseScope(options.environmentUrl)];
  return {
    who: `the application user of app ${options.clientId}`,
    async token(): Promise<string> {
      try {
        // MSAL answers from its in-memory cache until the token is about to expire.
        return tokenOf(await app.acquireTokenByClientCredential({ scopes }), "client credentials sign-in");
      } catch (e) {
        if (e instanceof SetupError) throw e;
        throw new SetupError(
          "signIn",
          `client credentials sign-in (tenant ${options.tenant}, client id ${options.clientId})`,
          (e as Error).message,
          "check --tenant, --client-id and the secret; the app must be an application user of the environment (Power Platform admin center → Environment → Settings → Application users)",
        );
      }
    },
  };
}
