import * as React from "react";
import type { ChecklistState } from "../../src/checklist";

// Inline SVG rather than Fluent's icon font: the font is not guaranteed to be registered on a form,
// and currentColor keeps the glyphs visible in high-contrast themes.
const PATHS: Record<ChecklistState, string> = {
  0: "M4 8h8",
  1: "M3 8.5l3.2 3.2L13 4.8",
  2: "M4 4l8 8M12 4l-8 8",
};

export function StateIcon({ state }: { state: ChecklistState }): React.ReactElement {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={PATHS[state]} fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
