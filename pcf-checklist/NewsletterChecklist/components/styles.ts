import { getTheme, HighContrastSelector, mergeStyleSets } from "@fluentui/react";

const GREEN = "#107C10";
const RED = "#A4262C";
const NEUTRAL = "#605E5C";

/** The chosen option is filled with its state's colour; in forced colours with the system Highlight. */
function chosen(color: string) {
  return {
    color: "#FFFFFF",
    background: color,
    borderColor: color,
    selectors: {
      [HighContrastSelector]: { background: "Highlight", color: "HighlightText", forcedColorAdjust: "none", border: "2px solid ButtonText" },
    },
  };
}

export const classes = mergeStyleSets({
  // The theme's font, so the rows read like the form's other fields.
  root: { ...getTheme().fonts.medium, display: "flex", flexDirection: "column", gap: 4, width: "100%" },
  // Whether a row wraps depends on the width alone, never on its label's length: the label starts
  // from the same basis in every row (and grows into the room left), and the buttons keep to the
  // right edge by margin, on the label's line or, when the field is too narrow, on their own below.
  row: {
    display: "flex",
    alignItems: "center",
    flexWrap: "wrap",
    gap: 8,
    padding: "2px 0",
  },
  label: {
    flex: "1 1 8em",
    display: "flex",
    flexDirection: "column",
    lineHeight: "20px",
    color: "#323130",
    minWidth: 0,
    overflowWrap: "anywhere",
    selectors: { [HighContrastSelector]: { color: "CanvasText" } },
  },
  // #605E5C on white is 6.2:1, above WCAG AA for small text.
  details: { fontSize: 12, lineHeight: "16px", color: NEUTRAL, selectors: { [HighContrastSelector]: { color: "CanvasText" } } },
  group: { display: "inline-flex", gap: 4, flexShrink: 0, marginLeft: "auto" },
  option: {
    display: "inline-flex",
    alignItems: "center",
    justifyContent: "center",
    minWidth: 32,
    height: 32,
    boxSizing: "border-box",
    borderRadius: 2,
    border: `1px solid #8A8886`,
    background: "#FFFFFF",
    color: NEUTRAL,
    cursor: "default",
    outline: "none",
    selectors: {
      ":focus-visible": { outline: "2px solid #000000", outlineOffset: 1 },
      [HighContrastSelector]: { border: "1px solid ButtonText", color: "ButtonText", background: "ButtonFace" },
    },
  },
  chosen0: chosen(NEUTRAL),
  chosen1: chosen(GREEN),
  chosen2: chosen(RED),
  // Hover feedback only where a click does something, so a read-only option never changes colour.
  editable: { cursor: "pointer", selectors: { ":hover": { background: "#F3F2F1" } } },
  editableChosen: { cursor: "pointer", selectors: { ":hover": { filter: "brightness(0.9)" } } },
  disabled: {
    opacity: 0.6,
    selectors: { [HighContrastSelector]: { color: "GrayText", border: "1px solid GrayText", opacity: 1 } },
  },
  // A type CleverReach declined: a red bar at the row's start, the words say why (colour is never
  // the only cue); in forced colours the bar takes the system's text colour.
  declinedRow: {
    borderLeft: `4px solid ${RED}`,
    paddingLeft: 6,
    selectors: { [HighContrastSelector]: { borderLeft: "4px solid CanvasText" } },
  },
  // #A4262C on white is 6.9:1, above WCAG AA for small text.
  declinedText: { fontSize: 12, lineHeight: "16px", color: RED, fontWeight: 600, selectors: { [HighContrastSelector]: { color: "CanvasText" } } },
  // The server's own words on a line of their own, apart from the control's sentences.
  serverMessage: { display: "block", marginTop: 4 },
  stored: { margin: "4px 0 0" },
  caption: { fontWeight: 600 },
  error: { whiteSpace: "pre-wrap", wordBreak: "break-all", fontFamily: "monospace", fontSize: 12, margin: "4px 0 0" },
});
