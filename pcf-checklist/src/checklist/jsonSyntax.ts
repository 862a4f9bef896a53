/** Where a text stops being JSON: line and column count from 1; `found` is undefined at the end of the text. */
export interface JsonSyntaxError {
  line: number;
  column: number;
  found?: string;
}

const WHITESPACE = " \t\n\r";
const ESCAPES = '"\\/bfnrt';
const LITERALS = ["true", "false", "null"];

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

/**
 * Finds the first place where `text` breaks the JSON grammar (RFC 8259). JSON.parse knows the place
 * too, but says it in the engine's own English words, worded differently in each browser; this gives
 * the place as data, so the control can say it in the user's language. Undefined when nothing is
 * wrong, or when the nesting is too deep to follow (callers ask only after JSON.parse failed).
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  // Thrown (never escapes this function) to unwind the descent at the first offending character.
  const stop = (): never => {
    throw findJsonSyntaxError;
  };
  const skipWhitespace = (): void => {
    while (i < text.length && WHITESPACE.includes(text[i] as string)) i++;
  };
  const take = (expected: string): void => {
    if (text[i] !== expected) stop();
    i++;
  };
  const digits = (): void => {
    if (!isDigit(text[i])) stop();
    while (isDigit(text[i])) i++;
  };
  const string = (): void => {
    take('"');
    for (;;) {
      const c = text[i];
      if (c === undefined || c < " ") stop();
      i++;
      if (c === '"') return;
      if (c !== "\\") continue;
      if (text[i] === "u") {
        i++;
        for (let k = 0; k < 4; k++) {
          if (!/[0-9a-fA-F]/.test(text[i] ?? "")) stop();
          i++;
        }
      } else if (ESCAPES.includes(text[i] ?? "\0")) i++;
      else stop();
    }
  };
  const number = (): void => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else digits();
    if (text[i] === ".") {
      i++;
      digits();
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      digits();
    }
  };
  const value = (): void => {
    skipWhitespace();
    const c = text[i];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      skipWhitespace();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === "{") {
          skipWhitespace();
          string();
          skipWhitespace();
          take(":");
        }
        value();
        skipWhitespace();
        if (text[i] !== ",") break;
        i++;
      }
      take(close);
    } else if (c === '"') string();
    else if (c === "-" || isDigit(c)) number();
    else {
      const literal = LITERALS.find((word) => word[0] === c);
      if (!literal) stop();
      for (const expected of literal as string) take(expected);
    }
  };

  try {
    value();
    skipWhitespace();
    if (i < text.length) stop();
    return undefined;
  } catch (e) {
    if (e !== findJsonSyntaxError) {
      // Nesting deeper than the call stack: the place is unknown.
      if (e instanceof RangeError) return undefined;
      throw e;
    }
  }
  const before = text.slice(0, i).split("\n");
  const found = i < text.length ? String.fromCodePoint(text.codePointAt(i) as number) : undefined;
  return { line: before.length, column: (before[before.length - 1] as string).length + 1, found };
}
