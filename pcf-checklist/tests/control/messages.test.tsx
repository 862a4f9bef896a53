/**
 * @jest-environment jsdom
 */
import { screen } from "@testing-library/react";
import { SEED } from "../checklist/seed";
import { openForm, type FakeFormOptions } from "./fakeForm";

// The first render loads Fluent UI into jsdom: seconds on a busy 2-core machine, beyond jest's 5 s default.
jest.setTimeout(20_000);

/** What Dataverse answers when the user's roles lack read on the environment variable tables. */
const REFUSED = {
  errorCode: 2147746336,
  message: "Principal user (Id=1b2c, type=8, roleCount=1) is missing prvReadEnvironmentVariableDefinition privilege",
};

interface Case {
  form: FakeFormOptions;
  en: string;
  de: string;
  /** The Web API's own words, on a line of their own after the localized label. */
  server?: { en: string; de: string };
}

/**
 * Issue 16, finding 2: a message was a localized sentence with the rules' English detail glued on,
 * and a missing variable or a refused read were both "not valid". Each cause has its own sentence,
 * whole in the user's language.
 */
const CASES: Record<string, Case> = {
  "missing environment variable": {
    form: { value: SEED },
    en: "The environment variable clvr_NewsletterTypes was not found, so the checklist cannot be edited. Is the CleverReach solution imported?",
    de: "Die Umgebungsvariable clvr_NewsletterTypes wurde nicht gefunden, daher kann die Checkliste nicht bearbeitet werden. Ist die CleverReach-Lösung importiert?",
  },
  "no permission to read it": {
    form: { value: SEED, defaultValue: SEED, webApiFails: REFUSED },
    en: "You do not have permission to read the environment variable clvr_NewsletterTypes, so the checklist cannot be edited. Ask your administrator for read access to environment variables.",
    de: "Sie haben keine Berechtigung, die Umgebungsvariable clvr_NewsletterTypes zu lesen, daher kann die Checkliste nicht bearbeitet werden. Bitten Sie Ihren Administrator um Lesezugriff auf Umgebungsvariablen.",
    server: { en: `Server response: ${REFUSED.message}`, de: `Antwort des Servers: ${REFUSED.message}` },
  },
  "a read that failed otherwise": {
    form: { value: SEED, defaultValue: SEED, webApiFails: true },
    en: "The environment variable clvr_NewsletterTypes could not be read, so the checklist cannot be edited.",
    de: "Die Umgebungsvariable clvr_NewsletterTypes konnte nicht gelesen werden, daher kann die Checkliste nicht bearbeitet werden.",
    server: { en: "Server response: Network is down", de: "Antwort des Servers: Network is down" },
  },
  "a host without a Web API": {
    form: { value: SEED, noWebApi: true },
    en: "This app cannot read the environment variable clvr_NewsletterTypes, so the checklist cannot be edited. Enter the newsletter types in the form property “Newsletter types for this form” (newsletterTypes) instead.",
    de: "Diese App kann die Umgebungsvariable clvr_NewsletterTypes nicht lesen, daher kann die Checkliste nicht bearbeitet werden. Tragen Sie die Newsletter-Typen stattdessen in die Formulareigenschaft „Newsletter-Typen für dieses Formular“ (newsletterTypes) ein.",
  },
  "an empty environment variable": {
    form: { value: SEED, defaultValue: "" },
    en: "The environment variable clvr_NewsletterTypes does not hold valid newsletter types, so the checklist cannot be edited. The value is empty.",
    de: "Die Umgebungsvariable clvr_NewsletterTypes enthält keine gültigen Newsletter-Typen, daher kann die Checkliste nicht bearbeitet werden. Der Wert ist leer.",
  },
  "an environment variable that is not valid JSON": {
    form: { value: SEED, defaultValue: '[{"id":0,"description":"Information","position":1},\n {"id":1 "description":"Werbung"}]' },
    en: 'The environment variable clvr_NewsletterTypes does not hold valid newsletter types, so the checklist cannot be edited. The value is not valid JSON: unexpected character “"” at line 2, column 10.',
    de: 'Die Umgebungsvariable clvr_NewsletterTypes enthält keine gültigen Newsletter-Typen, daher kann die Checkliste nicht bearbeitet werden. Der Wert ist kein gültiges JSON: unerwartetes Zeichen „"“ in Zeile 2, Spalte 10.',
  },
  "a form property of the wrong shape": {
    form: { value: SEED, override: '[{"id":4,"description":"Events","position":-1}]' },
    en: "The form property “Newsletter types for this form” (newsletterTypes) does not hold valid newsletter types, so the checklist cannot be edited. Entry 1 (id 4): “position” must not be negative.",
    de: "Die Formulareigenschaft „Newsletter-Typen für dieses Formular“ (newsletterTypes) enthält keine gültigen Newsletter-Typen, daher kann die Checkliste nicht bearbeitet werden. Eintrag 1 (id 4): „position“ darf nicht negativ sein.",
  },
  "a form property cut off": {
    form: { value: SEED, override: '[{"id":4,"description":"Events"' },
    en: "The form property “Newsletter types for this form” (newsletterTypes) does not hold valid newsletter types, so the checklist cannot be edited. The value is not valid JSON: it ends unexpectedly at line 1, column 32.",
    de: "Die Formulareigenschaft „Newsletter-Typen für dieses Formular“ (newsletterTypes) enthält keine gültigen Newsletter-Typen, daher kann die Checkliste nicht bearbeitet werden. Der Wert ist kein gültiges JSON: Er endet unerwartet in Zeile 1, Spalte 32.",
  },
  "a stored checklist that is not valid JSON": {
    form: { value: "{broken", defaultValue: SEED },
    en: "The stored newsletter checklist is not valid. It is kept unchanged and this control will not overwrite it. The value is not valid JSON: unexpected character “b” at line 1, column 2.",
    de: "Die gespeicherte Newsletter-Checkliste ist ungültig. Sie bleibt unverändert und wird von diesem Steuerelement nicht überschrieben. Der Wert ist kein gültiges JSON: unerwartetes Zeichen „b“ in Zeile 1, Spalte 2.",
  },
  "a stored checklist of the wrong shape": {
    form: { value: '[{"id":0,"state":1},{"id":1,"state":3}]', defaultValue: SEED },
    en: "The stored newsletter checklist is not valid. It is kept unchanged and this control will not overwrite it. Entry 2 (id 1): “state” must be 0, 1 or 2.",
    de: "Die gespeicherte Newsletter-Checkliste ist ungültig. Sie bleibt unverändert und wird von diesem Steuerelement nicht überschrieben. Eintrag 2 (id 1): „state“ muss 0, 1 oder 2 sein.",
  },
};

