import { SetupError } from "../errors";
import { within, type StepContext } from "../context";
import { activationOrder } from "../solutionZip";
import { WebApiError } from "../webApi";

/** workflow choices (Microsoft's table reference): statecode 1 / statuscode 2 is Activated. */
const ON = { statecode: 1, statuscode: 2 } as const;

/** The Flow service's error inside Dataverse's wrapper: `… details "{"error":{"code":…,"message":…}}".` */
function flowServiceError(message: string): Array<{ code: string; message: string }> {
  const details = /details "(\{.*\})"\.?$/s.exec(message)?.[1];
  if (!details) return [];
  try {
    const parsed = JSON.parse(details) as { error?: { code?: string; message?: string; details?: Array<{ code?: string; message?: string }> } };
    const list = parsed.error?.details ?? [parsed.error ?? {}];
    return list.map((d) => ({ code: d.code ?? "", message: d.message ?? "" }));
  } catch {
    return [];
  }
}

/** What to do about each Flow service error setup knows (codes as coe-starter-kit issues 2911, 3168, 3535 show them). */
function adviceFor(code: string, settingsPath: string): string {
  switch (code) {
    case "XrmConnectionReferenceMissingConnection":
      return `put the connection's id as ConnectionId of that reference in ${settingsPath} and run setup again`;
    case "ConnectionAuthorizationFailed":
      return `the connection in ${settingsPath} does not exist in this environment, or the signed-in account may not use it: check it in make.powerapps.com → Connections (its id is in its URL), share it with the account or sign in as its owner, correct ConnectionId, and run setup again`;
    case "ChildFlowNeverPublished":
      return "the child flow it calls must be on first; setup turns children on first, so fix the child flow's own error (reported above or in make.powerapps.com) and run setup again";
    default:
      return "open the flow in make.powerapps.com (Solutions → the solution → Cloud flows) to see what the designer says about it, fix that, and run setup again";
  }
}

/**
 * Turns the zip's cloud flows on, children before the flows that call them. Nothing is turned on
 * while a connection reference the flows use has no connection: half a product running (events
 * recorded, nothing sent to CleverReach) is worse than none.
 */
export async function turnFlowsOn(ctx: StepContext, unbound: string[]): Promise<void> {
  const { api, zip, report } = ctx;
  const order = activationOrder(zip.flows);
  const blocked = unbound.filter((r) => zip.flows.some((f) => f.connectionReferences.includes(r)));
  if (blocked.length > 0) {
    const users = zip.flows.filter((f) => f.connectionReferences.some((r) => blocked.includes(r))).length;
    throw new SetupError(
      "flows",
      `connection reference${blocked.length > 1 ? "s" : ""} ${blocked.join(", ")}`,
      `no connection is bound, and ${users} of the ${order.length} flows use ${blocked.length > 1 ? "them" : "it"} (the others call those as child flows), so no flow was turned on`,
      `create the connection in make.powerapps.com (for the CleverReach connector: README steps 6–7, the OAuth app's client id and secret first), copy its id from the connection's URL into ConnectionId in ${ctx.settingsPath}, and run npm run setup again`,
    );
  }
  for (const flow of order) {
    const component = `flow "${flow.name}" (${flow.id})`;
    if (!ctx.solutionPresent) {
      report.changed(`turn on "${flow.name}"`);
      continue;
    }
    const row = await within("flows", component, () => api.get("workflows", flow.id, ["statecode", "statuscode"]));
    if (row.statecode === ON.statecode) {
      report.unchanged(`"${flow.name}" is on`);
      continue;
    }
    report.changed(`turn on "${flow.name}"`);
    if (ctx.dryRun) continue;
    await within("flows", component, async () => {
      try {
        await api.update("workflows", flow.id, { ...ON });
      } catch (e) {
        const errors = e instanceof WebApiError ? flowServiceError(e.message) : [];
        const first = errors[0];
        if (!first) throw e;
        throw new SetupError(
          "flows",
          component,
          `it cannot be turned on: ${errors.map((x) => `${x.code}: ${x.message}`).join("; ")}`,
          errors
            .map((x) => adviceFor(x.code, ctx.settingsPath))
            .filter((a, i, all) => all.indexOf(a) === i)
            .join("; "),
        );
      }
    });
  }
}
