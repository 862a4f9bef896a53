import { definitions } from "./definitions";
import type { PathItem, SchemaObject } from "./dsl";
import { paths } from "./paths";

/**
 * CleverReach's OAuth 2.0 endpoints (CleverReach PHP SDK, src/Auth/OAuthHelper.php). Every
 * authorization-code client of CleverReach sends `grant=basic` to authorize.php (the SDK, the
 * integration core's Proxy::getAuthUrl, OXID, Shopware, Contao), and Power Platform's generic OAuth 2
 * provider adds only the standard parameters; so the fixed parameter rides in the URL, ending in `&`
 * for the platform's own parameters, as the certified Revizto and Soft1 connectors do.
 */
export const CLEVERREACH_OAUTH = {
  authorizationUrl: "https://rest.cleverreach.com/oauth/authorize.php?grant=basic&",
  tokenUrl: "https://rest.cleverreach.com/oauth/token.php",
  refreshUrl: "https://rest.cleverreach.com/oauth/token.php",
} as const;

export interface SwaggerDocument {
  swagger: "2.0";
  info: { title: string; description: string; version: string; contact: { name: string; url: string; email: string } };
  host: string;
  basePath: string;
  schemes: string[];
  consumes: string[];
  produces: string[];
  paths: Record<string, PathItem>;
  definitions: Record<string, SchemaObject>;
  securityDefinitions: Record<string, { type: "oauth2"; flow: "accessCode"; authorizationUrl: string; tokenUrl: string; scopes: Record<string, string> }>;
  security: Array<Record<string, string[]>>;
  tags: Array<{ name: string; description: string }>;
  "x-ms-connector-metadata": Array<{ propertyName: string; propertyValue: string }>;
  "x-ms-capabilities": { testConnection: { operationId: string; parameters: Record<string, never> } };
}

/**
 * The call that checks a new connection at once: who-am-I needs no parameters and answers 401 for a
 * token CleverReach does not accept. Declared at the root like the certified Calendly and Fleetio connectors.
 */
export const TEST_CONNECTION_OPERATION = "GetAccount";

/**
 * Where makers and Microsoft's certification team reach the connector's publisher. The project has
 * no mailbox of its own yet: this reserved example.com address marks the place to put one before
 * the connector is submitted (connector/README.md, Known Issues and Limitations).
 */
export const CONTACT = { name: "CleverReach Connector for Dataverse", url: "https://www.cleverreach.com", email: "connector-maintainers@example.com" } as const;

/** The connector's OpenAPI document; connector/apiDefinition.swagger.json is this, written by `npm run connector:generate`. */
export function buildSwagger(): SwaggerDocument {
  return {
    swagger: "2.0",
    // Certification: the title names the service only (no "API", "Connector" or Power Platform
    // product), and the description says what the service does, without "API" (PowerPlatformConnectors
    // templates/certified-connectors/apiDefinition.swagger.json; connector string guidance).
    info: {
      title: "CleverReach",
      description:
        "CleverReach is an e-mail marketing service. Manage its receiver groups and receivers, attributes, mailings, mailing reports, double opt-in mails and the blacklist.",
      version: "1.0.0",
      contact: { ...CONTACT },
    },
    host: "rest.cleverreach.com",
    basePath: "/v3",
    schemes: ["https"],
    consumes: ["application/json"],
    produces: ["application/json"],
    paths,
    definitions,
    securityDefinitions: {
      oauth2_auth: {
        type: "oauth2",
        flow: "accessCode",
        authorizationUrl: CLEVERREACH_OAUTH.authorizationUrl,
        tokenUrl: CLEVERREACH_OAUTH.tokenUrl,
        scopes: {},
      },
    },
    security: [{ oauth2_auth: [] }],
    tags: [
      { name: "Account", description: "Check the connection." },
      { name: "Groups", description: "Receiver groups (lists)." },
      { name: "Receivers", description: "People in groups." },
      { name: "Attributes", description: "Receiver fields." },
      { name: "Mailings", description: "Newsletters." },
      { name: "Reports", description: "Results of sent mailings." },
      { name: "Forms", description: "Double opt-in through sign-up forms." },
      { name: "Blacklist", description: "Addresses never mailed." },
    ],
    "x-ms-connector-metadata": [
      { propertyName: "Website", propertyValue: "https://www.cleverreach.com" },
      { propertyName: "Privacy policy", propertyValue: "https://www.cleverreach.com/en/privacy-policy/" },
      { propertyName: "Categories", propertyValue: "Marketing" },
    ],
    "x-ms-capabilities": { testConnection: { operationId: TEST_CONNECTION_OPERATION, parameters: {} } },
  };
}
