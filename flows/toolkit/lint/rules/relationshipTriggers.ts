import { dataverseOperation, type Rule } from "./types";

/**
 * row-trigger-relationship: "The When a row is added, modified or deleted trigger doesn't support
 * triggering flows on relationships of type 1:N or N:N" (MicrosoftDocs/power-automate-docs
 * articles/dataverse/create-update-delete-trigger.md); a row trigger on the intersect table
 * teammembership "will never be fired" (stuffandtacos.azurewebsites.net, 2020-06-09).
 */
export const relationshipTriggers: Rule = (flow, report, ctx) => {
  for (const { name, trigger } of flow.triggers) {
    if (dataverseOperation(trigger, flow.connectionReferences) !== "SubscribeWebhookTrigger") continue;
    const table = (trigger.inputs as { parameters?: Record<string, unknown> } | undefined)?.parameters?.["subscriptionRequest/entityname"];
    if (typeof table === "string" && ctx.relationshipTables.has(table)) {
      report(
        "row-trigger-relationship",
        `trigger ${name}`,
        `"${table}" carries an N:N relationship; the row trigger doesn't support triggering flows on relationships of type 1:N or N:N`,
      );
    }
  }
};
