// Names that ControlManifest.Input.xml defines, so that code and tests refer to them instead of
// repeating string literals; tests/control/manifestConstants.test.ts keeps both in step.

/** The control's identity: the bundle registers `<Namespace>.<Constructor>`. */
export const enum ManifestControl {
  Namespace = "CleverReach",
  Constructor = "NewsletterChecklist",
}

/** The name the bundle passes to ComponentFramework.registerControl (no publisher prefix; the solution adds it). */
export const REGISTERED_CONTROL_NAME = `${ManifestControl.Namespace}.${ManifestControl.Constructor}` as const;

export const enum ManifestPropertyNames {
  /** bound: the checklist column. */
  Value = "value",
  /** bound (contact, lead): CleverReach's declines, written only by the flows; shown, never written. */
  CleverReachDeclines = "cleverReachDeclines",
  /** input: newsletter types for this form, replacing the environment variable. */
  NewsletterTypes = "newsletterTypes",
}

/** The resx keys the manifest gives the properties, for texts the control shows about them. */
export const enum ManifestDisplayKeys {
  NewsletterTypes = "NewsletterTypes_Display_Key",
}
