import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The flow toolkit (workflow language, expressions, builders, linter, simulator) must stay
 * publishable on its own: no import may leave flows/toolkit except into Node's own modules or
 * packages the root package.json declares.
 */
const TOOLKIT = resolve(__dirname, "..", "..", "flows", "toolkit");
const pkg = JSON.parse(readFileSync(resolve(__dirname, "..", "..", "package.json"), "utf8")) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
const PACKAGES = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*|import\s+)["']([^"']+)["']/g)) if (m[1]) found.push(m[1]);
  return found;
}

/** What is wrong with one import of a toolkit file, or undefined when it stays inside. */
export function importProblem(file: string, spec: string): string | undefined {
  if (spec.startsWith(".")) {
    const target = resolve(dirname(file), spec);
    return relative(TOOLKIT, target).startsWith("..") ? `imports ${spec}, outside flows/toolkit` : undefined;
  }
  const bare = spec.replace(/^node:/, "");
  if (spec.startsWith("node:") || builtinModules.includes(bare)) return undefined;
  const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : (spec.split("/")[0] ?? spec);
  return PACKAGES.has(name) ? undefined : `imports the package ${name}, which package.json does not declare`;
}

describe("the flow toolkit is independent of the product", () => {
  const files = sources(TOOLKIT);

  test("it has sources to check", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  test("no toolkit file imports anything outside flows/toolkit but Node and declared packages", () => {
    const problems = files.flatMap((f) =>
      specifiers(readFileSync(f, "utf8")).flatMap((s) => {
        const p = importProblem(f, s);
        return p ? [`${relative(TOOLKIT, f)}: ${p}`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });

  test("the check bites: an import of the solution model is reported", () => {
    expect(importProblem(join(TOOLKIT, "builder", "flow.ts"), "../../../solution/src/model/product")).toMatch(/outside flows\/toolkit/);
    expect(importProblem(join(TOOLKIT, "builder", "flow.ts"), "left-pad")).toMatch(/does not declare/);
    expect(importProblem(join(TOOLKIT, "builder", "flow.ts"), "../expr/build")).toBeUndefined();
  });
});
