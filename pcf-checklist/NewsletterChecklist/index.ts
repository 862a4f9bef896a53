import * as React from "react";
import { NEWSLETTER_TYPES_VARIABLE } from "../src/checklist";
import { ChecklistControl, type ChecklistStrings } from "./components/ChecklistControl";
import { readEnvironmentVariable, type RecordReader } from "./environmentVariable";
import type { IInputs, IOutputs } from "./generated/ManifestTypes";
import { ManifestDisplayKeys, ManifestPropertyNames } from "./ManifestConstants";

function stringsFrom(resources: ComponentFramework.Resources): ChecklistStrings {
  const s = (key: string): string => resources.getString(key);
  return {
    stateLabels: [s("State_None"), s("State_Accepted"), s("State_Declined")],
    loading: s("Loading"),
    noTypes: s("NoTypes"),
    checklistError: s("Error_Checklist"),
    configurationError: s("Error_Configuration"),
    storedValue: s("Error_StoredValue"),
    changedBy: s("ChangedBy"),
  };
}

/**
 * Virtual (React) field control for the newsletter checklist column. The platform supplies React
 * and Fluent UI, so the bundle holds only this control's code.
 */
export class NewsletterChecklist implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private notifyOutputChanged!: () => void;
  private loadTypes!: () => Promise<string>;
  /** The JSON to hand to the form on the next getOutputs; only set by a real change. */
  private pendingValue: string | undefined;

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
    const disabled = context.mode.isControlDisabled || value.security?.editable === false;
    return React.createElement(ChecklistControl, {
      rawValue: value.raw,
      typesOverride: context.parameters[ManifestPropertyNames.NewsletterTypes]?.raw ?? null,
      overrideSource: `${context.resources.getString(ManifestDisplayKeys.NewsletterTypes)} (${ManifestPropertyNames.NewsletterTypes})`,
      loadTypes: this.loadTypes,
      userName: context.userSettings.userName,
      disabled,
      strings: stringsFrom(context.resources),
      formatDate: (iso) => {
        const date = new Date(iso);
        return Number.isNaN(date.getTime()) ? iso : context.formatting.formatDateLong(date);
      },
      onValueChange: (json) => {
        this.pendingValue = json;
        this.notifyOutputChanged();
      },
    });
  }

  public getOutputs(): IOutputs {
    const value = this.pendingValue;
    this.pendingValue = undefined;
    return value === undefined ? {} : { value };
  }

  public destroy(): void {
    // Nothing to release: React unmounting is the platform's job for virtual controls.
  }
}
