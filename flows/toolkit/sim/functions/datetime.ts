import { ExpressionFunctionError } from "./errors";
import { Culture, culture } from "./locales";
import { int, optional, str } from "./values";

type Fn = (args: unknown[]) => unknown;

/**
 * A timestamp as the platform's DateTime sees it. `ms` holds the wall-clock fields encoded as if
 * they were UTC; `sub` the 100 ns ticks below the millisecond. `kind` "utc" prints a trailing Z,
 * "unspecified" prints nothing (e.g. '03/15/2018' or the result of convertFromUtc).
 *
 * Inputs with an explicit offset (+02:00) are normalised to UTC; the reference is silent on this.
 */
export interface Stamp {
  readonly ms: number;
  readonly sub: number;
  readonly kind: "utc" | "unspecified";
}

let clock: () => Date = () => new Date();

/** Tests pin "now" for utcNow/getFutureTime/getPastTime; call with no argument to restore. */
export function setClock(now?: () => Date): void {
  clock = now ?? (() => new Date());
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?)?$/;

function build(fn: string, text: string, y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  // setUTCFullYear, because Date.UTC maps years 0-99 to 1900-1999.
  const back = new Date(Date.UTC(2000, 0, 1, h, mi, s));
  back.setUTCFullYear(y, mo - 1, d);
  const ms = back.getTime();
  const valid = back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
  if (!valid) throw invalidStamp(fn, text);
  return ms;
}

function invalidStamp(fn: string, text: string): ExpressionFunctionError {
  return new ExpressionFunctionError(fn, `'${text}' is not a timestamp it can read; use ISO 8601 such as '2018-03-15T13:00:00Z'.`);
}

/** Reads ISO 8601 and US-style ('03/15/2018 12:00:00') timestamps, the two forms in the reference. */
export function parseStamp(fn: string, text: string): Stamp {
  const t = text.trim();
  const iso = ISO.exec(t);
  if (iso) {
    const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone] = iso;
    let ms = build(fn, text, +y!, +mo!, +d!, +h, +mi, +s);
    const ticks = Number(frac.padEnd(7, "0"));
    ms += Math.floor(ticks / 10000);
    const sub = ticks % 10000;
    if (!zone) return { ms, sub, kind: "unspecified" };
    if (zone.toUpperCase() !== "Z") {
      const sign = zone.startsWith("-") ? -1 : 1;
      const digits = zone.slice(1).replace(":", "");
      ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
    }
    return { ms, sub, kind: "utc" };
  }
  const us = US.exec(t);
  if (us) {
    const [, mo, d, y, h = "0", mi = "0", s = "0", ampm] = us;
    let hour = +h;
    if (ampm) {
      if (hour < 1 || hour > 12) throw invalidStamp(fn, text);
      hour = (hour % 12) + (ampm.toUpperCase() === "PM" ? 12 : 0);
    }
    return { ms: build(fn, text, +y!, +mo!, +d!, hour, +mi, +s), sub: 0, kind: "unspecified" };
  }
  throw invalidStamp(fn, text);
}

function stampArg(fn: string, args: unknown[], i: number): Stamp {
  return parseStamp(fn, str(fn, args, i));
}

// ---------------------------------------------------------------- formatting (.NET date formats)

const pad = (n: number, width: number) => String(n).padStart(width, "0");

const nameCache = new Map<string, string[]>();
function names(c: Culture, kind: "month" | "weekday", width: "long" | "short"): string[] {
  const key = `${c.intl}|${kind}|${width}`;
  let list = nameCache.get(key);
  if (!list) {
    const f = new Intl.DateTimeFormat(c.intl, { [kind]: width, timeZone: "UTC" });
    list =
      kind === "month"
        ? Array.from({ length: 12 }, (_, m) => f.format(Date.UTC(2001, m, 1)))
        : // 2001-01-07 was a Sunday; .NET numbers days from Sunday.
          Array.from({ length: 7 }, (_, d) => f.format(Date.UTC(2001, 0, 7 + d)));
    nameCache.set(key, list);
  }
  return list;
}

const STANDARD_FIXED: Readonly<Record<string, string>> = {
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
};

