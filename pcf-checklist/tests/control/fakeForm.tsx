import * as React from "react";
import { act, render, screen, within, type RenderResult } from "@testing-library/react";
import { setIconOptions } from "@fluentui/react";
import { NewsletterChecklist } from "../../NewsletterChecklist";
import type { IInputs } from "../../NewsletterChecklist/generated/ManifestTypes";
import { ManifestPropertyNames } from "../../NewsletterChecklist/ManifestConstants";
import { resxStrings } from "../../harness/resx";

export interface FakeFormOptions {
  value: string | null;
  /** The second bound column, CleverReach's declines (contact and lead forms); unbound when left out. */
  declines?: string | null;
  /** What the environment variable holds: definition default and optional current value. */
  defaultValue?: string;
  currentValue?: string;
  /** Makes the Web API reject, with a network failure or the given error response. */
  webApiFails?: boolean | Record<string, unknown>;
  /** A host without a Web API (canvas apps, test harnesses). */
  noWebApi?: boolean;
  override?: string | null;
  disabled?: boolean;
  languageId?: number;
  userName?: string;
  /**
   * The form's OnChange handlers: run after the form took the control's output, they return the
   * value the column ends up with (e.g. a script's setValue(previous)).
   */
  onChange?(value: string | null, previous: string | null): string | null;
  /** The form takes the control's output only when the test calls takeOutputs(), not at once. */
  deferOutputs?: boolean;
}

export interface FakeForm {
  view: RenderResult;
  /** Every getOutputs result, in order. */
  outputs: Array<{ value?: string }>;
  /** How often the control called notifyOutputChanged. */
  notifications(): number;
  /** The bound column's value as the form holds it now. */
  value(): string | null;
  /** Whether the column differs from the value the record was loaded with (as a form's isDirty). */
  dirty(): boolean;
  queries: string[];
  /**
   * Re-renders as the platform does when something on the form changes; a `value` here is a value
   * the form loads (a refresh, another record), so it is also the new saved value.
   */
  refresh(changes?: Partial<FakeFormOptions>): void;
  /** With deferOutputs: the form now calls getOutputs and re-renders, as after notifyOutputChanged. */
  takeOutputs(): Promise<void>;
}

// The form registers the MDL2 icon font; jsdom has none, and the warnings would hide real ones.
setIconOptions({ disableWarnings: true });

/**
 * Hosts the control the way a model-driven form does: init, updateView on changes, getOutputs
 * after notifyOutputChanged, then updateView again with the new bound value.
 */
export async function openForm(options: FakeFormOptions): Promise<FakeForm> {
  let state = { languageId: 1033, userName: "Erika Mustermann", ...options };
  let saved = state.value;
  let notifications = 0;
  const queries: string[] = [];
  const outputs: Array<{ value?: string }> = [];
  const webAPI = {
    retrieveMultipleRecords: async (entity: string, query?: string) => {
      queries.push(`${entity}${query ?? ""}`);
      if (state.webApiFails) throw state.webApiFails === true ? { errorCode: 1, message: "Network is down" } : state.webApiFails;
      if (entity === "environmentvariabledefinition") {
        return {
          entities: state.defaultValue === undefined ? [] : [{ environmentvariabledefinitionid: "d1", defaultvalue: state.defaultValue }],
          nextLink: "",
        };
      }
      return { entities: state.currentValue === undefined ? [] : [{ value: state.currentValue }], nextLink: "" };
    },
  };
  const context = (): ComponentFramework.Context<IInputs> => {
    const strings = resxStrings(state.languageId);
    // Only the members the control reads; the full Context interface has dozens more.
    return {
      parameters: {
        [ManifestPropertyNames.Value]: { raw: state.value, security: { editable: true, readable: true, secured: false } },
        [ManifestPropertyNames.CleverReachDeclines]: { raw: state.declines ?? null },
        [ManifestPropertyNames.NewsletterTypes]: { raw: state.override ?? null },
      },
      mode: { isControlDisabled: state.disabled ?? false },
      userSettings: { userName: state.userName, languageId: state.languageId },
      resources: { getString: (key: string) => strings.get(key) ?? key },
      formatting: { formatDateLong: (d: Date) => d.toISOString().slice(0, 10) },
      webAPI: state.noWebApi ? undefined : webAPI,
    } as unknown as ComponentFramework.Context<IInputs>;
  };

  const control = new NewsletterChecklist();
  let view: RenderResult | undefined;
  const rerender = (): void => {
    const element = control.updateView(context());
    if (view) view.rerender(element);
    else view = render(element);
  };
  const take = (): void => {
    const out = control.getOutputs();
    outputs.push(out);
    // A key with undefined empties the column; a missing key leaves it as it is.
    if ("value" in out) {
      const previous = state.value;
      const taken = out.value ?? null;
      state = { ...state, value: state.onChange ? state.onChange(taken, previous) : taken };
    }
  };
  control.init(context(), () => {
    notifications++;
    if (state.deferOutputs) return;
    take();
    // The platform calls updateView after it took the output; not synchronously inside the handler.
    queueMicrotask(rerender);
  });
  await act(async () => {
    rerender();
    await new Promise((r) => setTimeout(r, 0));
  });
  return {
    view: view as RenderResult,
    outputs,
    notifications: () => notifications,
    value: () => state.value,
    dirty: () => state.value !== saved,
    queries,
    refresh(changes = {}) {
      state = { ...state, ...changes };
      if ("value" in changes) saved = state.value;
      act(() => rerender());
    },
    async takeOutputs() {
      await act(async () => {
        take();
        rerender();
        await new Promise((r) => setTimeout(r, 0));
      });
    },
  };
}

/** The radio group of the row labelled `row`. */
export function rowGroup(row: string): HTMLElement {
  return screen.getByRole("radiogroup", { name: row });
}

/** The option named `state` (its label in the form's language) in the row labelled `row`. */
export function option(row: string, state: string): HTMLElement {
  return within(rowGroup(row)).getByRole("radio", { name: state });
}

export function checkedLabel(group: HTMLElement): string | null {
  return (
    within(group)
      .getAllByRole("radio")
      .find((r) => r.getAttribute("aria-checked") === "true")
      ?.getAttribute("aria-label") ?? null
  );
}

/** Lets the platform's deferred updateView and React's effects run. */
export async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
}

export { React };
