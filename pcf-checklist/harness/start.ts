import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ManifestControl, ManifestPropertyNames } from "../NewsletterChecklist/ManifestConstants";
import { SAMPLE_CHECKLIST, SAMPLE_NEWSLETTER_TYPES_JSON } from "./sampleData";
import { isSet, telemetryOptOut } from "./telemetry";

export { telemetryOptOut };

/*
 * `npm start`: the built control in Microsoft's PCF test harness (pcf-start), as `pcf-scripts start`
 * does it (pcf-scripts/tasks/startTask.js: node node_modules/pcf-start/bin/pcf-start.js --codePath
 * out/controls/<Constructor>). That task is not used because it cannot pass a port or keep the
 * browser closed, and it looks for ./node_modules/pcf-start (unless given --pcfStartPath) while npm
 * hoists pcf-start to the repository root.
 *
 * What pcf-start 1.51.1 does, from node_modules/pcf-start/bin/pcf-start.js and harness.js:
 * - bin/pcf-start.js starts browser-sync with fixed options: port 8181 (browser-sync moves to the
 *   next free port when it is taken), `open` unset (so it opens the default browser), all network
 *   interfaces, `server.baseDir` = codePath, and a route "/" to pcf-start's own folder (index.html,
 *   harness.js). Its only flags are --codePath and --watch (the latter only reaches telemetry).
 * - harness.js reads ./ControlManifest.xml over HTTP. A property's initial value is the
 *   `default-value` attribute of its <property> element, unless values applied in the harness's
 *   form are stored in the browser's localStorage under "<namespace>.<constructor>_…"; without
 *   either it is the type's placeholder ("val" for Multiple). There is no query string, no data
 *   file (CSV files are for datasets only).
 * - It loads every <resx> of the manifest into one table, so the file that arrives last wins
 *   whatever the harness's language (here: German, 1031).
 * - context.webAPI in the harness shows an alert and rejects every call ("This is not yet
 *   supported"), so the environment variable clvr_NewsletterTypes cannot be read there.
 * - Telemetry (generated/pp-tooling-telemetry-node): PP_TOOLS_TELEMETRY_OPTOUT=1 disables sending;
 *   Application Insights' statsbeat still sends after 15 s unless APPLICATION_INSIGHTS_NO_STATSBEAT
 *   is set. Either way it writes ~/.config/Microsoft/PowerAppsCli/usersettings.json.
 *
 * So this script runs pcf-start's own bin, changing only browser-sync's options: the port, whether to
 * open a browser, loopback only, and a folder in front of codePath that holds a copy of the built
 * ControlManifest.xml with sample default-values and only one language's resx (the shipped manifest
 * must not get them: a default for newsletterTypes would override the environment variable on
 * every form).
 */

const WORKSPACE = resolve(__dirname, "..");

/** pcf-start's fixed port, kept as the default so its documentation still applies. */
const DEFAULT_PORT = 8181;
const DEFAULT_LCID = 1033;
/** Where the manifest copy with sample values goes; outside out/controls, which the solution packs. */
export const SAMPLE_MANIFEST_DIR = join(WORKSPACE, "out", "harness");

export interface HarnessOptions {
  port: number;
  /** Interface to listen on; loopback unless asked, as a dev server has no business on the network. */
  host: string;
  open: boolean;
  /** The one language whose texts the harness shows (see above). */
  lcid: number;
}

/**
 * `--port <n>` (or env PORT), `--host <address>`, `--open` / `--no-open` (default: open, except in CI),
 * `--lcid <n>` (1033 English, 1031 German).
 */
export function harnessOptions(args: readonly string[], env: NodeJS.ProcessEnv): HarnessOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: "string" },
      host: { type: "string" },
      open: { type: "boolean" },
      "no-open": { type: "boolean" },
      lcid: { type: "string" },
    },
    strict: true,
  });
  const portText = values.port ?? env.PORT ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new Error(`--port (or PORT) must be a TCP port from 1 to 65535, not "${portText}"`);
  // A CI runner has no browser to open, and browser-sync's attempt only prints a warning there.
  const open = values["no-open"] ? false : (values.open ?? !isSet(env.CI));
  const lcid = Number(values.lcid ?? DEFAULT_LCID);
  if (!Number.isInteger(lcid)) throw new Error(`--lcid must be a language id such as 1033, not "${values.lcid}"`);
  return { port, host: values.host ?? "127.0.0.1", open, lcid };
}

/** out/controls/<Constructor>, where pcf-scripts build writes the control (pcfconfig.json outDir). */
export function builtControlDir(): string {
  const { outDir } = JSON.parse(readFileSync(join(WORKSPACE, "pcfconfig.json"), "utf8")) as { outDir: string };
  return join(WORKSPACE, outDir, ManifestControl.Constructor);
}

function xmlAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The manifest with `default-value` set on the named properties (replacing any there is). */
export function withDefaultValues(manifestXml: string, defaults: Readonly<Record<string, string>>): string {
  let xml = manifestXml;
  for (const [name, value] of Object.entries(defaults)) {
    const match = new RegExp(`<property\\s[^>]*\\bname="${name}"[^>]*>`).exec(xml);
    if (!match) throw new Error(`the manifest has no <property name="${name}">`);
    const tag = match[0].replace(/\sdefault-value="[^"]*"/, "").replace(/^<property/, `<property default-value="${xmlAttribute(value)}"`);
    xml = xml.slice(0, match.index) + tag + xml.slice(match.index + match[0].length);
  }
  return xml;
}

/** The manifest with only the <resx> of one language. */
export function withOnlyLanguage(manifestXml: string, lcid: number): string {
  const resx = /[ \t]*<resx\s[^>]*\bpath="([^"]*)"[^>]*\/>\r?\n?/g;
  const kept = [...manifestXml.matchAll(resx)].filter((m) => m[1]?.endsWith(`.${lcid}.resx`));
  if (kept.length === 0) throw new Error(`the manifest has no resx for language ${lcid}`);
  return manifestXml.replace(resx, (tag, path: string) => (path.endsWith(`.${lcid}.resx`) ? tag : ""));
}

/** Writes out/harness/ControlManifest.xml: the built manifest with the sample values, in one language. */
export function writeSampleManifest(builtDir: string, lcid: number, targetDir: string = SAMPLE_MANIFEST_DIR): string {
  const source = join(builtDir, "ControlManifest.xml");
  if (!existsSync(source)) throw new Error(`${source} is missing: run "npm run build" in pcf-checklist first ("npm start" does)`);
  const withSamples = withDefaultValues(readFileSync(source, "utf8"), {
    [ManifestPropertyNames.Value]: SAMPLE_CHECKLIST,
    [ManifestPropertyNames.NewsletterTypes]: SAMPLE_NEWSLETTER_TYPES_JSON,
  });
  const xml = withOnlyLanguage(withSamples, lcid);
  mkdirSync(targetDir, { recursive: true });
  writeFileSync(join(targetDir, "ControlManifest.xml"), xml);
  return targetDir;
}

/** The part of browser-sync's API that pcf-start uses and this script changes. */
interface BrowserSyncConfig {
  port?: number;
  open?: boolean | string;
  listen?: string;
  server?: { baseDir?: string | string[]; routes?: Record<string, string> };
  [option: string]: unknown;
}
interface BrowserSyncInstance {
  init(config: BrowserSyncConfig, callback?: (error: unknown, instance: BrowserSyncInstance) => void): unknown;
  getOption(name: string): unknown;
}
interface BrowserSyncModule {
  create(...args: unknown[]): BrowserSyncInstance;
}

/**
 * Runs pcf-start's bin in this process with browser-sync's options changed as described above.
 * `onListening` gets the harness URL once the server is up.
 */
export function startHarness(options: HarnessOptions, onListening: (url: string) => void): void {
  const built = builtControlDir();
  const sampleDir = writeSampleManifest(built, options.lcid);
  telemetryOptOut(process.env);

  const pcfStartBin = require.resolve("pcf-start/bin/pcf-start.js");
  // The same module instance pcf-start will require, so that replacing `create` reaches it.
  // require() is untyped; BrowserSyncModule describes the two calls pcf-start makes. An import
  // statement cannot name a module resolved from pcf-start's folder at run time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const browserSync = require(require.resolve("browser-sync", { paths: [dirname(pcfStartBin)] })) as BrowserSyncModule;
  const create = browserSync.create;
  let initialised = false;
  let failure: unknown;
  browserSync.create = (...args: unknown[]) => {
    const instance = create(...args);
    const init = instance.init.bind(instance);
    instance.init = (config, callback) => {
      initialised = true;
      if (config.server?.baseDir !== built) {
        failure = new Error(`pcf-start asked browser-sync to serve ${String(config.server?.baseDir)}, not ${built}; see harness/start.ts`);
        return undefined;
      }
      const changed: BrowserSyncConfig = {
        ...config,
        port: options.port,
        open: options.open ? "local" : false,
        listen: options.host,
        server: { ...config.server, baseDir: [sampleDir, built] },
      };
      return init(changed, (error, bs) => {
        if (!error) {
          const host = options.host === "0.0.0.0" || options.host === "::" ? "localhost" : options.host;
          onListening(`http://${host.includes(":") ? `[${host}]` : host}:${String(bs.getOption("port"))}/`);
        }
        callback?.(error, bs);
      });
    };
    return instance;
  };
  const argv = process.argv;
  try {
    // pcf-start reads its flags from process.argv with yargs as it loads, and starts browser-sync
    // synchronously then; loading it with require (not import()) keeps both inside this try.
    process.argv = [process.execPath, pcfStartBin, "--codePath", built];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(pcfStartBin);
  } finally {
    process.argv = argv;
    browserSync.create = create;
  }
  if (failure) throw failure;
  if (!initialised) throw new Error(`pcf-start did not start browser-sync the way harness/start.ts expects; read ${pcfStartBin}`);
}

if (require.main === module) {
  try {
    startHarness(harnessOptions(process.argv.slice(2), process.env), (url) => {
      // The line tests/harness/pcfStart.test.ts waits for.
      console.log(`\n${ManifestControl.Constructor} in the PCF test harness: ${url}\n`);
    });
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
