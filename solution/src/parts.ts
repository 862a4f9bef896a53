import type { XNode } from "./xml";
import type { ConnectionReference } from "./model/types";

/** A file the part adds to the zip, at its path inside the zip (forward slashes, no leading slash). */
export interface ZipFile {
  path: string;
  content: Buffer | string;
}

/** A root component in solution.xml. */
export interface RootComponent {
  type: number;
  schemaName?: string;
  id?: string;
  behavior: 0 | 1 | 2;
}

/**
 * What a built part (connector, checklist control, flows) adds to the solution. Each list goes to
 * its own node of customizations.xml, in the order the export uses.
 */
export interface PartContribution {
  files: ZipFile[];
  rootComponents: RootComponent[];
  workflows?: XNode[];
  customControls?: XNode[];
  connectors?: XNode[];
  connectionReferences?: ConnectionReference[];
}

/**
 * A slot of the solution that another part of the repository fills. `load` returns undefined when
 * the part has not been built (yet), and throws a PartError when it is there but broken.
 */
export interface SolutionPart {
  name: string;
  /** Where a maker or developer looks to fix it (folder and build command). */
  source: string;
  /** When true, a missing part fails the build instead of being left out. */
  required: boolean;
  load(repoRoot: string): PartContribution | undefined;
}

export class PartError extends Error {
  constructor(part: string, problem: string) {
    super(`solution part "${part}": ${problem}`);
    this.name = "PartError";
  }
}