function expandStandard(spec: string, c: Culture): { pattern: string; invariant: boolean } | undefined {
  const fixed = STANDARD_FIXED[spec];
  if (fixed) return { pattern: fixed, invariant: true };
  const p = c.patterns;
  switch (spec) {
    case "r":
    case "R":
      return { pattern: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'", invariant: true };
    case "d":
    case "D":
    case "t":
    case "T":
      return { pattern: p[spec], invariant: false };
    case "f":
      return { pattern: `${p.D} ${p.t}`, invariant: false };
    case "F":
      return { pattern: `${p.D} ${p.T}`, invariant: false };
    case "g":
      return { pattern: `${p.d} ${p.t}`, invariant: false };
    case "G":
      return { pattern: `${p.d} ${p.T}`, invariant: false };
    case "m":
    case "M":
      return { pattern: p.M, invariant: false };
    case "y":
    case "Y":
      return { pattern: p.Y, invariant: false };
    default:
      return undefined;
  }
}

function formatCustom(s: Stamp, format: string, c: Culture): string {
  const dt = new Date(s.ms);
  const year = dt.getUTCFullYear();
  const month = dt.getUTCMonth();
  const day = dt.getUTCDate();
  const hour = dt.getUTCHours();
  const fraction = pad(dt.getUTCMilliseconds() * 10000 + s.sub, 7);
  let out = "";
  for (let i = 0; i < format.length;) {
    const ch = format[i] as string;
    if (ch === "'" || ch === '"') {
      const end = format.indexOf(ch, i + 1);
      if (end < 0) throw new Error("unterminated quoted text in the date format");
      out += format.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (ch === "\\") {
      out += format[i + 1] ?? "";
      i += 2;
      continue;
    }
    if (ch === "%") {
      i++;
      continue;
    }
    let n = 1;
    while (format[i + n] === ch) n++;
    switch (ch) {
      case "y":
        out += n <= 2 ? pad(year % 100, n) : pad(year, n);
        break;
      case "M":
        out += n <= 2 ? pad(month + 1, n) : (names(c, "month", n === 3 ? "short" : "long")[month] as string);
        break;
      case "d":
        out += n <= 2 ? pad(day, n) : (names(c, "weekday", n === 3 ? "short" : "long")[dt.getUTCDay()] as string);
        break;
      case "H":
        out += pad(hour, Math.min(n, 2));
        break;
      case "h":
        out += pad(hour % 12 === 0 ? 12 : hour % 12, Math.min(n, 2));
        break;
      case "m":
        out += pad(dt.getUTCMinutes(), Math.min(n, 2));
        break;
      case "s":
        out += pad(dt.getUTCSeconds(), Math.min(n, 2));
        break;
      case "f":
        if (n > 7) throw new Error("more than seven 'f' in the date format");
        out += fraction.slice(0, n);
        break;
      case "F": {
        if (n > 7) throw new Error("more than seven 'F' in the date format");
        const digits = fraction.slice(0, n).replace(/0+$/, "");
        // .NET drops the separator too when nothing follows it.
        if (digits === "" && out.endsWith(".")) out = out.slice(0, -1);
        out += digits;
        break;
      }
      case "t": {
        const designator = hour < 12 ? c.am : c.pm;
        out += n === 1 ? designator.slice(0, 1) : designator;
        break;
      }
      case "K":
        out += s.kind === "utc" ? "Z" : "";
        break;
      case "z":
        // Times here are UTC or zone-less; the platform host runs on UTC, so the offset is zero.
        out += n === 1 ? "+0" : n === 2 ? "+00" : "+00:00";
        break;
      case ":":
        out += ":".repeat(n);
        break;
      case "/":
        out += c.dateSeparator.repeat(n);
        break;
      default:
        out += ch.repeat(n);
    }
    i += n;
  }
  return out;
}

const INVARIANT = culture("en-us") as Culture;

/** DateTime.ToString(format, culture) for the standard and custom formats. */
export function formatStamp(fn: string, s: Stamp, format: string | undefined, locale?: string): string {
  const c = culture(locale);
  if (!c) throw new ExpressionFunctionError(fn, `the locale '${locale}' is not modelled by the simulator.`);
  const f = format === undefined || format === "" ? "o" : format;
  try {
    if (f.length === 1) {
      const std = expandStandard(f, c);
      if (!std) throw new Error(`'${f}' is not a standard date format`);
      return formatCustom(s, std.pattern, std.invariant ? INVARIANT : c);
    }
    return formatCustom(s, f, c);
  } catch (e) {
    if (e instanceof ExpressionFunctionError) throw e;
    throw new ExpressionFunctionError(fn, `the format '${f}' is not valid: ${(e as Error).message}.`);
  }
}

// ---------------------------------------------------------------- arithmetic

const UNIT_MS: Readonly<Record<string, number>> = {
  second: 1000,
  minute: 60000,
  hour: 3600000,
  day: 86400000,
  week: 7 * 86400000,
};

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const target = d.getUTCMonth() + months;
  const y = d.getUTCFullYear() + Math.floor(target / 12);
  const m = ((target % 12) + 12) % 12;
  // .NET AddMonths keeps the day unless the target month is shorter (Jan 31 + 1 month = Feb 28/29).
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const out = new Date(ms);
  out.setUTCFullYear(y, m, Math.min(d.getUTCDate(), lastDay));
  return out.getTime();
}

function addUnits(fn: string, s: Stamp, interval: number, unit: string): Stamp {
  const u = unit.toLowerCase();
  const step = UNIT_MS[u];
  if (step !== undefined) return { ...s, ms: s.ms + interval * step };
  if (u === "month") return { ...s, ms: addMonths(s.ms, interval) };
  if (u === "year") return { ...s, ms: addMonths(s.ms, interval * 12) };
  throw new ExpressionFunctionError(fn, `'${unit}' is not a time unit; use Second, Minute, Hour, Day, Week, Month or Year.`);
}

function now(): Stamp {
  return { ms: clock().getTime(), sub: 0, kind: "utc" };
}

function shifted(fn: string, unit: string): Fn {
  return (args) => {
    const s = stampArg(fn, args, 0);
    return formatStamp(fn, addUnits(fn, s, int(fn, args, 1), unit), optional(args, 2, str, fn));
  };
}

function truncated(fn: string, cut: (d: Date) => number): Fn {
  return (args) => {
    const s = stampArg(fn, args, 0);
    return formatStamp(fn, { ms: cut(new Date(s.ms)), sub: 0, kind: s.kind }, optional(args, 1, str, fn));
  };
}

const TICKS_AT_UNIX_EPOCH = 621355968000000000n;

function ticksOf(s: Stamp): bigint {
  return BigInt(s.ms) * 10000n + BigInt(s.sub) + TICKS_AT_UNIX_EPOCH;
}

/** TimeSpan.ToString(): [-][d.]hh:mm:ss[.fffffff] */
function timeSpan(ticks: bigint): string {
  const negative = ticks < 0n;
  let t = negative ? -ticks : ticks;
  const frac = t % 10000000n;
  t /= 10000000n;
  const secs = Number(t % 60n);
  t /= 60n;
  const mins = Number(t % 60n);
  t /= 60n;
  const hours = Number(t % 24n);
  const days = t / 24n;
  return (
    (negative ? "-" : "") +
    (days > 0n ? `${days}.` : "") +
    `${pad(hours, 2)}:${pad(mins, 2)}:${pad(secs, 2)}` +
    (frac > 0n ? `.${frac.toString().padStart(7, "0")}` : "")
  );
}

// ---------------------------------------------------------------- time zones

/**
 * Windows zone ids (what the platform accepts) to IANA ids (what Intl knows). Lookup ignores case
 * and punctuation because the reference says punctuation may have to be removed from the names.
 */
const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  UTC: "UTC",
  "Coordinated Universal Time": "UTC",
  "GMT Standard Time": "Europe/London",
  "W. Europe Standard Time": "Europe/Berlin",
  "Central Europe Standard Time": "Europe/Budapest",
  "Central European Standard Time": "Europe/Warsaw",
  "Romance Standard Time": "Europe/Paris",
  "E. Europe Standard Time": "Europe/Chisinau",
  "FLE Standard Time": "Europe/Kiev",
  "GTB Standard Time": "Europe/Bucharest",
  "Russian Standard Time": "Europe/Moscow",
  "Eastern Standard Time": "America/New_York",
  "Central Standard Time": "America/Chicago",
  "Mountain Standard Time": "America/Denver",
  "Pacific Standard Time": "America/Los_Angeles",
  "India Standard Time": "Asia/Kolkata",
  "China Standard Time": "Asia/Shanghai",
  "Tokyo Standard Time": "Asia/Tokyo",
  "AUS Eastern Standard Time": "Australia/Sydney",
};
const zoneKey = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");
const ZONES_BY_KEY = new Map(Object.entries(WINDOWS_ZONES).map(([k, v]) => [zoneKey(k), v]));

