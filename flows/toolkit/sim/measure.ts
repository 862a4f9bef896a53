/** How big a value is: its JSON text in UTF-8 bytes, and its widest array or object. */
export interface Size {
  bytes: number;
  /** Elements of the largest array, or properties of the largest object, anywhere inside the value. */
  items: number;
}

/** The largest value seen, and which action or variable held it. */
export interface Largest extends Size {
  where: string;
}

export const NOTHING: Largest = { bytes: 0, items: 0, where: "" };

/** JSON bytes of a value as the run history would store it (undefined counts as nothing). */
export function jsonBytes(v: unknown): number {
  if (v === undefined) return 0;
  return Buffer.byteLength(JSON.stringify(v) ?? "", "utf8");
}

function widest(v: unknown): number {
  let max = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== "object") continue;
    const children = Array.isArray(x) ? x : Object.values(x);
    if (children.length > max) max = children.length;
    for (const c of children) if (c !== null && typeof c === "object") stack.push(c);
  }
  return max;
}

export const sizeOf = (v: unknown): Size => ({ bytes: jsonBytes(v), items: widest(v) });

export const larger = (a: Largest, b: Largest): Largest => (b.bytes > a.bytes ? b : a);
