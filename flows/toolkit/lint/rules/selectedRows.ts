import { SELECTED_ROWS_SPLIT_ON } from "../../builder/dataverse";
import { dataverseOperation, type Rule } from "./types";

/**
 * split-on-selected-rows: "The When a row is selected trigger can only be used with Split on
 * enabled … each selected row results in an individual flow run"
 * (MicrosoftDocs/power-automate-docs articles/dataverse/row-selected.md, Limitations).
 */
export const selectedRowsSplit: Rule = (flow, report) => {
  for (const { name, trigger } of flow.triggers) {
    if (dataverseOperation(trigger, flow.connectionReferences) !== "RecordSelected") continue;
    if (trigger.splitOn !== SELECTED_ROWS_SPLIT_ON) {
      report(
        "split-on-selected-rows",
        `trigger ${name}`,
        `"When a row is selected" can only be used with Split on enabled (splitOn ${SELECTED_ROWS_SPLIT_ON})`,
      );
    }
  }
};
