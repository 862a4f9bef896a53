import { existsSync, readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { readConnectorDefinition } from "../../flows/toolkit/connectors/swagger";
import { loadDataverseConnector } from "../../flows/toolkit/facts";
import { deriveAll, SHARED, UPSTREAM_CONNECTOR } from "../../scripts/derive-platform-facts";

/**
 * The committed platform facts are what scripts/derive-platform-facts.ts reads out of the upstream
 * documents in ../shared. Where those are present (our machines) this re-derives and compares;
 * in a fresh clone they are not, and the committed facts stand as they are.
 */
const REPO = resolve(__dirname, "..", "..");
const DERIVE_MS = 30_000; // parsing the XSD set and the 340 kB swagger; generous for a busy 2-core machine

/** Where two texts first part, as "line N: committed … / derived …". */
function firstDifference(committed: string, derived: string): string {
  const a = committed.split("\n");
  const b = derived.split("\n");
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i < 0 ? a.length : i;
  return `line ${at + 1}: committed ${JSON.stringify(a[at] ?? "(end)")} / derived ${JSON.stringify(b[at] ?? "(end)")}`;
}

describe("committed platform facts against the upstream documents", () => {
  if (!existsSync(SHARED)) {
    console.info(`facts: ${SHARED} is not here, so the committed facts are not re-derived (they are used as committed)`);
  }

  // Runs everywhere, so the suite reports (and shows the message above) even when the rest skips.
  test("each committed facts file says it is derived, by what, and from which source", () => {
    for (const f of deriveAll()) {
      const facts = JSON.parse(readFileSync(f.file, "utf8")) as { note?: unknown; source?: unknown };
      expect(facts.note).toEqual(expect.stringContaining("npm run facts:derive"));
      expect(facts.source).toEqual(expect.any(Object));
    }
  });

  for (const f of deriveAll()) {
    const name = relative(REPO, f.file);
    const present = existsSync(f.upstream);
    (present ? test : test.skip)(
      present ? `${name} is what ${relative(REPO, f.upstream)} gives` : `${name} re-derived (skipped: ${f.upstream} is missing)`,
      () => {
        const derived = f.text();
        const committed = readFileSync(f.file, "utf8");
        if (committed !== derived) {
          throw new Error(
            `${name} is not what ${f.upstream} gives (${firstDifference(committed, derived)}): run npm run facts:derive, review the diff and commit it`,
          );
        }
      },
      DERIVE_MS,
    );
  }

  const present = existsSync(UPSTREAM_CONNECTOR);
  (present ? test : test.skip)(
    present
      ? "the Dataverse connector read from the facts equals the one read from its swagger"
      : `the Dataverse connector round trip (skipped: ${UPSTREAM_CONNECTOR} is missing)`,
    () => {
      expect(loadDataverseConnector()).toEqual(readConnectorDefinition(UPSTREAM_CONNECTOR));
    },
    DERIVE_MS,
  );
});
