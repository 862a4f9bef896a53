/**
 * The few cultures the simulator knows. .NET takes them from CLDR/NLS; we hard-code what our flows
 * and Microsoft's examples need instead of trusting the Node ICU build to match .NET exactly.
 */
export interface Culture {
  readonly group: string;
  readonly decimal: string;
  /** Formats an already formatted absolute amount as a currency amount. */
  readonly currency: (amount: string, negative: boolean) => string;
  readonly percent: (amount: string, negative: boolean) => string;
  readonly currencyDigits: number;
  /** Short date, long date, short time, long time, month-day, year-month (.NET standard formats). */
  readonly dateSeparator: string;
  readonly patterns: {
    readonly d: string;
    readonly D: string;
    readonly t: string;
    readonly T: string;
    readonly M: string;
    readonly Y: string;
  };
  readonly am: string;
  readonly pm: string;
  /** BCP 47 tag handed to Intl for month and day names. */
  readonly intl: string;
}

const neg = (negative: boolean, s: string) => (negative ? `-${s}` : s);

const CULTURES: Readonly<Record<string, Culture>> = {
  "en-us": {
    group: ",",
    decimal: ".",
    // .NET on ICU prints -$1.00; the older NLS data printed ($1.00). We follow the newer runtime.
    currency: (a, n) => neg(n, `$${a}`),
    percent: (a, n) => neg(n, `${a}%`),
    currencyDigits: 2,
    dateSeparator: "/",
    patterns: { d: "M/d/yyyy", D: "dddd, MMMM d, yyyy", t: "h:mm tt", T: "h:mm:ss tt", M: "MMMM d", Y: "MMMM yyyy" },
    am: "AM",
    pm: "PM",
    intl: "en-US",
  },
  "en-gb": {
    group: ",",
    decimal: ".",
    currency: (a, n) => neg(n, `£${a}`),
    percent: (a, n) => neg(n, `${a}%`),
    currencyDigits: 2,
    dateSeparator: "/",
    patterns: { d: "dd/MM/yyyy", D: "dddd, d MMMM yyyy", t: "HH:mm", T: "HH:mm:ss", M: "d MMMM", Y: "MMMM yyyy" },
    am: "am",
    pm: "pm",
    intl: "en-GB",
  },
  "de-de": {
    group: ".",
    decimal: ",",
    currency: (a, n) => neg(n, `${a} €`),
    percent: (a, n) => neg(n, `${a} %`),
    currencyDigits: 2,
    dateSeparator: ".",
    patterns: { d: "dd.MM.yyyy", D: "dddd, d. MMMM yyyy", t: "HH:mm", T: "HH:mm:ss", M: "d. MMMM", Y: "MMMM yyyy" },
    am: "",
    pm: "",
    intl: "de-DE",
  },
  "fr-fr": {
    group: "\u202f",
    decimal: ",",
    currency: (a, n) => neg(n, `${a} €`),
    percent: (a, n) => neg(n, `${a} %`),
    currencyDigits: 2,
    dateSeparator: "/",
    patterns: { d: "dd/MM/yyyy", D: "dddd d MMMM yyyy", t: "HH:mm", T: "HH:mm:ss", M: "d MMMM", Y: "MMMM yyyy" },
    am: "",
    pm: "",
    intl: "fr-FR",
  },
  // Microsoft's formatNumber examples use Icelandic; the documented results are "1.234.567.890,00"
  // and "17,35 kr", so that is what this entry reproduces.
  "is-is": {
    group: ".",
    decimal: ",",
    currency: (a, n) => neg(n, `${a} kr`),
    percent: (a, n) => neg(n, `${a}%`),
    currencyDigits: 2,
    dateSeparator: ".",
    patterns: { d: "d.M.yyyy", D: "dddd, d. MMMM yyyy", t: "HH:mm", T: "HH:mm:ss", M: "d. MMMM", Y: "MMMM yyyy" },
    am: "f.h.",
    pm: "e.h.",
    intl: "is-IS",
  },
};

/** Undefined when the simulator does not model the culture. Default (no locale) is en-US. */
export function culture(locale: string | undefined): Culture | undefined {
  return CULTURES[(locale ?? "en-us").toLowerCase()];
}
