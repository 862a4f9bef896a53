import type { BrowserContext, Page } from "playwright-core";
import { boundValue, launchChromium, mountControl, openHostPage } from "../../harness/browserHost";
import { SEED } from "../checklist/seed";
import { describeInBrowser, LAUNCH_BUDGET_MS, PAGE_BUDGET_MS } from "./inBrowser";

// Issue 16: what jsdom cannot show. The change details as a screen reader gets them by keyboard
// (Chromium's accessibility tree), the row layout at 320 px, hover on read-only options, the message icon.

const TEST_BUDGET_MS = 30_000;

describeInBrowser("the built bundle in headless Chromium: reachable details, narrow layout, read-only hover, icons", () => {
  let browser: BrowserContext;
  let close: () => Promise<void>;
  let page: Page;

  beforeAll(async () => {
    ({ browser, close } = await launchChromium());
  }, LAUNCH_BUDGET_MS);
  afterAll(async () => {
    await close?.();
  }, PAGE_BUDGET_MS);
  afterEach(async () => {
    await page?.close();
  }, PAGE_BUDGET_MS);

  const STORED =
    '[{"id":0,"state":1,"description":"Information","modifiedby":"Ann","modifiedon":"2026-01-02T03:04:05.000Z","position":1},' +
    '{"id":1,"state":2,"description":"Werbung und Spiele","modifiedby":"CleverReach","modifiedon":"2026-03-04T05:06:07Z","position":0}]';

  test(
    "Tab and arrow keys reach each row, and its focused option carries who changed it in the accessibility tree",
    async () => {
      page = await openHostPage(browser);
      await mountControl(page, { value: STORED, defaultValue: SEED });
      await page.getByRole("radiogroup", { name: "Information" }).waitFor();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Accessibility.enable");
      // What a screen reader gets for the focused element: Chromium's own accessible name and description.
      const focused = async (): Promise<{ role?: string; name?: string; description?: string }> => {
        const { result } = await cdp.send("Runtime.evaluate", { expression: "document.activeElement" });
        const { nodes } = await cdp.send("Accessibility.getPartialAXTree", { objectId: result.objectId, fetchRelatives: false });
        const node = nodes[0];
        return { role: node?.role?.value as string, name: node?.name?.value as string, description: node?.description?.value as string };
      };
      await page.keyboard.press("Tab");
      expect(await focused()).toEqual({ role: "radio", name: "Declined", description: "Changed by CleverReach on 2026-03-04" });
      await page.keyboard.press("Tab");
      expect(await focused()).toEqual({ role: "radio", name: "Accepted", description: "Changed by Ann on 2026-01-02" });
      // The details are on screen too, not only announced.
      expect(await page.getByText("Changed by Ann on 2026-01-02").isVisible()).toBe(true);
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction(() => (window as unknown as { __host: { outputs: unknown[] } }).__host.outputs.length === 1);
      // The host formats dates as the ISO day; take it from the stamp the control wrote, not the test's clock.
      const today = (JSON.parse((await boundValue(page)) as string)[0].modifiedon as string).slice(0, 10);
      expect(await focused()).toEqual({ role: "radio", name: "Declined", description: `Changed by Erika Mustermann on ${today}` });
    },
    TEST_BUDGET_MS,
  );

  test(
    "at 320 px a long label wraps inside its row and every row's buttons stay at the same right edge",
    async () => {
      page = await openHostPage(browser);
      await page.setViewportSize({ width: 320, height: 640 });
      const long = "Einladungen zu Veranstaltungen, Webinaren, Messen und Kundentagen";
      const types = [
        { id: 0, description: "Information", position: 0 },
        { id: 1, description: long, position: 1 },
        { id: 2, description: "Events", position: 2 },
      ];
      await mountControl(page, { value: STORED, override: JSON.stringify(types) });
      await page.getByRole("radiogroup", { name: long }).waitFor();
      const boxes = await page.getByRole("radiogroup").evaluateAll((groups) =>
        groups.map((g) => {
          const group = g.getBoundingClientRect();
          const label = (document.getElementById(g.getAttribute("aria-labelledby") ?? "") as HTMLElement).getBoundingClientRect();
          return { right: Math.round(group.right), top: Math.round(group.top), labelTop: Math.round(label.top), labelHeight: Math.round(label.height) };
        }),
      );
      const fieldRight = await page.locator("#control").evaluate((el) => Math.round(el.getBoundingClientRect().right));
      expect(boxes.map((b) => b.right)).toEqual([fieldRight, fieldRight, fieldRight]);
      // The long label takes several lines beside its buttons instead of pushing them below.
      const longRow = boxes[1] as (typeof boxes)[number];
      expect(longRow.labelHeight).toBeGreaterThan(20);
      expect(longRow.top).toBeLessThan(longRow.labelTop + longRow.labelHeight);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    },
    TEST_BUDGET_MS,
  );

  test(
    "read-only: an option under the pointer keeps its colours",
    async () => {
      page = await openHostPage(browser);
      await mountControl(page, { value: STORED, defaultValue: SEED, disabled: true });
      const group = page.getByRole("radiogroup", { name: "Information" });
      await group.waitFor();
      const look = (name: string): Promise<string> =>
        group.getByRole("radio", { name }).evaluate((el) => {
          const style = getComputedStyle(el);
          return `${style.backgroundColor} ${style.color} ${style.filter} ${style.borderColor}`;
        });
      for (const name of ["Not chosen", "Accepted"]) {
        await page.mouse.move(0, 0);
        const before = await look(name);
        await group.getByRole("radio", { name }).hover();
        expect(await look(name)).toBe(before);
      }
      // The same probe sees hover where a click does something, so "unchanged" above means something.
      await page.close();
      page = await openHostPage(browser);
      await mountControl(page, { value: STORED, defaultValue: SEED });
      const editable = page.getByRole("radiogroup", { name: "Information" }).getByRole("radio", { name: "Not chosen" });
      await editable.waitFor();
      const background = (): Promise<string> => editable.evaluate((el) => getComputedStyle(el).backgroundColor);
      const idle = await background();
      await editable.hover();
      expect(await background()).not.toBe(idle);
    },
    TEST_BUDGET_MS,
  );

  test(
    "the message bar's icon is drawn without Fluent's icon font",
    async () => {
      page = await openHostPage(browser);
      await mountControl(page, { value: "{broken", defaultValue: SEED });
      const icon = page.locator(".ms-MessageBar-icon");
      await icon.waitFor();
      expect(await icon.locator("svg").count()).toBe(1);
      const box = await icon.locator("svg").boundingBox();
      expect([box?.width, box?.height]).toEqual([16, 16]);
      expect(await page.locator("#control [data-icon-name]").count()).toBe(0);
    },
    TEST_BUDGET_MS,
  );
});
