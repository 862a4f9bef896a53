import { spawnSync } from "node:child_process";
import { telemetryOptOut } from "./telemetry";

/**
 * Runs pcf-scripts (build, clean, …) with Microsoft's tooling telemetry off, as `harness/start.ts`
 * does for the harness: pcf-scripts' build otherwise sends usage data (seen with strace: DNS look-ups
 * of the telemetry hosts and a call to 169.254.169.254), and tests and CI must reach nothing beyond
 * this machine. A developer who sets PP_TOOLS_TELEMETRY_OPTOUT themselves keeps their choice.
 */
const env = { ...process.env };
telemetryOptOut(env);
const bin = require.resolve("pcf-scripts/bin/pcf-scripts.js");
const run = spawnSync(process.execPath, [bin, ...process.argv.slice(2)], { stdio: "inherit", env });
process.exit(run.status ?? 1);
