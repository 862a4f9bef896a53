/**
 * Reads the central directory of a zip directly (not through the zip library that wrote it), so
 * that verify sees what an importer sees: entry names, order, compression method, directories.
 */
export interface ZipEntryInfo {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  isDirectory: boolean;
}

export function zipEntries(zip: Buffer): ZipEntryInfo[] {
  const eocdSig = 0x06054b50;
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === eocdSig) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("not a zip file (no end of central directory record)");
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntryInfo[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`corrupt central directory at entry ${i}`);
    const method = zip.readUInt16LE(p + 10);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString("utf8");
    entries.push({ name, method, isDirectory: name.endsWith("/") });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
