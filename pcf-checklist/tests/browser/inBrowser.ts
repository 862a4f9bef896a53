import { existsSync } from "node:fs";
import { CHROMIUM } from "../../harness/browserHost";

// CI installs chromium (.ci/run), so there a browser test must run; elsewhere a missing browser only skips, loudly.
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const missing = `${CHROMIUM} not found (apt-get install -y chromium)`;
  if (process.env.CI) throw new Error(`browser test cannot run in CI: ${missing}`);
  console.warn(`\n\n*** BROWSER TEST SKIPPED: ${missing} ***\n\n`);
}

/** `describe` where Chromium is installed, a loud skip elsewhere, a failure in CI without it. */
export const describeInBrowser = haveChromium ? describe : describe.skip;

// Each step takes 1–2 s here and several times that on a busy 2-core machine; jest's default is too tight.
export const LAUNCH_BUDGET_MS = 30_000;
export const PAGE_BUDGET_MS = 20_000;
