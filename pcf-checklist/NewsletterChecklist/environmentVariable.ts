import { ChecklistError } from "../src/checklist";

/** The part of the PCF Web API this control uses, so tests can hand in a small fake. */
export type RecordReader = Pick<ComponentFramework.WebApi, "retrieveMultipleRecords">;

/**
 * The effective value of a Dataverse environment variable: its current value
 * (environmentvariablevalue) when one is set, otherwise the definition's default.
 * Two queries instead of one $expand so that nothing depends on the relationship's name.
 * `fallbackProperty` names the form property a maker can set instead, for hosts without a Web API.
 */
export async function readEnvironmentVariable(webAPI: RecordReader | undefined, schemaName: string, fallbackProperty: string): Promise<string> {
  const fail = (detail: string): ChecklistError => new ChecklistError("configuration", schemaName, detail, "");
  // The typings promise a Web API, but hosts outside a model-driven form (canvas apps, test
  // harnesses) may give none; say what to do instead of a TypeError about `undefined`.
  if (typeof webAPI?.retrieveMultipleRecords !== "function") {
    throw fail(`cannot be read here: this host offers no Web API (set the form property ${fallbackProperty} instead)`);
  }
  let definition: ComponentFramework.WebApi.Entity | undefined;
  let current: unknown;
  try {
    const definitions = await webAPI.retrieveMultipleRecords(
      "environmentvariabledefinition",
      `?$select=environmentvariabledefinitionid,defaultvalue&$filter=schemaname eq '${schemaName}'`,
    );
    definition = definitions.entities[0];
    if (!definition) throw fail("the environment variable does not exist (is the CleverReach solution imported?)");
    const values = await webAPI.retrieveMultipleRecords(
      "environmentvariablevalue",
      `?$select=value&$filter=_environmentvariabledefinitionid_value eq ${String(definition.environmentvariabledefinitionid)}`,
    );
    current = values.entities[0]?.value;
  } catch (e) {
    if (e instanceof ChecklistError) throw e;
    // The Web API rejects with an ErrorResponse object, not always an Error.
    const message = e instanceof Error ? e.message : (e as { message?: unknown } | null)?.message;
    throw fail(`could not be read (${typeof message === "string" ? message : String(e)})`);
  }
  if (typeof current === "string" && current.trim() !== "") return current;
  const fallback: unknown = definition.defaultvalue;
  return typeof fallback === "string" ? fallback : "";
}
