import { CLEVERREACH_OAUTH } from "./index";

/** The connector's brand colour; the solution model's Connector component takes it from here. */
export const ICON_BRAND_COLOR = "#1c5fa8";

/**
 * Placeholder the maker replaces with the CleverReach OAuth app's client id after import. The
 * client secret is never written anywhere in the repo: the maker types it into the connector's
 * Security tab, where the platform stores it.
 */
export const CLIENT_ID_PLACEHOLDER = "ENTER-CLEVERREACH-CLIENT-ID";

export function buildApiProperties(): object {
  return {
    properties: {
      connectionParameters: {
        token: {
          type: "oauthSetting",
          oAuthSettings: {
            identityProvider: "oauth2",
            clientId: CLIENT_ID_PLACEHOLDER,
            scopes: [],
            redirectMode: "Global",
            redirectUrl: "https://global.consent.azure-apim.net/redirect",
            properties: { IsFirstParty: "False" },
            customParameters: {
              authorizationUrl: { value: CLEVERREACH_OAUTH.authorizationUrl },
              tokenUrl: { value: CLEVERREACH_OAUTH.tokenUrl },
              refreshUrl: { value: CLEVERREACH_OAUTH.refreshUrl },
            },
          },
        },
      },
      iconBrandColor: ICON_BRAND_COLOR,
      capabilities: [],
      publisher: "CleverReach Connector for Dataverse",
      stackOwner: "CleverReach GmbH & Co. KG",
      policyTemplateInstances: [],
    },
  };
}
