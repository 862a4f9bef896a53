import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { flowIndex, flowOutline } from "../../flows/toolkit/outline/markdown";
import { code } from "../../flows/toolkit/outline/text";
import { compactName, workflowFileName } from "./naming";
import type { ZipFile } from "./parts";
import { flowsContribution, type FlowArtifact } from "./slots/flows";

/** Where `npm run build` writes the flows for review, relative to the repository root. */
export const GENERATED_DIR = "flows/generated";

const outlinePath = (f: FlowArtifact): string => `outlines/${compactName(f.displayName.en)}.md`;

const RUNS_AS: Record<FlowArtifact["runAs"], string> = { owner: "the flow owner", caller: "the user who starts it" };

const INTRO = [
  "What the solution zip's cloud flows do, readable without importing it. `npm run build` writes this folder",
  "from the flow builders in `flows/product`; a test fails when it differs from what they produce, so edit the",
  "builders, never these files. `Workflows/` holds each flow's definition byte for byte as the zip carries it",
  "(the file names of an unpacked solution); `outlines/` holds one outline per flow: trigger, connections,",
  "environment variables, the actions and a diagram.",
].join("\n");

/**
 * The review copies of the flows, paths relative to the repository root: each definition as the
 * packer puts it into the zip (the same function makes both), an outline per flow and an index.
 */
export function reviewFiles(flows: FlowArtifact[]): ZipFile[] {
  const owners = new Map<string, string>();
  for (const f of flows) {
    const other = owners.get(outlinePath(f));
    if (other !== undefined) throw new Error(`the flows "${other}" and "${f.displayName.en}" would share the outline ${outlinePath(f)}`);
    owners.set(outlinePath(f), f.displayName.en);
  }
  const flowNames = Object.fromEntries(flows.map((f) => [f.id, f.displayName.en]));
  const outlines = flows.map((f): ZipFile => {
    const definition = workflowFileName(f.displayName.en, f.id);
    const facts: Array<[string, string]> = [
      ["Definition", `[${code(definition)}](../${definition})`],
      ["Workflow id", code(f.id)],
      ["Runs as", RUNS_AS[f.runAs]],
    ];
    return { path: outlinePath(f), content: flowOutline(f.clientData, { title: f.displayName.en, purpose: f.purpose, facts, flowNames }) };
  });
  const index = flowIndex(
    "Cloud flows",
    INTRO,
    flows.map((f) => ({
      title: f.displayName.en,
      clientData: f.clientData,
      purpose: f.purpose,
      outlineHref: outlinePath(f),
      definitionHref: workflowFileName(f.displayName.en, f.id),
    })),
  );
  return [...flowsContribution(flows).files, ...outlines, { path: "README.md", content: index }].map((f) => ({
    path: `${GENERATED_DIR}/${f.path}`,
    content: f.content,
  }));
}

/** Files below `dir` (relative to `root`), as forward-slash paths relative to `root`. */
function filesBelow(root: string, dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((name) => {
    const path = `${dir}/${name}`;
    return statSync(join(root, path)).isDirectory() ? filesBelow(root, path) : [path];
  });
}

const same = (path: string, content: Buffer | string): boolean => existsSync(path) && readFileSync(path).equals(Buffer.from(content));

/**
 * How the files in the repository differ from `files`: missing, different, and (in `owned`
 * folders, which hold nothing but generated files) left over.
 */
export function fileDifferences(root: string, files: ZipFile[], owned: string[]): string[] {
  const wanted = new Set(files.map((f) => f.path));
  return [
    ...files.flatMap((f) => {
      const path = join(root, f.path);
      if (!existsSync(path)) return [`${f.path} is missing`];
      return same(path, f.content) ? [] : [`${f.path} differs`];
    }),
    ...owned.flatMap((dir) =>
      filesBelow(root, dir)
        .filter((p) => !wanted.has(p))
        .map((p) => `${p} is not generated any more`),
    ),
  ];
}

/** Writes `files` where they changed and removes leftovers from the `owned` folders. */
export function writeFiles(root: string, files: ZipFile[], owned: string[]): { written: number; removed: number; unchanged: number } {
  const wanted = new Set(files.map((f) => f.path));
  let written = 0;
  let removed = 0;
  for (const dir of owned) {
    for (const p of filesBelow(root, dir)) {
      if (wanted.has(p)) continue;
      rmSync(join(root, p));
      removed += 1;
    }
  }
  for (const f of files) {
    const path = join(root, f.path);
    if (same(path, f.content)) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
    written += 1;
  }
  return { written, removed, unchanged: files.length - written };
}
