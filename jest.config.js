const { availableParallelism } = require("node:os");

/** Tests run TypeScript through SWC (fast, no type check); `npm test` type-checks with tsc first. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.tsx?$": ["@swc/jest"] },
  // Ten times what the tests below a second take on a 2-core machine: with three CPU hogs running,
  // simulator tests of 0.2–0.5 s took up to 2.7 s, too close to jest's 5 s. Tests over a second
  // carry their own budget of about ten times their time; a hung test still fails.
  testTimeout: 10_000,
  // Jest's default (cores - 1) is one worker on a 2-core machine, and one worker means all suites run
  // in jest's own process on one core. Two workers use both; the parent process only reports.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // The solution zip is built once here instead of once per suite that reads it.
  globalSetup: "<rootDir>/tests/setup/globalSetup.ts",
  globalTeardown: "<rootDir>/tests/setup/globalTeardown.ts",
};
