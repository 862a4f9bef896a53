import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { BrowserContext } from "playwright-core";
import { ManifestPropertyNames, REGISTERED_CONTROL_NAME } from "../../NewsletterChecklist/ManifestConstants";
import { CHROMIUM, launchChromium } from "../../harness/browserHost";
import { resxStrings } from "../../harness/resx";
import { SAMPLE_NEWSLETTER_TYPES_JSON, SAMPLE_VISIBLE_ROWS } from "../../harness/sampleData";
import { builtControlDir } from "../../harness/start";

/*
 * `npm start` without its build step: `npm test` has just built the control, and rebuilding here
 * would rewrite out/controls while other test files read it. Budgets are generous because a busy
 * 2-core machine takes seconds for tsx, browser-sync and Chromium each.
 */
const STARTUP_BUDGET_MS = 60_000;
const HTTP_BUDGET_MS = 30_000;
const BROWSER_BUDGET_MS = 90_000;
const STOP_BUDGET_MS = 15_000;

const WORKSPACE = resolve(__dirname, "../..");
const BUILT = builtControlDir();

/** A port nobody listens on now; browser-sync takes the next free one if it is gone by then. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

interface Harness {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts harness/start.ts as `npm start` does after building, in its own process group. */
async function startHarness(home: string): Promise<Harness> {
  const tsxCli = join(dirname(require.resolve("tsx/package.json")), "dist", "cli.mjs");
  const port = await freeLoopbackPort();
  const child: ChildProcess = spawn(process.execPath, [tsxCli, "harness/start.ts", "--port", String(port), "--no-open"], {
    cwd: WORKSPACE,
    // Own group, so that stop() ends tsx's node child and browser-sync with it.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      // pcf-start writes ~/.config/Microsoft/PowerAppsCli/usersettings.json; keep it out of the real home.
      HOME: home,
      CI: "1",
      // Set here as well as by harness/start.ts, so the test does not lean on that default.
      PP_TOOLS_TELEMETRY_OPTOUT: "1",
      APPLICATION_INSIGHTS_NO_STATSBEAT: "1",
    },
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // The group is already gone.
      }
      let timer: NodeJS.Timeout | undefined;
      const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 5_000)))]);
      clearTimeout(timer);
      if (!killed) process.kill(-child.pid, "SIGKILL");
    }
    await exited;
  };
  const url = await new Promise<string>((found, fail) => {
    const timer = setTimeout(() => fail(new Error(`the harness did not start within ${STARTUP_BUDGET_MS} ms:\n${output}`)), STARTUP_BUDGET_MS - 5_000);
    const poll = setInterval(() => {
      const match = /in the PCF test harness: (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearInterval(poll);
        clearTimeout(timer);
        found(match[1]);
      }
    }, 100);
    void exited.then(() => {
      clearInterval(poll);
      clearTimeout(timer);
      fail(new Error(`the harness exited before it served anything:\n${output}`));
    });
  }).catch(async (e: unknown) => {
    await stop();
    throw e;
  });
  return { url, output: () => output, stop };
}

if (!existsSync(join(BUILT, "bundle.js"))) {
  throw new Error(`${BUILT}/bundle.js is missing: run "npm run build" in pcf-checklist first ("npm test" does)`);
}

