/**
 * Pure logic and browser tests run in node; component tests opt into jsdom with a docblock.
 * SWC transpiles only; `npm test` type-checks with tsc first.
 */
const { dirname } = require("node:path");

// @fluentui/react 8.29 (the platform's version) deep-imports lib-commonjs files that newer
// @fluentui helper packages no longer export; resolving them by path sidesteps the exports map.
const fluentDir = dirname(dirname(require.resolve("@fluentui/react/package.json")));

module.exports = {
  moduleNameMapper: { "^@fluentui/([^/]+)/lib-commonjs/(.*)$": `${fluentDir}/$1/lib-commonjs/$2` },
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts", "**/*.test.tsx"],
  transform: {
    "^.+\\.tsx?$": ["@swc/jest", { jsc: { parser: { syntax: "typescript", tsx: true }, transform: { react: { runtime: "classic" } } } }],
  },
};
