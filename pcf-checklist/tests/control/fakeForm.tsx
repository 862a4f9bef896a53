import * as React from "react";
import { act, render, type RenderResult } from "@testing-library/react";
import { setIconOptions } from "@fluentui/react";
import { NewsletterChecklist } from "../../NewsletterChecklist";
import type { IInputs } from "../../NewsletterChecklist/generated/ManifestTypes";
import { ManifestPropertyNames } from "../../NewsletterChecklist/ManifestConstants";
import { resxStrings } from "../../harness/resx";

export interface FakeFormOptions {
  value: string | null;
  /** What the environment variable holds: definition default and optional current value. */
  defaultValue?: string;
  currentValue?: string;
  /** Makes the Web API reject. */
  webApiFails?: boolean;
  /** A host without a Web API (canvas apps, test harnesses). */
  noWebApi?: boolean;
  override?: string | null;
  disabled?: boolean;
  languageId?: number;
  userName?: string;
}

export interface FakeForm {
  view: RenderResult;
  /** Every getOutputs result, in order. */
  outputs: Array<{ value?: string }>;
  /** The bound column's value as the form holds it now. */
  value(): string | null;
  queries: string[];
  /** Re-renders as the platform does when something on the form changes. */
  refresh(changes?: Partial<FakeFormOptions>): void;
}

// The form registers the MDL2 icon font; jsdom has none, and the warnings would hide real ones.
setIconOptions({ disableWarnings: true });

/**
 * Hosts the control the way a model-driven form does: init, updateView on changes, getOutputs
 * after notifyOutputChanged, then updateView again with the new bound value.
 */
export async function openForm(options: FakeFormOptions): Promise<FakeForm> {
  let state = { languageId: 1033, userName: "Erika Mustermann", ...options };
  const queries: string[] = [];
  const outputs: Array<{ value?: string }> = [];
  const webAPI = {
    retrieveMultipleRecords: async (entity: string, query?: string) => {
      queries.push(`${entity}${query ?? ""}`);
      if (state.webApiFails) throw { errorCode: 1, message: "Network is down" };
      if (entity === "environmentvariabledefinition") {
        return { entities: state.defaultValue === undefined ? [] : [{ environmentvariabledefinitionid: "d1", defaultvalue: state.defaultValue }], nextLink: "" };
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
  control.init(
    context(),
    () => {
      const out = control.getOutputs();
      outputs.push(out);
      if (out.value !== undefined) state = { ...state, value: out.value };
      // The platform calls updateView after it took the output; not synchronously inside the handler.
      queueMicrotask(rerender);
    },
  );
  await act(async () => {
    rerender();
    await new Promise((r) => setTimeout(r, 0));
  });
  return {
    view: view as RenderResult,
    outputs,
    value: () => state.value,
    queries,
    refresh(changes = {}) {
      state = { ...state, ...changes };
      act(() => rerender());
    },
  };
}

export { React };