describe("npm start: the control in pcf-start's test harness", () => {
  let home: string;
  let harness: Harness | undefined;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "clvr-pcf-start-"));
    harness = await startHarness(home);
  }, STARTUP_BUDGET_MS);

  afterAll(async () => {
    await harness?.stop();
    rmSync(home, { recursive: true, force: true });
  }, STOP_BUDGET_MS);

  const get = async (path: string): Promise<{ status: number; body: string }> => {
    const response = await fetch(new URL(path, harness?.url), { signal: AbortSignal.timeout(HTTP_BUDGET_MS / 2) });
    return { status: response.status, body: await response.text() };
  };

  test("listens on loopback only", () => {
    expect(new URL(harness?.url ?? "").hostname).toBe("127.0.0.1");
  });

  test(
    "serves pcf-start's harness page, its script, and the control's built bundle",
    async () => {
      const page = await get("/");
      expect(page.status).toBe(200);
      expect(page.body).toContain("<title>PCF Control Sandbox</title>");
      expect(page.body).toContain('src="harness.js"');
      const script = await get("/harness.js");
      expect(script.status).toBe(200);
      expect(script.body).toBe(readFileSync(require.resolve("pcf-start/harness.js"), "utf8"));
      const bundle = await get("/bundle.js");
      expect(bundle.status).toBe(200);
      expect(bundle.body).toBe(readFileSync(join(BUILT, "bundle.js"), "utf8"));
      expect(bundle.body).toContain(`registerControl('${REGISTERED_CONTROL_NAME}'`);
    },
    HTTP_BUDGET_MS,
  );

  test(
    "the manifest it serves carries the sample data and one language; the build's own is untouched",
    async () => {
      const manifest = await get("/ControlManifest.xml");
      expect(manifest.status).toBe(200);
      const escaped = SAMPLE_NEWSLETTER_TYPES_JSON.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
      expect(manifest.body).toContain(`<property default-value="${escaped}" name="${ManifestPropertyNames.NewsletterTypes}"`);
      expect(manifest.body).toMatch(new RegExp(`<property default-value="\\[\\{[^"]*" name="${ManifestPropertyNames.Value}"`));
      expect(manifest.body.match(/<resx /g)).toHaveLength(1);
      expect(readFileSync(join(BUILT, "ControlManifest.xml"), "utf8")).not.toContain("default-value");
    },
    HTTP_BUDGET_MS,
  );

  // The browser part, like tests/browser: CI must run it, elsewhere a missing Chromium skips it loudly.
  const haveChromium = existsSync(CHROMIUM);
  if (!haveChromium) {
    const missing = `${CHROMIUM} not found (apt-get install -y chromium)`;
    if (process.env.CI) throw new Error(`harness browser test cannot run in CI: ${missing}`);
    console.warn(`\n\n*** HARNESS BROWSER TEST SKIPPED: ${missing} ***\n\n`);
  }

  (haveChromium ? test : test.skip)(
    "in Chromium the harness shows the sample rows, with nothing fetched from beyond this machine",
    async () => {
      const { browser, close } = await launchChromium();
      const leftLoopback: string[] = [];
      try {
        await keepOnThisMachine(browser, leftLoopback);
        const page = await browser.newPage();
        // The harness alerts when a control calls its Web API; the sample must not make it.
        const dialogs: string[] = [];
        page.on("dialog", (dialog) => {
          dialogs.push(dialog.message());
          void dialog.dismiss();
        });
        await page.goto(harness?.url ?? "");
        const first = SAMPLE_VISIBLE_ROWS[0] as string;
        await page.getByRole("radiogroup", { name: first }).waitFor({ timeout: BROWSER_BUDGET_MS / 2 });
        const labels = await page
          .getByRole("radiogroup")
          .evaluateAll((groups) => groups.map((g) => document.getElementById(g.getAttribute("aria-labelledby") ?? "")?.textContent));
        expect(labels).toEqual(SAMPLE_VISIBLE_ROWS);
        const strings = resxStrings(1033);
        const checked = async (row: string): Promise<string | null> =>
          page.getByRole("radiogroup", { name: row }).getByRole("radio", { checked: true }).getAttribute("aria-label");
        expect(await checked("Werbung und Spiele")).toBe(strings.get("State_Declined"));
        expect(await checked("Information")).toBe(strings.get("State_Accepted"));
        expect(await checked("Events")).toBe(strings.get("State_None"));
        expect(dialogs).toEqual([]);
        // Only the harness's web fonts were wanted from outside (React is served from node_modules).
        expect(leftLoopback.filter((url) => !/\.woff2?$/.test(url))).toEqual([]);
      } finally {
        await close();
      }
    },
    BROWSER_BUDGET_MS,
  );
});

/**
 * Lets the page reach only the harness on 127.0.0.1. pcf-start's index.html loads React 16 from
 * unpkg.com; that is answered from node_modules. Everything else is refused and recorded.
 */
async function keepOnThisMachine(browser: BrowserContext, refused: string[]): Promise<void> {
  await browser.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    const react = /^\/(react|react-dom)@[\d.]+\/umd\/([\w.-]+\.js)$/.exec(url.pathname);
    if (url.hostname === "unpkg.com" && react) {
      return route.fulfill({ contentType: "text/javascript", body: readFileSync(require.resolve(`${react[1]}/umd/${react[2]}`), "utf8") });
    }
    refused.push(url.href);
    return route.abort();
  });
}
