// Lint rules for every TypeScript file in the tree; formatting is prettier's job (`npm run lint`).
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [".tools/**", "node_modules/**", "**/node_modules/**", ".pulumi-state/**", "dist/**", "sdks/**"],
  },
  eslint.configs.recommended,
  tseslint.configs.strict,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    // The policy pack's folder: the one CommonJS line the engine loads, which requires dist/policy.
    files: ["policy-pack/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
