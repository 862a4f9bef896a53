import * as React from "react";
import { MessageBar, MessageBarType, Spinner, SpinnerSize } from "@fluentui/react";
import {
  CHECKLIST_STATE,
  ChecklistError,
  mergeWithTypes,
  NEWSLETTER_TYPES_VARIABLE,
  parseChecklist,
  parseNewsletterTypes,
  readDeclines,
  serializeChecklist,
  setRowState,
  visibleRows,
  type ChecklistRow,
  type ChecklistState,
  type CleverReachDecline,
  type NewsletterType,
} from "../../src/checklist";
import { MessageIcon } from "./messageIcons";
import { StateRadioGroup } from "./StateRadioGroup";
import { classes } from "./styles";
import { configurationMessage, fill, problemText, type PropertyName, type Texts } from "./texts";

export interface ChecklistControlProps {
  /** The bound column's value as the form holds it. */
  rawValue: string | null;
  /**
   * CleverReach's declines of this person (the second bound column, written only by the flows):
   * shown, never written. Null where the form binds no such column.
   */
  declinesValue?: string | null;
  /** The last value the form handed in that this control did not write; choosing a row's state in it undoes that row's change. */
  storedValue: string | null;
  /** Changes when the form hands in a value this control did not write: edits made before are void. */
  formRevision: number;
  /** The newsletter types JSON set on this form, when the maker set one. */
  typesOverride: string | null;
  /** The form property that holds typesOverride, named in messages. */
  typesProperty: PropertyName;
  /** Reads the environment variable's JSON; called once. */
  loadTypes(): Promise<string>;
  userName: string;
  disabled: boolean;
  texts: Texts;
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

/** The newsletter types, and whether they came from the form property rather than the environment variable. */
function useNewsletterTypes(
  override: string | null,
  propertyName: string,
  loadTypes: () => Promise<string>,
): { types: Loaded<NewsletterType[]>; fromProperty: boolean } {
  const [fromVariable, setFromVariable] = React.useState<Loaded<NewsletterType[]>>({ status: "loading" });
  const wantsVariable = !override?.trim();
  React.useEffect(() => {
    if (!wantsVariable) return;
    let live = true;
    loadTypes().then(
      (json) => live && setFromVariable(attempt(() => parseNewsletterTypes(json))),
      (e: unknown) => {
        if (!live) return;
        // readEnvironmentVariable rejects with a ChecklistError; anything else is still a failed read.
        const failed = { reason: "readFailed", serverMessage: String(e) } as const;
        setFromVariable({
          status: "error",
          error: e instanceof ChecklistError ? e : new ChecklistError("configuration", NEWSLETTER_TYPES_VARIABLE, failed, ""),
        });
      },
    );
    return () => {
      live = false;
    };
    // loadTypes is created once per control instance; reloading on every render would flood the Web API.
  }, [wantsVariable]);
  const fromOverride = React.useMemo(
    () => (wantsVariable ? undefined : attempt(() => parseNewsletterTypes(override, propertyName))),
    [wantsVariable, override, propertyName],
  );
  return { types: fromOverride ?? fromVariable, fromProperty: !wantsVariable };
}

/** Fluent's MessageBar with an inline SVG icon instead of its icon-font glyph. */
function Message({ error = false, children }: { error?: boolean; children: React.ReactNode }): React.ReactElement {
  return (
    <MessageBar
      messageBarType={error ? MessageBarType.error : MessageBarType.info}
      messageBarIconProps={{ children: <MessageIcon kind={error ? "error" : "info"} /> }}
      isMultiline
    >
      {children}
    </MessageBar>
  );
}

/** "Changed by … on …", or as much of it as the row has; undefined for a row nobody changed. */
function changedText(t: Texts, row: ChecklistRow, formatDate: (iso: string) => string): string | undefined {
  if (row.modifiedby && row.modifiedon) return fill(t.ChangedBy, row.modifiedby, formatDate(row.modifiedon));
  if (row.modifiedby) return fill(t.ChangedByUser, row.modifiedby);
  if (row.modifiedon) return fill(t.ChangedOn, formatDate(row.modifiedon));
  return undefined;
}

/** "Unsubscribed in CleverReach on …" for the earliest decline of a type. */
function declinedText(t: Texts, d: CleverReachDecline, formatDate: (iso: string) => string): string {
  const key = d.state === "bounced" ? t.Declined_bounced : d.state === "blacklisted" ? t.Declined_blacklisted : t.Declined_unsubscribed;
  return fill(key, d.on ? formatDate(d.on) : "?");
}

/** The newsletter checklist: one radio group per configured type, or a clear message why not. */
export function ChecklistControl(props: ChecklistControlProps): React.ReactElement {
  const { rawValue, texts } = props;
  const baseId = React.useRef(`clvr-checklist-${Math.random().toString(36).slice(2, 9)}`).current;
  const { types, fromProperty } = useNewsletterTypes(props.typesOverride, props.typesProperty.name, props.loadTypes);
  const stored = React.useMemo(() => attempt(() => parseChecklist(rawValue)), [rawValue]);
  // Per type, its first decline from CleverReach; undefined when the column cannot be read.
  const declines = React.useMemo(() => {
    const r = readDeclines(props.declinesValue);
    if ("problem" in r) return undefined;
    const first = new Map<number, CleverReachDecline>();
    for (const d of [...r.declines].sort((a, b) => a.on.localeCompare(b.on))) if (!first.has(d.id)) first.set(d.id, d);
    return first;
  }, [props.declinesValue]);
  const original = React.useMemo(() => attempt(() => parseChecklist(props.storedValue)), [props.storedValue]);
  // The user's edits, shown until the form hands in the value they made; a value the form hands in
  // that this control did not write (a new formRevision) voids them, even if it equals an earlier one.
  const [edited, setEdited] = React.useState<{ revision: number; rows: readonly ChecklistRow[] }>();
  const current = edited?.revision === props.formRevision ? edited.rows : undefined;

  if (stored.status === "error") {
    return (
      <div className={classes.root}>
        <Message error>
          {texts.Error_Checklist} {problemText(texts, stored.error.problem)}
        </Message>
        {/* Named by its visible caption (aria-label on a bare <pre> is not reliably read out); the
            explicit aria-labelledby for tools and screen readers that do not take a figcaption as the name. */}
        <figure className={classes.stored} aria-labelledby={`${baseId}-stored`}>
          <figcaption id={`${baseId}-stored`} className={classes.caption}>
            {texts.Error_StoredValue}
          </figcaption>
          <pre className={classes.error}>{stored.error.raw}</pre>
        </figure>
      </div>
    );
  }
  if (types.status === "loading") return <Spinner size={SpinnerSize.small} label={texts.Loading} labelPosition="right" />;
  if (types.status === "error") {
    const message = configurationMessage(texts, types.error, props.typesProperty, fromProperty);
    return (
      <Message error>
        {message.text}
        {message.serverMessage && <span className={classes.serverMessage}>{message.serverMessage}</span>}
      </Message>
    );
  }
  if (types.value.length === 0) return <Message>{texts.NoTypes}</Message>;

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
      {declines === undefined && <Message error>{texts.Error_Declines}</Message>}
      {visibleRows(rows, types.value).map((row) => {
        const labelId = `${baseId}-${row.id}`;
        const detailsId = `${labelId}-changed`;
        const declinedId = `${labelId}-declined`;
        const changed = changedText(texts, row, props.formatDate);
        const decline = declines?.get(row.id);
        // A type CleverReach declined shows red whatever the user chose, and cannot be chosen
        // otherwise here: the user's choice would not make the person eligible again (the flows
        // read the declines too). What the user stored is kept as it is.
        const describedBy = [decline ? declinedId : undefined, changed ? detailsId : undefined].filter(Boolean).join(" ") || undefined;
        return (
          <div
            key={row.id}
            className={decline ? `${classes.row} ${classes.declinedRow}` : classes.row}
            data-type-id={row.id}
            data-declined={decline ? "cleverreach" : undefined}
          >
            {/* Who and when on screen, not in a tooltip: touch, keyboard and screen readers reach it too. */}
            <div className={classes.label}>
              <span id={labelId}>{row.description}</span>
              {decline && (
                <span id={declinedId} className={classes.declinedText}>
                  {declinedText(texts, decline, props.formatDate)}. {texts.Declined_Note}
                </span>
              )}
              {changed && (
                <span id={detailsId} className={classes.details}>
                  {changed}
                </span>
              )}
            </div>
            <StateRadioGroup
              labelledBy={labelId}
              describedBy={describedBy}
              value={decline ? CHECKLIST_STATE.declined : row.state}
              stateLabels={[texts.State_None, texts.State_Accepted, texts.State_Declined]}
              disabled={props.disabled || decline !== undefined}
              onChange={(state) => change(row.id, state)}
            />
          </div>
        );
      })}
    </div>
  );
}
