import { el, toCompactXml } from "./xml";

const OCTET = "application/octet-stream";

/** Extension of a zip entry as [Content_Types].xml lists it (case kept: exports write "Png"). */
export function extensionOf(path: string): string | undefined {
  const file = path.split("/").pop() ?? path;
  const dot = file.lastIndexOf(".");
  return dot > 0 ? file.slice(dot + 1) : undefined;
}

/**
 * `[Content_Types].xml`: one Default per extension present, an Override per file without one;
 * UTF-8 BOM, declaration and a single line, as in CrmLive exports.
 */
export function contentTypesXml(paths: string[]): string {
  const extensions = [...new Set(paths.map(extensionOf).filter((e): e is string => e !== undefined))];
  const noExtension = paths.filter((p) => extensionOf(p) === undefined);
  const root = el(
    "Types",
    { xmlns: "http://schemas.openxmlformats.org/package/2006/content-types" },
    extensions.map((e) => el("Default", { Extension: e, ContentType: OCTET })),
    noExtension.map((p) => el("Override", { PartName: `/${p}`, ContentType: OCTET })),
  );
  return `\uFEFF${toCompactXml(root)}`;
}
