import type { Rule } from "./types";

const LOOPS = new Set(["Foreach", "Until"]);

/**
 * terminate-in-loop, response-in-loop: Terminate "can't appear inside Foreach and Until loops,
 * including sequential loops", and Response can be used "anywhere except inside Foreach loops,
 * Until loops, including sequential loops" (logic-apps-workflow-actions-triggers.md, "Terminate
 * action" and "Response action"). Saving such a flow fails with InvalidWorkflowRunAction (third-party
 * notes on editing flow definitions; geekfujiwara.com/tech/powerplatform/7006).
 */
export const loopPlacement: Rule = (flow, report) => {
  for (const a of flow.actions) {
    const loop = [...a.containers].reverse().find((c) => LOOPS.has(c.action.type));
    if (!loop) continue;
    const kind = loop.action.type === "Foreach" ? "Apply to each" : "Do until";
    if (a.action.type === "Terminate") report("terminate-in-loop", a.path, `Terminate can't appear inside a loop; it is inside the ${kind} "${loop.name}"`);
    if (a.action.type === "Response") report("response-in-loop", a.path, `Response can't appear inside a loop; it is inside the ${kind} "${loop.name}"`);
  }
};
