import type { Ex } from "../../../toolkit/expr/build";
import { concat } from "../../../toolkit/expr/functions";

/**
 * A text of rules/importGroup.ts with run-time values in it, as an expression: the function is called
 * with markers, and its words around them are kept as they are, so the words live once (in the rule).
 */
export function wordsWith(text: (...args: string[]) => string, ...values: Ex[]): Ex {
  const markers = values.map((_, i) => `\u0000${i}\u0000`);
  const whole = text(...markers);
  const parts: Array<string | Ex> = [];
  let rest = whole;
  markers.forEach((m, i) => {
    const at = rest.indexOf(m);
    if (at < 0) throw new Error(`wordsWith: the text does not use value ${i}`);
    parts.push(rest.slice(0, at), values[i] as Ex);
    rest = rest.slice(at + m.length);
  });
  parts.push(rest);
  const [head = "", ...tail] = parts.filter((p) => p !== "");
  return concat(head, ...tail);
}
