import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cleverReachConnectionReference } from "../model/product";
import type { SolutionModel } from "../model/types";
import { connectorSchemaName } from "../naming";
import { PartError, type PartContribution, type SolutionPart } from "../parts";
import { el, tx } from "../xml";

const NAME = "CleverReach custom connector";

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new PartError(NAME, `${path} is not valid JSON (${(e as Error).message})`);
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The custom connector (connector/, paconn layout) as a Connector component: the files under
 * `Connector/` and the `<Connector>` node (solution-format.md §3.5), with its connection reference.
 */
export function connectorPart(model: SolutionModel): SolutionPart {
  return {
    name: NAME,
    source: "connector/ (apiDefinition.swagger.json, apiProperties.json, icon.png)",
    required: false,
    load(root: string): PartContribution | undefined {
      const dir = join(root, "connector");
      const swaggerPath = join(dir, "apiDefinition.swagger.json");
      if (!existsSync(swaggerPath)) return undefined;
      const swagger = readJson(swaggerPath);
      if (!isObject(swagger) || swagger.swagger !== "2.0" || !isObject(swagger.paths)) {
        throw new PartError(NAME, `${swaggerPath} is not an OpenAPI 2.0 document with paths`);
      }
      const propsPath = join(dir, "apiProperties.json");
      if (!existsSync(propsPath)) throw new PartError(NAME, `${propsPath} is missing`);
      const props = readJson(propsPath);
      const connectionParameters = isObject(props) && isObject(props.properties) ? props.properties.connectionParameters : undefined;
      if (!isObject(connectionParameters)) {
        throw new PartError(NAME, `${propsPath} has no properties.connectionParameters`);
      }
      if (/"clientSecret"\s*:\s*"[^"]+"/i.test(JSON.stringify(props))) {
        throw new PartError(NAME, `${propsPath} contains a client secret; it belongs only in the maker's connector settings`);
      }
      const iconPath = join(dir, "icon.png");
      if (!existsSync(iconPath)) throw new PartError(NAME, `${iconPath} is missing`);
      const policies = isObject(props) && isObject(props.properties) ? props.properties.policyTemplateInstances : undefined;

      const name = connectorSchemaName(model.publisher.prefix, model.connector.displayName);
      const file = (suffix: string): string => `Connector/${name}_${suffix}`;
      const node = el(
        "Connector",
        undefined,
        tx("connectorid", model.connector.id),
        tx("description", model.connector.description),
        tx("displayname", model.connector.displayName),
        tx("iconbrandcolor", model.connector.iconBrandColor),
        tx("name", name),
        tx("connectortype", 1),
        tx("openapidefinition", `/${file("openapidefinition.json")}`),
        tx("connectionparameters", `/${file("connectionparameters.json")}`),
        tx("policytemplateinstances", `/${file("policytemplateinstances.json")}`),
        tx("iconblob", `/${file("iconblob.Png")}`),
      );
      return {
        files: [
          { path: file("openapidefinition.json"), content: JSON.stringify(swagger) },
          { path: file("connectionparameters.json"), content: JSON.stringify(connectionParameters) },
          { path: file("policytemplateinstances.json"), content: Array.isArray(policies) && policies.length > 0 ? JSON.stringify(policies) : "null" },
          { path: file("iconblob.Png"), content: readFileSync(iconPath) },
        ],
        rootComponents: [{ type: 372, id: `{${model.connector.id}}`, schemaName: name, behavior: 0 }],
        connectors: [node],
        connectionReferences: [cleverReachConnectionReference(model)],
      };
    },
  };
}
