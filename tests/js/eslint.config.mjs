// ESLint for the front end: the browser ES modules in static/js (served as written, no
// build step), the node unit tests beside this file and the stock CometD client script.
// Paths are relative to the repository's top: ESLint takes an explicit --config's base
// path from the working directory. Run it as `make jstest`, or `npm run lint` here.
import js from "@eslint/js";
import globals from "globals";
import { defineConfig } from "eslint/config";

export default defineConfig([
  {
    files: ["static/js/**/*.js"],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser, Plotly: "readonly" },
    },
    rules: {
      "no-unused-vars": ["error", { args: "after-used" }],
      eqeqeq: ["error", "smart"],
      "prefer-const": "error",
      "no-var": "error",
      "no-implicit-globals": "error",
    },
  },
  {
    files: ["tests/js/**/*.mjs"],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.node },
    },
    rules: { "prefer-const": "error", "no-var": "error" },
  },
]);
