/** Language codes the product ships labels in: English (base) and German. */
export const ENGLISH = 1033;
export const GERMAN = 1031;
export const LANGUAGES = [ENGLISH, GERMAN] as const;

/** A user-visible text in every shipped language. */
export interface Label {
  en: string;
  de: string;
}

export function label(en: string, de: string): Label {
  return { en, de };
}

export function labelEntries(l: Label): Array<{ languagecode: number; text: string }> {
  return [
    { languagecode: ENGLISH, text: l.en },
    { languagecode: GERMAN, text: l.de },
  ];
}
