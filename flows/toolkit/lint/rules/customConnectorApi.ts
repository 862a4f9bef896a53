import type { Rule } from "./types";

/**
 * custom-connector-api-name: a custom connector's connection reference (the one with an
 * `api.logicalName`) names the API as real exports do, `shared_<connector name>-5f<16 hex digits>`
 * (microsoft/powercat-business-approvals-kit: `shared_cat-5fmicrosoft-20graph-20mailboxsetting-5f21dec655d73f3a8c`).
 */
const EXPORTED_API_NAME = /^shared_[a-z0-9]+-5f[a-z0-9-]+-5f[0-9a-f]{16}$/;

export const customConnectorApiName: Rule = (flow, report) => {
  for (const [key, ref] of Object.entries(flow.connectionReferences)) {
    if (!ref.api?.logicalName) continue;
    const name = ref.api.name ?? "";
    if (!EXPORTED_API_NAME.test(name))
      report(
        "custom-connector-api-name",
        `connectionReferences/${key}`,
        `"${name}" is not a custom connector API name as exports write it (shared_<name>-5f<16 hex digits>)`,
      );
  }
};
