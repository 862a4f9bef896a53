import { ChecklistError, type ChecklistProblem } from "../src/checklist";

/** The part of the PCF Web API this control uses, so tests can hand in a small fake. */
export type RecordReader = Pick<ComponentFramework.WebApi, "retrieveMultipleRecords">;

/**
 * Dataverse's codes for a refused read: the user's roles lack the privilege (-2147220960,
 * 0x80040220), or the privilege check passed but the access check did not (-2147187962, 0x8004A106).
 */
const REFUSED_CODES = new Set([-2147220960, -2147187962]);

/** What the Web API rejects with: an ErrorResponse object (errorCode, message, code), not always an Error. */
interface WebApiFailure {
  errorCode?: unknown;
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

/** Whether Dataverse refused the read for lack of permission, by the error code or HTTP 403. */
function isRefusedRead(failure: unknown): boolean {
  if (typeof failure !== "object" || failure === null) return false;
  const f = failure as WebApiFailure;
  // Hosts give the code signed, unsigned or as "0x80040220"; `| 0` reads all three as the signed int.
  const codes = [f.errorCode, typeof f.code === "string" && /^0x[0-9a-f]+$/i.test(f.code) ? Number(f.code) : f.code];
  if (codes.some((c) => typeof c === "number" && REFUSED_CODES.has(c | 0))) return true;
  if (f.status === 403 || f.statusCode === 403) return true;
  // Privilege names (prvReadEnvironmentVariableDefinition) are not translated, unlike the sentence around them.
  return typeof f.message === "string" && /\bprv[A-Z]\w+/.test(f.message);
}

function messageOf(failure: unknown): string {
  const message = failure instanceof Error ? failure.message : (failure as WebApiFailure | null)?.message;
  return typeof message === "string" ? message : String(failure);
}

/**
 * The effective value of a Dataverse environment variable: its current value
 * (environmentvariablevalue) when one is set, otherwise the definition's default.
 * Two queries instead of one $expand so that nothing depends on the relationship's name.
 * `fallbackProperty` names the form property a maker can set instead, for hosts without a Web API.
 */
export async function readEnvironmentVariable(webAPI: RecordReader | undefined, schemaName: string, fallbackProperty: string): Promise<string> {
  const fail = (problem: ChecklistProblem): ChecklistError => new ChecklistError("configuration", schemaName, problem, "");
  // The typings promise a Web API, but hosts outside a model-driven form (canvas apps, test
  // harnesses) may give none; say what to do instead of a TypeError about `undefined`.
  if (typeof webAPI?.retrieveMultipleRecords !== "function") {
    throw fail({ reason: "noWebApi", property: fallbackProperty });
  }
  let definition: ComponentFramework.WebApi.Entity | undefined;
  let current: unknown;
  try {
    const definitions = await webAPI.retrieveMultipleRecords(
      "environmentvariabledefinition",
      `?$select=environmentvariabledefinitionid,defaultvalue&$filter=schemaname eq '${schemaName}'`,
    );
    definition = definitions.entities[0];
    if (!definition) throw fail({ reason: "variableMissing" });
    const values = await webAPI.retrieveMultipleRecords(
      "environmentvariablevalue",
      `?$select=value&$filter=_environmentvariabledefinitionid_value eq ${String(definition.environmentvariabledefinitionid)}`,
    );
    current = values.entities[0]?.value;
  } catch (e) {
    if (e instanceof ChecklistError) throw e;
    throw fail({ reason: isRefusedRead(e) ? "noPermission" : "readFailed", serverMessage: messageOf(e) });
  }
  if (typeof current === "string" && current.trim() !== "") return current;
  const fallback: unknown = definition.defaultvalue;
  return typeof fallback === "string" ? fallback : "";
}
