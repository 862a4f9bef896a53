import { statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { BUILT_CONTROL, launchChromium, mountControl, openHostPage } from "./browserHost";

/** Figures for `npm run bench` (printed as JSON for the root bench to put in its table). */
export interface ControlBench {
  bundleBytes: number;
  bundleGzipBytes: number;
  types: number;
  firstRenderMs: number;
  medianRenderMs: number;
  runs: number;
}

function fiftyTypes(n: number): { types: string; value: string } {
  const ids = Array.from({ length: n }, (_, i) => i);
  const types = JSON.stringify(ids.map((id) => ({ id, description: `Newsletter type ${id}`, position: n - 1 - id })));
  const value = JSON.stringify(
    ids.map((id) => ({
      id,
      state: id % 3,
      description: `Newsletter type ${id}`,
      modifiedby: id % 3 ? "Ann" : "",
      modifiedon: id % 3 ? "2026-01-02T03:04:05.000Z" : "",
      position: n - 1 - id,
    })),
  );
  return { types, value };
}

export async function benchControl(types = 50, runs = 25): Promise<ControlBench> {
  const bundle = join(BUILT_CONTROL, "bundle.js");
  const { browser, close } = await launchChromium();
  try {
    const page = await openHostPage(browser);
    const { types: override, value } = fiftyTypes(types);
    // The form's override keeps the Web API out of the measured render (it is asynchronous).
    const firstRenderMs = await mountControl(page, { value, override });
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      await page.evaluate(() => (window as unknown as { __host: { unmount(): void } }).__host.unmount());
      times.push(await mountControl(page, { value, override }));
    }
    const rendered = await page.getByRole("radiogroup").count();
    if (rendered !== types) throw new Error(`expected ${types} rows, the control rendered ${rendered}`);
    times.sort((a, b) => a - b);
    return {
      bundleBytes: statSync(bundle).size,
      bundleGzipBytes: gzipSync(readFileSync(bundle)).length,
      types,
      firstRenderMs,
      medianRenderMs: times[Math.floor(times.length / 2)] as number,
      runs,
    };
  } finally {
    await close();
  }
}

if (require.main === module) {
  benchControl()
    .then((r) => console.log(JSON.stringify(r)))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
