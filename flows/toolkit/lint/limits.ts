/** Power Automate limits per flow definition (limits-and-config, flow-format.md §10). */
export const LIMITS = {
  actions: 500,
  nestingDepth: 8,
  nameLength: 80,
  expressionLength: 8192,
  foreachConcurrency: { min: 1, max: 50 },
  listPageSize: 5000,
  paginationItems: 100000,
  switchCases: 25,
  variables: 250,
  untilCount: 5000,
} as const;
