import type { StepKey } from "./errors";
import { INSTALL_STEPS, STEPS } from "./errors";

/** Where setup reports: a terminal gets a redrawn progress bar, a log file one line per change. */
export interface ReportTarget {
  write(text: string): void;
  isTTY?: boolean;
}

const BAR_WIDTH = 24;

/**
 * Reports each step in words: "[3/7] import the solution", then one line per thing it did, found
 * in place, or (dry run) would do. `changes` counts what was changed (or would be), so the end of
 * the run can say "nothing to change" when a rerun finds everything in place.
 */
export class Reporter {
  private current = 0;
  private barShown = false;
  private lastPercent = -1;
  changes = 0;

  constructor(
    private readonly out: ReportTarget,
    private readonly dryRun: boolean,
    /** The steps this run takes, in order (all of them unless the run does one job). */
    private readonly steps: readonly StepKey[] = INSTALL_STEPS,
  ) {}

  step(key: StepKey): void {
    this.endBar();
    this.current = this.steps.indexOf(key) + 1;
    this.out.write(`[${this.current}/${this.steps.length}] ${STEPS[key]}\n`);
  }

  /** Something changed (or, in a dry run, would change). */
  changed(text: string): void {
    this.endBar();
    this.changes += 1;
    this.out.write(`  ${this.dryRun ? "would " : ""}${text}\n`);
  }

  /** Something already as the settings want it. */
  unchanged(text: string): void {
    this.endBar();
    this.out.write(`  unchanged: ${text}\n`);
  }

  note(text: string): void {
    this.endBar();
    this.out.write(`  ${text}\n`);
  }

  /** A long operation's progress, 0..100: a bar redrawn in place on a terminal, a line per change elsewhere. */
  progress(label: string, percent: number): void {
    const p = Math.max(0, Math.min(100, Math.round(percent)));
    if (this.out.isTTY) {
      const filled = Math.round((p / 100) * BAR_WIDTH);
      this.out.write(`\r  ${label} [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${String(p).padStart(3)} %`);
      this.barShown = true;
    } else if (p !== this.lastPercent) {
      this.out.write(`  ${label}: ${p} %\n`);
    }
    this.lastPercent = p;
  }

  private endBar(): void {
    if (this.barShown) this.out.write("\n");
    this.barShown = false;
    this.lastPercent = -1;
  }

  finish(): void {
    this.endBar();
    if (this.dryRun)
      this.out.write(this.changes === 0 ? "Dry run: nothing to change.\n" : `Dry run: ${this.changes} change(s) would be made; nothing was changed.\n`);
    else this.out.write(this.changes === 0 ? "Nothing to change: the environment already matches the settings.\n" : `Done: ${this.changes} change(s) made.\n`);
  }
}
