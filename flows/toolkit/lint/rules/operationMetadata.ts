import type { Rule } from "./types";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * operation-metadata-id: the designer writes `metadata.operationMetadataId`, a GUID, on every
 * trigger and action it saves (real exports: 131 of 142 triggers, 1,594 of 1,788 actions in
 * microsoft/powercat-business-approvals-kit, microsoft/powercat-automation-kit and
 * pnp/powerplatform-samples; hmcts/pre-rec-evidence Send2FASMS-….json on its trigger too), one per
 * operation.
 */
export const operationMetadataIds: Rule = (flow, report) => {
  const seen = new Map<string, string>();
  const check = (where: string, id: unknown): void => {
    if (typeof id !== "string" || !GUID.test(id)) {
      report("operation-metadata-id", where, "has no metadata.operationMetadataId (a lower-case GUID), which the designer writes on every trigger and action");
      return;
    }
    const other = seen.get(id);
    if (other) report("operation-metadata-id", where, `has the operationMetadataId of ${other}`);
    seen.set(id, where);
  };
  for (const t of flow.triggers) check(`trigger ${t.name}`, t.trigger.metadata?.operationMetadataId);
  for (const a of flow.actions) check(a.path, a.action.metadata?.operationMetadataId);
};