describe.each([
  ["English", 1033, "en"],
  ["German", 1031, "de"],
] as const)("messages for a %s user name the cause, in that language only", (_language, languageId, lang) => {
  test.each(Object.keys(CASES))("%s", async (name) => {
    const { form: options, server, ...text } = CASES[name] as Case;
    const form = await openForm({ ...options, languageId });
    const alert = await screen.findByRole("alert");
    const serverLine = server ? screen.getByText(server[lang]) : null;
    expect(alert.textContent).toBe(text[lang] + (server ? server[lang] : ""));
    // The server's words stand apart, on their own line, not inside a sentence of the control's.
    if (serverLine) expect(serverLine.tagName).toBe("SPAN");
    expect(screen.queryAllByRole("radiogroup")).toEqual([]);
    expect(form.outputs).toEqual([]);
  });
});

test("a refused read is recognised by HTTP 403 and by the code Dataverse gives as text, too", async () => {
  for (const refusal of [
    { status: 403, message: "Forbidden" },
    { code: "0x80040220", message: "Zugriff verweigert" },
    { errorCode: -2147187962, message: "x" },
  ]) {
    document.body.innerHTML = "";
    await openForm({ value: SEED, defaultValue: SEED, webApiFails: refusal });
    expect((await screen.findByRole("alert")).textContent).toMatch(/^You do not have permission to read the environment variable clvr_NewsletterTypes/);
  }
});
