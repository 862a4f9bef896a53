import * as React from "react";

// Inline SVG for the message bar, like the state icons: Fluent's icon font is not guaranteed to be
// registered on a form, and without it MessageBar's own icon is an empty box or nothing.
const PATHS = {
  // A circle with a cross, as Fluent's ErrorBadge.
  error: "M8 1.5a6.5 6.5 0 1 1 0 13a6.5 6.5 0 0 1 0-13M5.75 5.75l4.5 4.5M10.25 5.75l-4.5 4.5",
  // A circle with an i, as Fluent's Info.
  info: "M8 1.5a6.5 6.5 0 1 1 0 13a6.5 6.5 0 0 1 0-13M8 7v4.5M8 4.75v.5",
} as const;

export function MessageIcon({ kind }: { kind: keyof typeof PATHS }): React.ReactElement {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={PATHS[kind]} fill="none" stroke="currentColor" strokeWidth={1.25} strokeLinecap="round" />
    </svg>
  );
}
