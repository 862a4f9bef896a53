import { createHash } from "node:crypto";

/**
 * Stable component ids. Dataverse matches re-imported components by id, so an id that changed
 * between builds would make a re-import create a duplicate instead of an update. Ids are therefore
 * name-based (RFC 4122 version 5) UUIDs derived from the component's role, never random.
 */
const NAMESPACE = "6f3b1c52-8f0e-4c9a-9d57-3c1e2a4b7d10"; // this product's own namespace, chosen once

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  return Buffer.from(hex, "hex");
}

/** A version-5 UUID (lower-case, no braces) for `name` in this product's namespace. */
export function stableId(name: string): string {
  return uuidV5(NAMESPACE, name);
}

/** RFC 4122 version-5 (SHA-1, name-based) UUID. */
export function uuidV5(namespace: string, name: string): string {
  const hash = createHash("sha1").update(uuidBytes(namespace)).update(name, "utf8").digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** `{guid}` in the lower-case, braced form solution.xml and customizations.xml use. */
export function braced(id: string): string {
  return `{${id.toLowerCase()}}`;
}
