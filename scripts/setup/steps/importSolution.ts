import { SetupError } from "../errors";
import * as odata from "../../../flows/toolkit/builder/odataFilter";
import { within, type StepContext } from "../context";
import { WebApiError } from "../webApi";

/**
 * asyncoperation choices (Microsoft's table reference; "Solution staging, with asynchronous import
 * and export": an import is done at statecode 3, succeeded at statuscode 30, failed at 31).
 */
const COMPLETED = 3;
const SUCCEEDED = 30;

export interface ImportTiming {
  pollIntervalMs: number;
  timeoutMs: number;
}

const compareVersions = (a: string, b: string): number => {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};

const kind = (managed: boolean): string => (managed ? "managed" : "unmanaged");

/**
 * Imports the zip with ImportSolutionAsync and follows the asynchronous operation to its end,
 * unless the environment already has this version (then nothing is imported; --reimport forces it).
 * Returns whether the solution is in the environment afterwards (false only in a first dry run).
 */
export async function importSolution(ctx: StepContext, timing: ImportTiming, reimport: boolean): Promise<boolean> {
  const { api, zip, report } = ctx;
  const component = `solution ${zip.uniqueName} ${zip.version} (${kind(zip.managed)}, ${zip.bytes.length} bytes)`;
  const installed = await within("import", component, () =>
    api.list("solutions", { select: ["solutionid", "version", "ismanaged"], filter: odata.filter(odata.eq("uniquename", odata.str(zip.uniqueName))) }),
  );
  const existing = installed[0];
  if (existing) {
    const version = String(existing.version);
    const managed = existing.ismanaged === true;
    if (managed !== zip.managed) {
      // Dataverse refuses to switch a solution between managed and unmanaged ("Import can only update
      // solutions when the modes match", Microsoft troubleshooting KB 4456697).
      throw new SetupError(
        "import",
        component,
        `the environment has ${zip.uniqueName} ${version} as ${kind(managed)}; Dataverse cannot update it with a ${kind(zip.managed)} zip`,
        managed
          ? "import the managed zip here: npm run setup -- --package managed …"
          : 'this is a development environment with the unmanaged solution: run setup with --package unmanaged, or remove the solution first to install the managed one (see README, "Which zip where")',
      );
    }
    const order = compareVersions(version, zip.version);
    if (order > 0) {
      throw new SetupError(
        "import",
        component,
        `the environment already has the newer version ${version}`,
        "build the newer version (update the repository, npm run build) or pass that zip with --zip",
      );
    }
    if (order === 0 && !reimport) {
      report.unchanged(`${zip.uniqueName} ${version} (${kind(managed)}) is already imported`);
      return true;
    }
  }
  report.changed(
    `import ${zip.uniqueName} ${zip.version} (${kind(zip.managed)})${existing ? ` over ${String(existing.version)}` : ""}, keeping unmanaged customizations`,
  );
  if (ctx.dryRun) return existing !== undefined;

  const started = await within("import", component, async () => {
    try {
      return await api.action<{ AsyncOperationId: string; ImportJobKey: string }>("ImportSolutionAsync", {
        // Unmanaged customizations (a maker's own form or view changes) stay; flows are turned on by setup, in order.
        OverwriteUnmanagedCustomizations: false,
        PublishWorkflows: false,
        CustomizationFile: zip.bytes.toString("base64"),
        ComponentParameters: [],
      });
    } catch (e) {
      if (e instanceof WebApiError && e.status === 403) {
        throw new SetupError(
          "import",
          component,
          `the environment refused the import (${e.code}): ${e.message}`,
          "importing needs the System Customizer or System Administrator security role in this environment (Power Platform admin center → Environments → Users → Manage security roles); add it and run setup again",
        );
      }
      throw e;
    }
  });
  const deadline = ctx.now() + timing.timeoutMs;
  for (;;) {
    const op = await within("import", `${component}, asynchronous operation ${started.AsyncOperationId}`, () =>
      api.get("asyncoperations", started.AsyncOperationId, ["statecode", "statuscode", "message", "friendlymessage"]),
    );
    const job = await within("import", `${component}, import job ${started.ImportJobKey}`, () => api.get("importjobs", started.ImportJobKey, ["progress"]));
    report.progress("importing", Number(job.progress ?? 0));
    if (op.statecode === COMPLETED) {
      if (op.statuscode === SUCCEEDED) {
        report.note(`imported (import job ${started.ImportJobKey})`);
        return true;
      }
      const said = String(op.friendlymessage ?? op.message ?? "no message");
      throw new SetupError(
        "import",
        component,
        `the import failed: ${said}`,
        `fix what the message names; the full log is in make.powerapps.com → Solutions → History (import job ${started.ImportJobKey}); then run setup again`,
      );
    }
    if (ctx.now() > deadline) {
      throw new SetupError(
        "import",
        component,
        `the import had not finished after ${Math.round(timing.timeoutMs / 1000)} s (asynchronous operation ${started.AsyncOperationId})`,
        "watch it in make.powerapps.com → Solutions → History; when it has finished, run setup again (it will find the solution and go on)",
      );
    }
    await ctx.sleep(timing.pollIntervalMs);
  }
}
