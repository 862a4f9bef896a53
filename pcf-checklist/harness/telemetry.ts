/** Whether an environment variable is set to something that means "on" (empty counts as unset). */
export function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}

/** The opt-outs pcf-start and pcf-scripts honour (see the top of harness/start.ts), unless the developer chose otherwise. */
export function telemetryOptOut(env: NodeJS.ProcessEnv): void {
  // Empty counts as unset: Application Insights reads "" as "statsbeat on".
  if (!env.PP_TOOLS_TELEMETRY_OPTOUT) env.PP_TOOLS_TELEMETRY_OPTOUT = "1";
  if (isSet(env.PP_TOOLS_TELEMETRY_OPTOUT) && !env.APPLICATION_INSIGHTS_NO_STATSBEAT) env.APPLICATION_INSIGHTS_NO_STATSBEAT = "1";
}
