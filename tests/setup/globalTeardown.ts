import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { BUILT_ZIP_ENV } from "./builtZip";

export default function globalTeardown(): void {
  const zip = process.env[BUILT_ZIP_ENV];
  if (zip) rmSync(dirname(zip), { recursive: true, force: true });
}
