import * as React from "react";
import { MessageBar, MessageBarType, Spinner, SpinnerSize } from "@fluentui/react";
import {
  ChecklistError,
  mergeWithTypes,
  parseChecklist,
  parseNewsletterTypes,
  serializeChecklist,
  setRowState,
  visibleRows,
  type ChecklistRow,
  type ChecklistState,
  type NewsletterType,
} from "../../src/checklist";
import { StateRadioGroup } from "./StateRadioGroup";
import { classes } from "./styles";

/** The control's texts, already in the user's language (from the resx files). */
export interface ChecklistStrings {
  stateLabels: readonly [string, string, string];
  loading: string;
  noTypes: string;
  checklistError: string;
  /** "{0}" is replaced by where the configuration came from. */
  configurationError: string;
  storedValue: string;
  /** "{0}" user, "{1}" date and time. */
  changedBy: string;
}

export interface ChecklistControlProps {
  /** The bound column's value as the form holds it. */
  rawValue: string | null;
  /** The last value the form handed in that this control did not write; choosing a row's state in it undoes that row's change. */
  storedValue: string | null;
  /** Changes when the form hands in a value this control did not write: edits made before are void. */
  formRevision: number;
  /** The newsletter types JSON set on this form, when the maker set one. */
  typesOverride: string | null;
  /** Name used in the error when the override is bad. */
  overrideSource: string;
  /** Reads the environment variable's JSON; called once. */
  loadTypes(): Promise<string>;
  userName: string;
  disabled: boolean;
  strings: ChecklistStrings;
  formatDate(iso: string): string;
  /**
   * Called with the new JSON when a row's state changed; with `storedValue` itself, byte for byte
   * (null for an empty column), when every row is back to its stored state.
   */
  onValueChange(json: string | null): void;
  /** Clock, replaceable in tests. */
  now?(): Date;
}

type Read<T> = { status: "ready"; value: T } | { status: "error"; error: ChecklistError };
type Loaded<T> = { status: "loading" } | Read<T>;

function attempt<T>(read: () => T): Read<T> {
  try {
    return { status: "ready", value: read() };
  } catch (e) {
    if (e instanceof ChecklistError) return { status: "error", error: e };
    throw e;
  }
}

function useNewsletterTypes(override: string | null, overrideSource: string, loadTypes: () => Promise<string>): Loaded<NewsletterType[]> {
  const [fromVariable, setFromVariable] = React.useState<Loaded<NewsletterType[]>>({ status: "loading" });
  const wantsVariable = !override?.trim();
  React.useEffect(() => {
    if (!wantsVariable) return;
    let live = true;
    loadTypes().then(
      (json) => live && setFromVariable(attempt(() => parseNewsletterTypes(json))),
      (e: unknown) => {
        if (!live) return;
        if (e instanceof ChecklistError) setFromVariable({ status: "error", error: e });
        else setFromVariable(attempt(() => parseNewsletterTypes("")));
      },
    );
    return () => {
      live = false;
    };
    // loadTypes is created once per control instance; reloading on every render would flood the Web API.
  }, [wantsVariable]);
  const fromOverride = React.useMemo(
    () => (wantsVariable ? undefined : attempt(() => parseNewsletterTypes(override, overrideSource))),
    [wantsVariable, override, overrideSource],
  );
  return fromOverride ?? fromVariable;
}

function fill(template: string, ...values: string[]): string {
  return template.replace(/\{(\d)\}/g, (m, i: string) => values[Number(i)] ?? m);
}

/** The newsletter checklist: one radio group per configured type, or a clear message why not. */
export function ChecklistControl(props: ChecklistControlProps): React.ReactElement {
  const { rawValue, strings } = props;
  const baseId = React.useRef(`clvr-checklist-${Math.random().toString(36).slice(2, 9)}`).current;
  const types = useNewsletterTypes(props.typesOverride, props.overrideSource, props.loadTypes);
  const stored = React.useMemo(() => attempt(() => parseChecklist(rawValue)), [rawValue]);
  const original = React.useMemo(() => attempt(() => parseChecklist(props.storedValue)), [props.storedValue]);
  // The user's edits, shown until the form hands in the value they made; a value the form hands in
  // that this control did not write (a new formRevision) voids them, even if it equals an earlier one.
  const [edited, setEdited] = React.useState<{ revision: number; rows: readonly ChecklistRow[] }>();
  const current = edited?.revision === props.formRevision ? edited.rows : undefined;

  if (stored.status === "error") {
    return (
      <div className={classes.root}>
        <MessageBar messageBarType={MessageBarType.error} isMultiline>
          {strings.checklistError} ({stored.error.detail})
        </MessageBar>
        <pre className={classes.error} aria-label={strings.storedValue}>
          {stored.error.raw}
        </pre>
      </div>
    );
  }
  if (types.status === "loading") return <Spinner size={SpinnerSize.small} label={strings.loading} labelPosition="right" />;
  if (types.status === "error") {
    return (
      <MessageBar messageBarType={MessageBarType.error} isMultiline>
        {fill(strings.configurationError, types.error.source)} {types.error.detail}
      </MessageBar>
    );
  }
  if (types.value.length === 0) return <MessageBar>{strings.noTypes}</MessageBar>;

  const rows = current ?? mergeWithTypes(stored.value, types.value);
  const storedRows = original.status === "ready" ? mergeWithTypes(original.value, types.value) : undefined;
  const change = (id: number, state: ChecklistState): void => {
    const next = setRowState(rows, id, state, props.userName, props.now?.() ?? new Date(), storedRows);
    if (next === rows) return;
    setEdited({ revision: props.formRevision, rows: next });
    const json = serializeChecklist(next);
    // All rows as stored: hand back the stored text itself, so the form sees its own value again.
    props.onValueChange(storedRows && json === serializeChecklist(storedRows) ? props.storedValue : json);
  };

  return (
    <div className={classes.root}>
      {visibleRows(rows, types.value).map((row) => {
        const labelId = `${baseId}-${row.id}`;
        const changed = row.modifiedby || row.modifiedon ? fill(strings.changedBy, row.modifiedby, props.formatDate(row.modifiedon)) : undefined;
        return (
          <div key={row.id} className={classes.row} data-type-id={row.id}>
            <span id={labelId} className={classes.label} title={changed}>
              {row.description}
            </span>
            <StateRadioGroup
              labelledBy={labelId}
              value={row.state}
              stateLabels={strings.stateLabels}
              disabled={props.disabled}
              onChange={(state) => change(row.id, state)}
            />
          </div>
        );
      })}
    </div>
  );
}
