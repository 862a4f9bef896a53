// pcf-scripts runs ESLint during its build and stops when there is no config.
import tseslint from "typescript-eslint";

export default tseslint.config({ ignores: ["generated/", "out/", "node_modules/", "tests/", "jest.config.js"] }, ...tseslint.configs.recommended);
