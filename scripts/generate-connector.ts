import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildApiProperties, ICON_BRAND_COLOR } from "../connector/src/definition/apiProperties";
import { buildSwagger } from "../connector/src/definition/index";
import { iconPng } from "../connector/src/png";

/** The three connector files exactly as they are committed (tests compare the committed files with this). */
export function connectorFiles(): Record<string, string | Buffer> {
  return {
    "apiDefinition.swagger.json": `${JSON.stringify(buildSwagger(), null, 2)}\n`,
    "apiProperties.json": `${JSON.stringify(buildApiProperties(), null, 2)}\n`,
    "icon.png": iconPng(160, ICON_BRAND_COLOR),
  };
}

if (require.main === module) {
  const dir = join(resolve(__dirname, ".."), "connector");
  for (const [name, content] of Object.entries(connectorFiles())) {
    writeFileSync(join(dir, name), content);
    console.log(`wrote connector/${name}`);
  }
}
