/**
 * E-mail addresses as the product keeps them (flows/product/README.md, "Receivers"; SPEC §6.2):
 * trimmed of surrounding white space and compared case-insensitively. The flows apply the same
 * rule inside their expressions (flows/product/sync/expressions.ts: normalizedEmail, validEmail);
 * tests hold the two against each other.
 */

/**
 * Characters that look like nothing or like a space: what a spreadsheet, a web form or a copied
 * e-mail signature leaves around an address. Every white-space character of Unicode (what
 * JavaScript's \s and .NET's char.IsWhiteSpace match: tab, line breaks, no-break spaces, the
 * typographic spaces) and the invisible ones (zero-width space and joiners, word joiner, byte order
 * mark). The flows replace each by a plain space before trimming, so that the result does not depend
 * on which of them the platform's trim() removes (its documentation says only "whitespace").
 */
export const SPACE_LIKE: readonly string[] = [
  "\t",
  "\n",
  "\u000b",
  "\f",
  "\r",
  "\u0085",
  "\u00a0",
  "\u1680",
  "\u180e",
  "\u2000",
  "\u2001",
  "\u2002",
  "\u2003",
  "\u2004",
  "\u2005",
  "\u2006",
  "\u2007",
  "\u2008",
  "\u2009",
  "\u200a",
  "\u200b",
  "\u200c",
  "\u200d",
  "\u2028",
  "\u2029",
  "\u202f",
  "\u205f",
  "\u2060",
  "\u3000",
  "\ufeff",
];

/** The address as it is sent and compared: space-like characters as spaces, trimmed, lower-cased. */
export function normalizeEmail(email: string | null | undefined): string {
  let s = email ?? "";
  for (const c of SPACE_LIKE) s = s.split(c).join(" ");
  return s.replace(/^ +| +$/g, "").toLowerCase();
}

/**
 * A syntactically valid (normalized) e-mail address: exactly one @, a non-empty local part, no
 * spaces (a space-like character inside the address became one), quotes or backslashes, and a
 * domain with a dot and no empty labels. Deliberately simple: what CleverReach would refuse
 * outright, and it refuses a whole batch for one such address (tests/fakes/cleverreach/receivers.ts).
 */
export function isValidEmail(email: string | null | undefined): boolean {
  const s = email ?? "";
  const parts = s.split("@");
  const domain = parts[parts.length - 1] ?? "";
  return (
    parts.length === 2 &&
    (parts[0] ?? "").length > 0 &&
    !s.includes(" ") &&
    !SPACE_LIKE.some((c) => s.includes(c)) &&
    !s.includes('"') &&
    !s.includes("\\") &&
    domain.includes(".") &&
    !domain.startsWith(".") &&
    !domain.endsWith(".") &&
    !domain.includes("..")
  );
}

/** Whether a person's address, as stored in the CRM, is sent: valid once normalized. */
export const isSendableEmail = (email: string | null | undefined): boolean => isValidEmail(normalizeEmail(email));
