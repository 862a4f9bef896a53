/**
 * Pure logic and browser tests run in node; component tests opt into jsdom with a docblock.
 * SWC transpiles only; `npm test` type-checks with tsc first.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts", "**/*.test.tsx"],
  transform: {
    "^.+\\.tsx?$": ["@swc/jest", { jsc: { parser: { syntax: "typescript", tsx: true }, transform: { react: { runtime: "classic" } } } }],
  },
};
