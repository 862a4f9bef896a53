// The checklist rules without React or PCF, so that the flows' builders can reuse them.
export * from "./types";
export * from "./errors";
export * from "./jsonSyntax";
export * from "./checklistJson";
export * from "./newsletterTypes";
export * from "./merge";
export * from "./declines";
