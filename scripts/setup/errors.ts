/** The steps of `npm run setup`, in the order they run; errors and the report name them. */
export const STEPS = {
  settings: "read the settings",
  signIn: "sign in",
  import: "import the solution",
  variables: "set the environment variables",
  connections: "bind the connection references",
  access: "give the flows' identity its role and profile",
  forms: "place the checklist and the sync log on the forms",
  formsRemoval: "take the checklist and the sync log off the forms",
  flows: "turn the flows on",
  fieldMapping: "suggest the field mapping",
} as const;

export type StepKey = keyof typeof STEPS;

/** The steps of a setup run, in order. */
export const INSTALL_STEPS: readonly StepKey[] = ["settings", "signIn", "import", "variables", "connections", "access", "forms", "flows"];
/** The steps of `--remove-from-forms`. */
export const REMOVAL_STEPS: readonly StepKey[] = ["settings", "signIn", "formsRemoval"];
/** The steps of `--suggest-field-mapping`. */
export const FIELD_MAPPING_STEPS: readonly StepKey[] = ["settings", "signIn", "fieldMapping"];

/**
 * A failure a maker can act on: which step, which component, what went wrong and what to do. The
 * platform's own words (when there are any) stay in `problem`, so nothing the service said is lost.
 */
export class SetupError extends Error {
  constructor(
    readonly step: StepKey,
    readonly component: string,
    readonly problem: string,
    readonly whatToDo: string,
  ) {
    super(`setup stopped at step "${STEPS[step]}", ${component}: ${problem}\n  What to do: ${whatToDo}`);
    this.name = "SetupError";
  }
}
