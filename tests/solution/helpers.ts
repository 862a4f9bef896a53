import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import JSZip from "jszip";
import { parseXml, type ParsedNode } from "../../solution/src/verify/parseXml";
import { BUILT_ZIP_ENV } from "../setup/builtZip";

export const REPO_ROOT = resolve(__dirname, "..", "..");

let built: Buffer | undefined;

/** The zip exactly as `npm run build` writes it, built once per jest run by tests/setup/globalSetup.ts. */
export async function builtZip(): Promise<Buffer> {
  const path = process.env[BUILT_ZIP_ENV];
  if (!path) throw new Error(`${BUILT_ZIP_ENV} is not set: run the tests through jest.config.js, whose globalSetup builds the zip`);
  built ??= readFileSync(path);
  return built;
}

export async function zipText(zip: Buffer, path: string): Promise<string> {
  const file = (await JSZip.loadAsync(zip)).file(path);
  if (!file) throw new Error(`${path} is not in the zip`);
  return file.async("string");
}

export async function zipXml(zip: Buffer, path: string): Promise<ParsedNode> {
  return parseXml(await zipText(zip, path));
}

/** Rewrites a zip entry by entry (in order) through `edit`; returning undefined drops the entry. */
export async function rewriteZip(
  zip: Buffer,
  edit: (path: string, content: string) => string | undefined,
  extra: Array<{ path: string; content: string }> = [],
): Promise<Buffer> {
  const source = await JSZip.loadAsync(zip);
  const out = new JSZip();
  for (const name of Object.keys(source.files)) {
    const entry = source.files[name];
    if (!entry || entry.dir) continue;
    const edited = edit(name, await entry.async("string"));
    if (edited !== undefined) out.file(name, edited, { createFolders: false, compression: "DEFLATE" });
  }
  for (const e of extra) out.file(e.path, e.content, { createFolders: false, compression: "DEFLATE" });
  return out.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}
