// The root's TypeScript (solution, flows, connector, scripts, tests); pcf-checklist has its own config
// because pcf-scripts runs ESLint on the control during its build.
import tseslint from "typescript-eslint";

export default tseslint.config({ ignores: ["pcf-checklist/", "dist/", "node_modules/", "**/*.js", "**/*.mjs"] }, ...tseslint.configs.recommended, {
  // A leading underscore marks a value taken apart on purpose and left unused (rest destructuring).
  rules: { "@typescript-eslint/no-unused-vars": ["error", { varsIgnorePattern: "^_", argsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }] },
});
