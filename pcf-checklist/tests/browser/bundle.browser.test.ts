import type { BrowserContext, Page } from "playwright-core";
import { boundValue, launchChromium, mountControl, openHostPage, outputCount } from "../../harness/browserHost";
import { SEED } from "../checklist/seed";
import { describeInBrowser, LAUNCH_BUDGET_MS, PAGE_BUDGET_MS } from "./inBrowser";

const TEST_BUDGET_MS = 20_000;

describeInBrowser("the built bundle in headless Chromium", () => {
  let browser: BrowserContext;
  let close: () => Promise<void>;
  let page: Page;

  beforeAll(async () => {
    ({ browser, close } = await launchChromium());
  }, LAUNCH_BUDGET_MS);
  afterAll(async () => {
    await close?.();
  }, PAGE_BUDGET_MS);
  beforeEach(async () => {
    page = await openHostPage(browser);
    await mountControl(page, { value: SEED, defaultValue: SEED });
    await page.getByRole("radiogroup", { name: "Information" }).waitFor();
  }, PAGE_BUDGET_MS);
  afterEach(async () => {
    await page?.close();
  }, PAGE_BUDGET_MS);

  test(
    "shows the rows in position order and writes nothing on load",
    async () => {
      expect(
        await page
          .getByRole("radiogroup")
          .evaluateAll((gs) =>
            gs.map((g) => g.getAttribute("aria-labelledby") && document.getElementById(g.getAttribute("aria-labelledby") as string)?.textContent),
          ),
      ).toEqual(["Werbung und Spiele", "Information"]);
      expect(await outputCount(page)).toBe(0);
    },
    TEST_BUDGET_MS,
  );

  test(
    "keyboard: Tab reaches the first row's chosen option with a visible focus ring, arrows set it",
    async () => {
      await page.keyboard.press("Tab");
      const focused = page.locator(":focus");
      expect(await focused.getAttribute("aria-label")).toBe("Not chosen");
      expect(await focused.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction(() => (window as unknown as { __host: { outputs: unknown[] } }).__host.outputs.length === 1);
      expect(await page.locator(":focus").getAttribute("aria-label")).toBe("Accepted");
      const rows = JSON.parse((await boundValue(page)) as string);
      expect(rows[1]).toMatchObject({ id: 1, state: 1, modifiedby: "Erika Mustermann" });
      expect(rows[1].modifiedon).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(rows[0]).toEqual({ id: 0, state: 0, description: "Information", modifiedby: "", modifiedon: "", position: 1 });
      // Tab leaves the group (one tab stop per row) and lands on the next row.
      await page.keyboard.press("Tab");
      expect(await page.locator(":focus").evaluate((el) => el.closest("[role=radiogroup]")?.getAttribute("aria-labelledby"))).toMatch(/-0$/);
    },
    TEST_BUDGET_MS,
  );

  test(
    "click: the red cross declines a row and the bound value says so",
    async () => {
      await page.getByRole("radiogroup", { name: "Information" }).getByRole("radio", { name: "Declined" }).click();
      await page.waitForFunction(() => (window as unknown as { __host: { outputs: unknown[] } }).__host.outputs.length === 1);
      const value = (await boundValue(page)) as string;
      expect(JSON.parse(value)[0]).toMatchObject({ id: 0, state: 2, modifiedby: "Erika Mustermann" });
      expect(value.startsWith('[{"id":0,"state":2,"description":"Information","modifiedby":"Erika Mustermann","modifiedon":"')).toBe(true);
      expect(await page.getByRole("radiogroup", { name: "Information" }).getByRole("radio", { checked: true }).getAttribute("aria-label")).toBe("Declined");
    },
    TEST_BUDGET_MS,
  );
});
