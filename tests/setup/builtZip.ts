/**
 * Where the global setup leaves the solution zip for the suites. Suites run in jest workers
 * (separate processes), so the path travels in the environment the workers inherit.
 */
export const BUILT_ZIP_ENV = "CRC_TEST_BUILT_ZIP";
