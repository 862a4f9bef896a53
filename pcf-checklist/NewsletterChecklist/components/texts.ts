import type { ChecklistError, ChecklistProblem } from "../../src/checklist";

/**
 * Every resx key the control shows. Listed once so that index.ts reads them all and a test can hold
 * both resx files to the same keys; a sentence is only ever built from strings of one language.
 */
export const TEXT_KEYS = [
  "State_None",
  "State_Accepted",
  "State_Declined",
  "Loading",
  "NoTypes",
  "ChangedBy",
  "ChangedByUser",
  "ChangedOn",
  "Declined_unsubscribed",
  "Declined_bounced",
  "Declined_blacklisted",
  "Declined_Note",
  "Error_Declines",
  "Error_Checklist",
  "Error_StoredValue",
  "Error_VariableInvalid",
  "Error_PropertyInvalid",
  "Error_VariableMissing",
  "Error_NoPermission",
  "Error_ReadFailed",
  "Error_NoWebApi",
  "Error_ServerMessage",
  "Problem_Empty",
  "Problem_Json",
  "Problem_JsonFound",
  "Problem_JsonEnd",
  "Problem_NotArray",
  "Problem_NotObject",
  "Problem_IdNotInteger",
  "Problem_IdTwice",
  "Problem_StateInvalid",
  "Problem_NotText",
  "Problem_DescriptionEmpty",
  "Problem_PositionNotInteger",
  "Problem_PositionNegative",
] as const;

export type TextKey = (typeof TEXT_KEYS)[number];

/** The control's texts, already in the user's language (from the resx files). */
export type Texts = Readonly<Record<TextKey, string>>;

/** Puts values into a resx template's {0}, {1}, … */
export function fill(template: string, ...values: Array<string | number>): string {
  return template.replace(/\{(\d)\}/g, (m, i: string) => String(values[Number(i)] ?? m));
}

/** A character as the user can read it: control characters and invisible ones by their code point. */
function visible(found: string): string {
  const code = found.codePointAt(0) as number;
  return code < 0x21 || (code >= 0x7f && code <= 0xa0) || code === 0xfeff ? `U+${code.toString(16).toUpperCase().padStart(4, "0")}` : found;
}

/** One sentence saying what is wrong with a value (the stored checklist or the configuration). */
export function problemText(t: Texts, p: ChecklistProblem): string {
  // Entries are counted from 1 for people; the array (and the English log detail) counts from 0.
  const entry = "entry" in p ? p.entry + 1 : 0;
  const id = "id" in p ? p.id : 0;
  switch (p.reason) {
    case "json":
      if (!p.at) return t.Problem_Json;
      return p.at.found === undefined
        ? fill(t.Problem_JsonEnd, p.at.line, p.at.column)
        : fill(t.Problem_JsonFound, visible(p.at.found), p.at.line, p.at.column);
    case "notArray":
      return t.Problem_NotArray;
    case "notObject":
      return fill(t.Problem_NotObject, entry);
    case "idNotInteger":
      return fill(t.Problem_IdNotInteger, entry);
    case "idTwice":
      return fill(t.Problem_IdTwice, entry, id);
    case "stateInvalid":
      return fill(t.Problem_StateInvalid, entry, id);
    case "notText":
      return fill(t.Problem_NotText, entry, id, p.key);
    case "descriptionEmpty":
      return fill(t.Problem_DescriptionEmpty, entry, id);
    case "positionNotInteger":
      return fill(t.Problem_PositionNotInteger, entry, id);
    case "positionNegative":
      return fill(t.Problem_PositionNegative, entry, id);
    default:
      // "empty", and the reading problems, which configurationMessage words as a whole.
      return t.Problem_Empty;
  }
}

/** A form property as makers see it in the form designer, and as the manifest names it. */
export interface PropertyName {
  displayName: string;
  name: string;
}

/**
 * Why the newsletter types cannot be used, as sentences in the user's language. `fromProperty`: the
 * types came from the form property `property`, otherwise from the environment variable the error
 * names. `serverMessage` is the Web API's own words, shown apart and labelled as such (Dataverse
 * answers in its own language, which may not be the user's).
 */
export function configurationMessage(t: Texts, error: ChecklistError, property: PropertyName, fromProperty: boolean): { text: string; serverMessage?: string } {
  const p = error.problem;
  const server = (said: string): string | undefined => (said.trim() ? fill(t.Error_ServerMessage, said) : undefined);
  switch (p.reason) {
    case "variableMissing":
      return { text: fill(t.Error_VariableMissing, error.source) };
    case "noPermission":
      return { text: fill(t.Error_NoPermission, error.source), serverMessage: server(p.serverMessage) };
    case "readFailed":
      return { text: fill(t.Error_ReadFailed, error.source), serverMessage: server(p.serverMessage) };
    case "noWebApi":
      return { text: fill(t.Error_NoWebApi, error.source, property.displayName, property.name) };
  }
  const invalid = fromProperty ? fill(t.Error_PropertyInvalid, property.displayName, property.name) : fill(t.Error_VariableInvalid, error.source);
  return { text: `${invalid} ${problemText(t, p)}` };
}