function zone(fn: string, name: string): string {
  const iana = ZONES_BY_KEY.get(zoneKey(name));
  if (!iana) throw new ExpressionFunctionError(fn, `'${name}' is not a time zone the simulator knows (use a Windows zone id).`);
  return iana;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();
/** Minutes to add to UTC to get the zone's wall clock at the given instant. */
function offsetMinutes(utcMs: number, iana: string): number {
  if (iana === "UTC") return 0;
  let f = zoneFormatters.get(iana);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: iana,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    zoneFormatters.set(iana, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60000);
}

/** Wall clock in `iana` to UTC; in a DST gap or overlap this picks what a second pass settles on. */
function wallToUtc(wallMs: number, iana: string): number {
  const first = wallMs - offsetMinutes(wallMs, iana) * 60000;
  return wallMs - offsetMinutes(first, iana) * 60000;
}

/**
 * The timestamp's wall clock is read in the source zone whatever suffix it carries (unverified:
 * .NET would reject a 'Z' time with a non-UTC source), then shown in the target zone. A UTC target
 * prints with Z, any other zone without a suffix, as in the reference examples.
 */
function convert(fn: string, s: Stamp, source: string, target: string): Stamp {
  const utc = wallToUtc(s.ms, zone(fn, source));
  const dest = zone(fn, target);
  if (dest === "UTC") return { ms: utc, sub: s.sub, kind: "utc" };
  return { ms: utc + offsetMinutes(utc, dest) * 60000, sub: s.sub, kind: "unspecified" };
}

// ---------------------------------------------------------------- the functions

export const DATETIME_FUNCTIONS: Record<string, Fn> = {
  utcNow: (args) => formatStamp("utcNow", now(), optional(args, 0, str, "utcNow")),
  getFutureTime: (args) =>
    formatStamp(
      "getFutureTime",
      addUnits("getFutureTime", now(), int("getFutureTime", args, 0), str("getFutureTime", args, 1)),
      optional(args, 2, str, "getFutureTime"),
    ),
  getPastTime: (args) =>
    formatStamp(
      "getPastTime",
      addUnits("getPastTime", now(), -int("getPastTime", args, 0), str("getPastTime", args, 1)),
      optional(args, 2, str, "getPastTime"),
    ),
  addToTime: (args) =>
    formatStamp(
      "addToTime",
      addUnits("addToTime", stampArg("addToTime", args, 0), int("addToTime", args, 1), str("addToTime", args, 2)),
      optional(args, 3, str, "addToTime"),
    ),
  subtractFromTime: (args) =>
    formatStamp(
      "subtractFromTime",
      addUnits("subtractFromTime", stampArg("subtractFromTime", args, 0), -int("subtractFromTime", args, 1), str("subtractFromTime", args, 2)),
      optional(args, 3, str, "subtractFromTime"),
    ),
  addSeconds: shifted("addSeconds", "second"),
  addMinutes: shifted("addMinutes", "minute"),
  addHours: shifted("addHours", "hour"),
  addDays: shifted("addDays", "day"),

  startOfHour: truncated("startOfHour", (d) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours())),
  startOfDay: truncated("startOfDay", (d) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())),
  startOfMonth: truncated("startOfMonth", (d) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)),

  dayOfWeek: (args) => new Date(stampArg("dayOfWeek", args, 0).ms).getUTCDay(),
  dayOfMonth: (args) => new Date(stampArg("dayOfMonth", args, 0).ms).getUTCDate(),
  dayOfYear: (args) => {
    const d = new Date(stampArg("dayOfYear", args, 0).ms);
    return Math.round((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1;
  },

  // Ticks today are ~6.4e17, past 2^53: a JS number holds them exactly only when the value has
  // enough trailing zero bits (true for whole seconds). Good enough for comparisons in flows.
  ticks: (args) => Number(ticksOf(stampArg("ticks", args, 0))),

  dateDifference: (args) => timeSpan(ticksOf(stampArg("dateDifference", args, 1)) - ticksOf(stampArg("dateDifference", args, 0))),

  formatDateTime: (args) =>
    formatStamp("formatDateTime", stampArg("formatDateTime", args, 0), optional(args, 1, str, "formatDateTime"), optional(args, 2, str, "formatDateTime")),

  convertTimeZone: (args) =>
    formatStamp(
      "convertTimeZone",
      convert("convertTimeZone", stampArg("convertTimeZone", args, 0), str("convertTimeZone", args, 1), str("convertTimeZone", args, 2)),
      optional(args, 3, str, "convertTimeZone"),
    ),
  convertToUtc: (args) =>
    formatStamp(
      "convertToUtc",
      convert("convertToUtc", stampArg("convertToUtc", args, 0), str("convertToUtc", args, 1), "UTC"),
      optional(args, 2, str, "convertToUtc"),
    ),
  convertFromUtc: (args) =>
    formatStamp(
      "convertFromUtc",
      convert("convertFromUtc", stampArg("convertFromUtc", args, 0), "UTC", str("convertFromUtc", args, 1)),
      optional(args, 2, str, "convertFromUtc"),
    ),
};
