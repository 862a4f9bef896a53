import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { ManifestPropertyNames, REGISTERED_CONTROL_NAME } from "../NewsletterChecklist/ManifestConstants";
import { resxStrings } from "./resx";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const BUILT_CONTROL = resolve(__dirname, "../out/controls/NewsletterChecklist");

/** Launches Debian's chromium headless with a fresh profile, cut off from everything but the page. */
export async function launchChromium(): Promise<{ browser: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "clvr-chromium-"));
  // Playwright passes --user-data-dir itself for a persistent context; the profile is ours and new.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

export interface HostOptions {
  value: string | null;
  /** Environment variable clvr_NewsletterTypes: default and optional current value. */
  defaultValue?: string;
  currentValue?: string;
  override?: string;
  disabled?: boolean;
  userName?: string;
  languageId?: number;
}

/**
 * The platform side, run inside the page: it plays the model-driven form. It takes the control the
 * bundle registered, hands it a fake context, renders what updateView returns with the platform's
 * React, and after notifyOutputChanged takes getOutputs into the bound value and updates the view.
 */
const HOST_SCRIPT = `
window.Reactv16 = window.React;
window.FluentUIReactv8290 = window.FluentUIReact;
window.__registered = {};
window.ComponentFramework = { registerControl: function (name, ctor) { window.__registered[name] = ctor; } };
window.__mount = function (name, options, strings) {
  var state = Object.assign({ userName: "Erika Mustermann", languageId: 1033 }, options);
  var host = { outputs: [], value: function () { return state.value; } };
  var container = document.createElement("div");
  container.id = "control";
  document.body.appendChild(container);
  var webAPI = {
    retrieveMultipleRecords: function (entity) {
      if (entity === "environmentvariabledefinition") {
        return Promise.resolve({ entities: state.defaultValue === undefined ? [] : [{ environmentvariabledefinitionid: "d1", defaultvalue: state.defaultValue }] });
      }
      return Promise.resolve({ entities: state.currentValue === undefined ? [] : [{ value: state.currentValue }] });
    }
  };
  function context() {
    return {
      parameters: {
        "${ManifestPropertyNames.Value}": { raw: state.value },
        "${ManifestPropertyNames.NewsletterTypes}": { raw: state.override === undefined ? null : state.override }
      },
      mode: { isControlDisabled: !!state.disabled },
      userSettings: { userName: state.userName, languageId: state.languageId },
      resources: { getString: function (key) { return strings[key] || key; } },
      formatting: { formatDateLong: function (d) { return d.toISOString().slice(0, 10); } },
      webAPI: webAPI
    };
  }
  var Ctor = window.__registered[name];
  var control = new Ctor();
  function render() { ReactDOM.render(control.updateView(context()), container); }
  control.init(context(), function () {
    setTimeout(function () {
      var out = control.getOutputs();
      host.outputs.push(out);
      // A key with undefined empties the column; a missing key leaves it as it is.
      if ("value" in out) state.value = out.value === undefined ? null : out.value;
      render();
    }, 0);
  });
  host.render = render;
  host.unmount = function () { ReactDOM.unmountComponentAtNode(container); container.remove(); };
  window.__host = host;
  var t0 = performance.now();
  render();
  void container.offsetHeight; // include style and layout in the first-render time
  host.firstRenderMs = performance.now() - t0;
  return host.firstRenderMs;
};
`;

/** A blank page with the platform's React 16 and Fluent 8 globals, the built bundle, and the host. */
export async function openHostPage(browser: BrowserContext): Promise<Page> {
  const bundle = join(BUILT_CONTROL, "bundle.js");
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run "npm run build" in pcf-checklist first`);
  const page = await browser.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
  await page.setContent('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>form</title></head><body></body></html>');
  for (const file of [
    packageFile("react", "umd/react.production.min.js"),
    packageFile("react-dom", "umd/react-dom.production.min.js"),
    packageFile("@fluentui/react", "dist/fluentui-react.umd.js"),
  ]) {
    await page.addScriptTag({ content: readFileSync(file, "utf8") });
  }
  await page.addScriptTag({ content: HOST_SCRIPT });
  await page.addScriptTag({ content: readFileSync(bundle, "utf8") });
  return page;
}

/** Mounts the registered control like a form would; returns the first render's time in ms. */
export function mountControl(page: Page, options: HostOptions): Promise<number> {
  const strings = Object.fromEntries(resxStrings(options.languageId ?? 1033));
  // The callback runs in the page, so the name travels as an argument like the options.
  return page.evaluate(([name, o, s]) => (window as unknown as HostWindow).__mount(name, o, s), [REGISTERED_CONTROL_NAME, options, strings] as const);
}

/** The bound column's value as the fake form holds it. */
export function boundValue(page: Page): Promise<string | null> {
  return page.evaluate(() => (window as unknown as HostWindow).__host.value());
}

export function outputCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as HostWindow).__host.outputs.length);
}

/** What HOST_SCRIPT puts on window. */
interface HostWindow {
  __mount(name: string, options: HostOptions, strings: Record<string, string>): number;
  __host: { value(): string | null; outputs: unknown[]; render(): void; unmount(): void; firstRenderMs: number };
}
