import { createHash } from "node:crypto";
import { type WdlAction, type WdlDefinition, type WdlTrigger } from "../wdl";

/**
 * The designer writes `metadata.operationMetadataId`, a GUID, on every trigger and action it saves
 * (microsoft/powercat-business-approvals-kit and the other real exports: 131 of 142 triggers, 1,594
 * of 1,788 actions). A random GUID per build would make every build differ, so the id is a
 * name-based GUID (RFC 4122 version 5, SHA-1) of the flow's id and the operation's name: the same
 * on every build, different for every operation of every flow.
 */
export function operationMetadataId(flowId: string, operation: string): string {
  const hash = createHash("sha1").update(`${flowId}/${operation}`).digest();
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function stampActions(list: Record<string, WdlAction>, flowId: string): Record<string, WdlAction> {
  const out: Record<string, WdlAction> = {};
  for (const [name, action] of Object.entries(list)) {
    const stamped: WdlAction = { ...action, metadata: { ...action.metadata, operationMetadataId: operationMetadataId(flowId, name) } };
    if (action.actions) stamped.actions = stampActions(action.actions, flowId);
    if (action.else) stamped.else = { actions: stampActions(action.else.actions, flowId) };
    if (action.cases) {
      stamped.cases = {};
      for (const [c, v] of Object.entries(action.cases)) stamped.cases[c] = { ...v, actions: stampActions(v.actions, flowId) };
    }
    if (action.default) stamped.default = { actions: stampActions(action.default.actions, flowId) };
    out[name] = stamped;
  }
  return out;
}

/** The definition with `metadata.operationMetadataId` on its trigger and every action, inner ones included. */
export function withOperationMetadata(definition: WdlDefinition, flowId: string): WdlDefinition {
  const triggers: Record<string, WdlTrigger> = {};
  for (const [name, t] of Object.entries(definition.triggers))
    triggers[name] = { ...t, metadata: { ...t.metadata, operationMetadataId: operationMetadataId(flowId, name) } };
  return { ...definition, triggers, actions: stampActions(definition.actions, flowId) };
}
