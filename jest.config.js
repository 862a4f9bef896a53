/** Tests run TypeScript through SWC (fast, no type check); `npm test` type-checks with tsc first. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.tsx?$": ["@swc/jest"] },
  // The solution zip is built once here instead of once per suite that reads it.
  globalSetup: "<rootDir>/tests/setup/globalSetup.ts",
  globalTeardown: "<rootDir>/tests/setup/globalTeardown.ts",
};
