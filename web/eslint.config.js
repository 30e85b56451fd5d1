// SPDX-License-Identifier: AGPL-3.0-or-later
// The web app's house rules: TypeScript's recommended checks, the rules of hooks, no
// import cycles, and the shape of the source tree — a feature (src/features/X) uses only
// lib/, components/ and itself; lib/ and components/ use no feature; pages/ and app/
// compose features.
import { readdirSync } from "node:fs";
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import { importX } from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

const features = readdirSync(new URL("./src/features", import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

const boundaries = [
  ...features.map((f) => ({
    target: `./src/features/${f}`,
    from: "./src/features",
    except: [`./${f}`],
    message: "a feature imports only from lib/, components/ and itself; compose features in pages/",
  })),
  { target: "./src/lib", from: ["./src/features", "./src/pages", "./src/app"], message: "lib/ is below every feature" },
  { target: "./src/components", from: ["./src/features", "./src/pages", "./src/app"], message: "components/ are below every feature" },
];

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "e2e/", "public/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks, "import-x": importX },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      "import-x/no-cycle": "error",
      "import-x/no-restricted-paths": ["error", { zones: boundaries }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
