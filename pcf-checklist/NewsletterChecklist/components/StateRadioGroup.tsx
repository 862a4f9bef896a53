import * as React from "react";
import { css } from "@fluentui/react";
import { CHECKLIST_STATES, type ChecklistState } from "../../src/checklist";
import { StateIcon } from "./stateIcons";
import { classes } from "./styles";

const CHOSEN = [classes.chosen0, classes.chosen1, classes.chosen2] as const;

export interface StateRadioGroupProps {
  /** id of the element that names the group (the row's label). */
  labelledBy: string;
  /**
   * id of the row's "changed by" text. It describes each option rather than the group: screen
   * readers read the description of the focused element, and a group's only on entering it, if at all.
   */
  describedBy?: string;
  value: ChecklistState;
  /** Labels of states 0, 1 and 2, read by screen readers and shown as tooltips. */
  stateLabels: readonly [string, string, string];
  disabled: boolean;
  onChange(state: ChecklistState): void;
}

const NEXT_KEYS = new Set(["ArrowRight", "ArrowDown"]);
const PREVIOUS_KEYS = new Set(["ArrowLeft", "ArrowUp"]);

/**
 * One row's three states as a WAI-ARIA radio group: a single tab stop on the chosen option, arrow
 * keys move and choose (as native radios do), Space/Enter choose the focused option.
 */
export function StateRadioGroup(props: StateRadioGroupProps): React.ReactElement {
  const { value, disabled, onChange } = props;
  const options = React.useRef<Array<HTMLElement | null>>([]);

  const choose = (state: ChecklistState, focus: boolean): void => {
    if (focus) options.current[state]?.focus();
    if (!disabled) onChange(state);
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLElement>, state: ChecklistState): void => {
    const last = CHECKLIST_STATES.length - 1;
    let target: number | undefined;
    if (NEXT_KEYS.has(event.key)) target = state === last ? 0 : state + 1;
    else if (PREVIOUS_KEYS.has(event.key)) target = state === 0 ? last : state - 1;
    else if (event.key === "Home") target = 0;
    else if (event.key === "End") target = last;
    else if (event.key === " " || event.key === "Enter") target = state;
    if (target === undefined) return;
    event.preventDefault();
    // Read-only: arrows still move focus so the options can be read, but nothing is chosen.
    if (disabled) options.current[target]?.focus();
    else choose(target as ChecklistState, true);
  };

  return (
    <div role="radiogroup" aria-labelledby={props.labelledBy} aria-disabled={disabled || undefined} className={classes.group}>
      {CHECKLIST_STATES.map((state) => {
        const checked = state === value;
        return (
          <div
            key={state}
            ref={(el) => {
              options.current[state] = el;
            }}
            role="radio"
            aria-checked={checked}
            aria-label={props.stateLabels[state]}
            aria-describedby={props.describedBy}
            aria-disabled={disabled || undefined}
            title={props.stateLabels[state]}
            tabIndex={checked ? 0 : -1}
            data-state={state}
            className={css(classes.option, checked && CHOSEN[state], disabled ? classes.disabled : checked ? classes.editableChosen : classes.editable)}
            onClick={() => choose(state, false)}
            onKeyDown={(e) => onKeyDown(e, state)}
          >
            <StateIcon state={state} />
          </div>
        );
      })}
    </div>
  );
}
