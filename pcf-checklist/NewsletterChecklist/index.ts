import * as React from "react";
import { NEWSLETTER_TYPES_VARIABLE } from "../src/checklist";
import { ChecklistControl } from "./components/ChecklistControl";
import { TEXT_KEYS, type TextKey, type Texts } from "./components/texts";
import { readEnvironmentVariable, type RecordReader } from "./environmentVariable";
import type { IInputs, IOutputs } from "./generated/ManifestTypes";
import { ManifestDisplayKeys, ManifestPropertyNames } from "./ManifestConstants";

function textsFrom(resources: ComponentFramework.Resources): Texts {
  return Object.fromEntries(TEXT_KEYS.map((key) => [key, resources.getString(key)])) as Record<TextKey, string>;
}

/**
 * Virtual (React) field control for the newsletter checklist column. The platform supplies React
 * and Fluent UI, so the bundle holds only this control's code.
 */
export class NewsletterChecklist implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private notifyOutputChanged!: () => void;
  private loadTypes!: () => Promise<string>;
  /**
   * The column's value as the form holds it, as far as this control knows: what updateView last
   * handed in, or this control's own output once getOutputs gave it away. Undefined before the first view.
   */
  private formValue: string | null | undefined;
  /** The last value the form handed in that this control did not write: what "back to the stored state" means. */
  private storedValue: string | null = null;
  /** Counts the values the form handed in that this control did not write; edits made before one are dropped. */
  private formRevision = 0;
  /** What the next getOutputs hands to the form; `value: undefined` empties the column. Only set by a real change. */
  private pending: IOutputs | undefined;

  public init(context: ComponentFramework.Context<IInputs>, notifyOutputChanged: () => void): void {
    this.notifyOutputChanged = notifyOutputChanged;
    // One read per control instance: the configuration does not change while a form is open.
    let types: Promise<string> | undefined;
    // Typed as always present, but absent in some hosts; readEnvironmentVariable reports that.
    const webAPI = context.webAPI as RecordReader | undefined;
    this.loadTypes = () => (types ??= readEnvironmentVariable(webAPI, NEWSLETTER_TYPES_VARIABLE, ManifestPropertyNames.NewsletterTypes));
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const value = context.parameters[ManifestPropertyNames.Value];
    // Comparing with what the form should hold catches every way an earlier value comes back: an
    // OnChange script's setValue(old) (the form never shows our value), a refresh after discarding
    // changes, this instance bound to another record. Each one makes the form's value the truth.
    if (value.raw !== this.formValue) {
      this.formValue = value.raw;
      this.storedValue = value.raw;
      this.formRevision++;
      this.pending = undefined;
    }
    const disabled = context.mode.isControlDisabled || value.security?.editable === false;
    return React.createElement(ChecklistControl, {
      rawValue: value.raw,
      // Unbound on lists, campaigns and campaign activities (they have no such column): null there.
      declinesValue: context.parameters[ManifestPropertyNames.CleverReachDeclines]?.raw ?? null,
      storedValue: this.storedValue,
      formRevision: this.formRevision,
      typesOverride: context.parameters[ManifestPropertyNames.NewsletterTypes]?.raw ?? null,
      typesProperty: { displayName: context.resources.getString(ManifestDisplayKeys.NewsletterTypes), name: ManifestPropertyNames.NewsletterTypes },
      loadTypes: this.loadTypes,
      userName: context.userSettings.userName,
      disabled,
      texts: textsFrom(context.resources),
      formatDate: (iso) => {
        const date = new Date(iso);
        return Number.isNaN(date.getTime()) ? iso : context.formatting.formatDateLong(date);
      },
      onValueChange: (json) => {
        // Back to what the form holds (e.g. a change undone before the form took it): nothing to
        // hand over, and the form must not turn dirty.
        if (json === this.formValue) {
          this.pending = undefined;
          return;
        }
        this.pending = { value: json ?? undefined };
        this.notifyOutputChanged();
      },
    });
  }

  public getOutputs(): IOutputs {
    const out = this.pending;
    this.pending = undefined;
    if (!out) return {};
    this.formValue = out.value ?? null;
    return out;
  }

  public destroy(): void {
    // Nothing to release: React unmounting is the platform's job for virtual controls.
  }
}
