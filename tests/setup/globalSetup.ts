import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildSolutionZip } from "../../scripts/build";
import { BUILT_ZIP_ENV } from "./builtZip";

/**
 * Builds the solution zip once per jest run, before any suite starts: packing it takes seconds on a
 * busy machine, and five suites read it. A temp folder of its own, because dist/ belongs to
 * `npm run build` and two runs at once must not overwrite each other's zip.
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "crc-build-"));
  process.env[BUILT_ZIP_ENV] = await buildSolutionZip(resolve(__dirname, "..", ".."), dir, () => undefined);
}
