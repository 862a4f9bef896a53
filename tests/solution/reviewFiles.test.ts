import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSZip from "jszip";
import { buildFlows } from "../../flows/index";
import { mermaidProblems } from "../../flows/toolkit/outline/mermaid";
import { committedFiles, GENERATED_FOLDERS } from "../../scripts/build";
import { product } from "../../solution/src/model/product";
import { loadParts } from "../../solution/src/pack";
import { fileDifferences, GENERATED_DIR, writeFiles } from "../../solution/src/review";
import { solutionParts } from "../../solution/src/slots";
import { builtZip, REPO_ROOT } from "./helpers";

/** Building the zip and all flows takes a few seconds on a busy machine. */
const BUILD_TIMEOUT = 60_000;

const committed = (path: string): Buffer => readFileSync(join(REPO_ROOT, GENERATED_DIR, path));
const committedNames = (folder: string): string[] => readdirSync(join(REPO_ROOT, GENERATED_DIR, folder)).sort();

describe("flows/generated: the flows as the zip carries them, for review without importing", () => {
  test(
    "the committed files are exactly what the builders produce now",
    () => {
      const differences = fileDifferences(REPO_ROOT, committedFiles(loadParts(solutionParts(product), REPO_ROOT)), GENERATED_FOLDERS);
      if (differences.length > 0) throw new Error(`${differences.join("\n")}\nrun npm run build and commit flows/generated`);
    },
    BUILD_TIMEOUT,
  );

  test(
    "each committed Workflows/*.json is the zip's entry byte for byte, one per flow",
    async () => {
      const zip = await JSZip.loadAsync(await builtZip());
      const entries = Object.keys(zip.files).filter((n) => n.startsWith("Workflows/"));
      expect(entries).toHaveLength(buildFlows().length);
      expect(committedNames("Workflows").map((n) => `Workflows/${n}`)).toEqual([...entries].sort());
      for (const name of entries) {
        const inZip = await zip.file(name)?.async("nodebuffer");
        expect({ name, same: inZip !== undefined && inZip.equals(committed(name)) }).toEqual({ name, same: true });
      }
    },
    BUILD_TIMEOUT,
  );

  test("every outline has one diagram, and every diagram passes the structural check", () => {
    const outlines = committedNames("outlines");
    expect(outlines).toHaveLength(buildFlows().length);
    for (const name of outlines) {
      const diagrams = [
        ...committed(`outlines/${name}`)
          .toString("utf8")
          .matchAll(/```mermaid\n([\s\S]*?)\n```/g),
      ].map((m) => m[1] ?? "");
      expect({ name, diagrams: diagrams.length, problems: diagrams.flatMap(mermaidProblems) }).toEqual({ name, diagrams: 1, problems: [] });
    }
  });

  test("every flow says in one line what it is for (the index's purpose column)", () => {
    expect(
      buildFlows()
        .filter((f) => !f.purpose?.trim())
        .map((f) => f.displayName.en),
    ).toEqual([]);
  });

  test("the index names every flow and its links lead to files that exist", () => {
    const index = committed("README.md").toString("utf8");
    for (const f of buildFlows()) expect(index).toContain(`| ${f.displayName.en} |`);
    const links = [...index.matchAll(/\]\(([^)]+)\)/g)].map((m) => decodeURI(m[1] ?? ""));
    expect(links).toHaveLength(2 * buildFlows().length);
    expect(links.filter((l) => !existsSync(join(REPO_ROOT, GENERATED_DIR, l)))).toEqual([]);
  });
});

describe("writing and checking generated files", () => {
  const files = [
    { path: "gen/a.md", content: "A\n" },
    { path: "gen/sub/b.json", content: "{}\r\n" },
    { path: "other/c.json", content: "C" },
  ];

  test("a fresh write leaves nothing to report; a change, a loss and a leftover are each reported", () => {
    const root = mkdtempSync(join(tmpdir(), "crc-generated-"));
    expect(fileDifferences(root, files, ["gen"])).toEqual(["gen/a.md is missing", "gen/sub/b.json is missing", "other/c.json is missing"]);
    expect(writeFiles(root, files, ["gen"])).toEqual({ written: 3, removed: 0, unchanged: 0 });
    expect(fileDifferences(root, files, ["gen"])).toEqual([]);

    writeFileSync(join(root, "gen/sub/b.json"), "{}\n");
    writeFileSync(join(root, "gen/old.md"), "gone flow");
    expect(fileDifferences(root, files, ["gen"])).toEqual(["gen/sub/b.json differs", "gen/old.md is not generated any more"]);

    expect(writeFiles(root, files, ["gen"])).toEqual({ written: 1, removed: 1, unchanged: 2 });
    expect(fileDifferences(root, files, ["gen"])).toEqual([]);
    expect(existsSync(join(root, "gen/old.md"))).toBe(false);
  });
});
