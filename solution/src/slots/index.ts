import type { SolutionModel } from "../model/types";
import type { SolutionPart } from "../parts";
import { checklistControlPart } from "./checklistControl";
import { connectorPart } from "./connector";
import { flowsPart } from "./flows";

/** The parts other folders of the repository build, in the order the zip lists their files. */
export function solutionParts(model: SolutionModel): SolutionPart[] {
  return [flowsPart(), connectorPart(model), checklistControlPart(model)];
}
