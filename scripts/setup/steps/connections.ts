import { SetupError } from "../errors";
import * as odata from "../../../flows/toolkit/builder/odataFilter";
import { within, type StepContext } from "../context";

/**
 * Binds each connection reference to the connection the settings name (connectionreference
 * .connectionid). A reference the settings leave empty keeps what it has; one with no connection at
 * all is returned, so the flow step can say why it cannot turn the flows on.
 */
export async function bindConnections(ctx: StepContext): Promise<string[]> {
  const { api, zip, settings, report } = ctx;
  const wanted = new Map(settings.ConnectionReferences.map((r) => [r.LogicalName, r.ConnectionId.trim()]));
  const unbound: string[] = [];
  for (const reference of zip.connectionReferences) {
    const component = `connection reference ${reference.logicalName} (${reference.displayName})`;
    const connectionId = wanted.get(reference.logicalName) ?? "";
    await within("connections", component, async () => {
      const row = (
        await api.list("connectionreferences", {
          select: ["connectionreferenceid", "connectionid"],
          filter: odata.filter(odata.eq("connectionreferencelogicalname", odata.str(reference.logicalName))),
        })
      )[0];
      if (!row) {
        if (!ctx.solutionPresent) {
          if (connectionId !== "") report.changed(`bind ${reference.logicalName} to connection ${connectionId} (after the import)`);
          else unbound.push(reference.logicalName);
          return;
        }
        throw new SetupError(
          "connections",
          component,
          "it is not in the environment although the solution is",
          "import the solution again: npm run setup -- --reimport …",
        );
      }
      const current = typeof row.connectionid === "string" ? row.connectionid : "";
      if (connectionId === "") {
        if (current !== "") report.unchanged(`${reference.logicalName} stays bound to ${current} (the settings file leaves ConnectionId empty)`);
        else {
          report.note(`${reference.logicalName} has no connection yet (ConnectionId is empty in ${ctx.settingsPath})`);
          unbound.push(reference.logicalName);
        }
        return;
      }
      if (current === connectionId) return report.unchanged(`${reference.logicalName} is bound to ${connectionId}`);
      report.changed(`bind ${reference.logicalName} to connection ${connectionId}${current ? ` (was ${current})` : ""}`);
      if (!ctx.dryRun) await api.update("connectionreferences", String(row.connectionreferenceid), { connectionid: connectionId });
    });
  }
  return unbound;
}
