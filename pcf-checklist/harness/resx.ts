import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/** The control's strings for one LCID, read from the resx files the manifest ships. */
export function resxStrings(lcid: number): Map<string, string> {
  const xml = readFileSync(resolve(__dirname, `../NewsletterChecklist/strings/NewsletterChecklist.${lcid}.resx`), "utf8");
  const strings = new Map<string, string>();
  for (const m of xml.matchAll(/<data name="([^"]+)"[^>]*><value>([^<]*)<\/value><\/data>/g)) {
    strings.set(m[1] as string, (m[2] as string).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"));
  }
  return strings;
}
