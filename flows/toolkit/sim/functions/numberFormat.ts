import { Culture } from "./locales";

/** Thrown for format strings .NET would reject; the caller wraps it with the function name. */
export class FormatError extends Error {}

function groupDigits(digits: string, sep: string): string {
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += sep;
    out += digits[i];
  }
  return out;
}

/**
 * Rounds half away from zero (what .NET does when formatting) to `decimals` places and returns the
 * integer and fraction digit strings of |value|.
 */
function fixed(value: number, decimals: number): { int: string; frac: string } {
  const abs = Math.abs(value);
  // toFixed rounds the binary value; nudging by a relative epsilon makes 2.675 behave like the
  // decimal literal a flow author wrote, which is what .NET's shortest-representation formatting does.
  const text = (abs * (1 + Number.EPSILON)).toFixed(decimals);
  const [i, f = ""] = text.split(".");
  return { int: i ?? "0", frac: f };
}

function standard(value: number, spec: string, precision: number | undefined, c: Culture): string {
  const negative = value < 0;
  switch (spec) {
    case "C": {
      const p = fixed(value, precision ?? c.currencyDigits);
      const body = groupDigits(p.int, c.group) + (p.frac ? c.decimal + p.frac : "");
      return c.currency(body, negative && Number(p.int + p.frac) !== 0);
    }
    case "N":
    case "F": {
      const p = fixed(value, precision ?? 2);
      const intPart = spec === "N" ? groupDigits(p.int, c.group) : p.int;
      const body = intPart + (p.frac ? c.decimal + p.frac : "");
      return (negative && Number(p.int + p.frac) !== 0 ? "-" : "") + body;
    }
    case "P": {
      const p = fixed(value * 100, precision ?? 2);
      const body = groupDigits(p.int, c.group) + (p.frac ? c.decimal + p.frac : "");
      return c.percent(body, negative && Number(p.int + p.frac) !== 0);
    }
    case "D": {
      if (!Number.isInteger(value)) throw new FormatError("the 'D' format only applies to integers");
      return (negative ? "-" : "") + String(Math.abs(value)).padStart(precision ?? 0, "0");
    }
    case "X": {
      if (!Number.isInteger(value)) throw new FormatError("the 'X' format only applies to integers");
      // .NET prints the two's complement of negative Int32 values; flows never need that.
      if (negative) throw new FormatError("negative numbers in 'X' format are not simulated");
      return value
        .toString(16)
        .toUpperCase()
        .padStart(precision ?? 0, "0");
    }
    case "G": {
      const text = precision ? String(Number(value.toPrecision(precision))) : String(value);
      return text.replace(".", c.decimal);
    }
    default:
      throw new FormatError(`the standard format '${spec}' is not simulated`);
  }
}

interface Section {
  prefix: string;
  suffix: string;
  core: string;
  percent: boolean;
}

/** Splits a custom format section into literal prefix, digit-placeholder core and literal suffix. */
function parseSection(section: string): Section {
  let prefix = "";
  let suffix = "";
  let core = "";
  let percent = false;
  let seenCore = false;
  let pendingLiteral = "";
  for (let i = 0; i < section.length; i++) {
    const ch = section[i] as string;
    if (ch === "'" || ch === '"') {
      const end = section.indexOf(ch, i + 1);
      if (end < 0) throw new FormatError("unterminated quoted literal in number format");
      pendingLiteral += section.slice(i + 1, end);
      i = end;
      continue;
    }
    if (ch === "\\") {
      pendingLiteral += section[i + 1] ?? "";
      i++;
      continue;
    }
    if (ch === "0" || ch === "#" || ch === "." || (ch === "," && (seenCore || /[0#]/.test(section.slice(i))))) {
      if (seenCore && pendingLiteral) {
        // A literal between placeholders (e.g. '00-00') is not simulated; keep things honest.
        throw new FormatError("literals between digit placeholders are not simulated");
      }
      if (!seenCore) prefix += pendingLiteral;
      pendingLiteral = "";
      seenCore = true;
      core += ch;
      continue;
    }
    if (ch === "%") percent = true;
    pendingLiteral += ch;
  }
  if (seenCore) suffix = pendingLiteral;
  else prefix += pendingLiteral;
  return { prefix, suffix, core, percent };
}

function custom(value: number, format: string, c: Culture): string {
  const sections = format.split(";");
  let chosen = sections[0] as string;
  let signHandled = false;
  if (value < 0 && sections.length >= 2 && sections[1] !== "") {
    chosen = sections[1] as string;
    signHandled = true;
  } else if (value === 0 && sections.length >= 3 && sections[2] !== "") {
    chosen = sections[2] as string;
  }
  const s = parseSection(chosen);
  let v = Math.abs(value);
  if (s.percent) v *= 100;
  const dot = s.core.indexOf(".");
  let intPattern = dot >= 0 ? s.core.slice(0, dot) : s.core;
  const fracPattern = dot >= 0 ? s.core.slice(dot + 1).replace(/,/g, "") : "";
  // Commas right before the decimal point divide by 1000 each.
  while (intPattern.endsWith(",")) {
    intPattern = intPattern.slice(0, -1);
    v /= 1000;
  }
  const grouping = intPattern.includes(",");
  const intPlaceholders = intPattern.replace(/,/g, "");
  const firstZero = intPlaceholders.indexOf("0");
  const minInt = firstZero < 0 ? 0 : intPlaceholders.length - firstZero;
  const maxFrac = fracPattern.length;
  const minFrac = fracPattern.lastIndexOf("0") + 1;

  const p = fixed(v, maxFrac);
  let frac = p.frac;
  while (frac.length > minFrac && frac.endsWith("0")) frac = frac.slice(0, -1);
  let intDigits = p.int.replace(/^0+/, "");
  intDigits = intDigits.padStart(minInt, "0");
  if (grouping) intDigits = groupDigits(intDigits, c.group);
  let body = intDigits + (frac ? c.decimal + frac : "");
  if (body === "") body = "0";
  const isZero = Number(p.int + p.frac) === 0;
  const sign = value < 0 && !signHandled && !isZero ? "-" : "";
  return sign + s.prefix + body + s.suffix;
}

/** `number.ToString(format, culture)` for the formats our flows use. */
export function formatDotNetNumber(value: number, format: string, c: Culture): string {
  const m = /^([A-Za-z])(\d{1,2})?$/.exec(format);
  if (m) {
    const spec = (m[1] as string).toUpperCase();
    return standard(value, spec, m[2] === undefined ? undefined : Number(m[2]), c);
  }
  return custom(value, format, c);
}
