import { readFileSync } from "node:fs";
import type { DeploymentSettings } from "../../solution/src/deploymentSettings";
import { SetupError } from "./errors";

/**
 * Keys that would hold a secret. The settings file is meant to be committed per environment
 * (pipelines do), so a secret there would end up in a repository; setup refuses such a file.
 */
const SECRET_KEY = /secret|password|passwd|token|credential/i;

export const CLIENT_SECRET_VARIABLE = "DATAVERSE_CLIENT_SECRET";

function secretPath(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = secretPath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY.test(k)) return `${path}.${k}`;
      const found = secretPath(v, `${path}.${k}`);
      if (found) return found;
    }
  }
  return undefined;
}

const isString = (v: unknown): v is string => typeof v === "string";

/**
 * The deployment settings file (`solution/deploymentSettings.json`, filled in by the maker), in
 * the shape `pac solution create-settings` writes, so the same file serves `pac solution import`.
 */
export function readSettings(path: string): DeploymentSettings {
  const component = `settings file ${path}`;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new SetupError(
      "settings",
      component,
      `it cannot be read (${(e as Error).message})`,
      "copy solution/deploymentSettings.json (written by npm run build), fill it in, and pass its path with --settings",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new SetupError("settings", component, `it is not valid JSON (${(e as Error).message})`, "fix the JSON (an editor with JSON checking shows where)");
  }
  const secret = secretPath(json, "$");
  if (secret) {
    throw new SetupError(
      "settings",
      component,
      `${secret} looks like a secret; a secret never belongs in the settings file`,
      `remove it; for an application user pass the client secret in the ${CLIENT_SECRET_VARIABLE} environment variable`,
    );
  }
  const s = json as Partial<Record<keyof DeploymentSettings, unknown>>;
  const vars = s.EnvironmentVariables ?? [];
  const refs = s.ConnectionReferences ?? [];
  if (!Array.isArray(vars) || !vars.every((v) => isString((v as Record<string, unknown>)?.SchemaName) && isString((v as Record<string, unknown>)?.Value))) {
    throw new SetupError(
      "settings",
      component,
      'EnvironmentVariables must be a list of { "SchemaName": "…", "Value": "…" }',
      "compare it with solution/deploymentSettings.json",
    );
  }
  if (
    !Array.isArray(refs) ||
    !refs.every((r) => isString((r as Record<string, unknown>)?.LogicalName) && isString((r as Record<string, unknown>)?.ConnectionId))
  ) {
    throw new SetupError(
      "settings",
      component,
      'ConnectionReferences must be a list of { "LogicalName": "…", "ConnectionId": "…", "ConnectorId": "…" }',
      "compare it with solution/deploymentSettings.json",
    );
  }
  return { EnvironmentVariables: vars as DeploymentSettings["EnvironmentVariables"], ConnectionReferences: refs as DeploymentSettings["ConnectionReferences"] };
}
