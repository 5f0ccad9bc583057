// `npm run lint` (CI runs it before the tests): typescript-eslint with type information, the rules
// for listeners below, then dependency-cruiser for the layers (.dependency-cruiser.js).
// Prettier formats; this config has no formatting rules apart from max-len, which Prettier does
// not enforce on comments and strings.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  globalIgnores(["dist/", "coverage/", "data/", "src/generated/", "test/fixtures/", "bench/profiles/"]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: {
      // An eslint-disable comment must name a rule that would fire there, or it goes.
      reportUnusedDisableDirectives: "error",
    },
    rules: {
      // Core max-len: deprecated in favour of @stylistic, but kept until ESLint 11, and it is the one
      // formatting rule needed. URLs and long regular expressions do not wrap.
      "max-len": ["error", { code: 160, ignoreUrls: true, ignoreRegExpLiterals: true }],
      // Passing on what a promise or callback rejected with, unchanged, is fine.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // Plain JavaScript (configs, the bench's fake server) is outside tsconfig.json: no type information.
    files: ["**/*.js"],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // Jest's asymmetric matchers (expect.stringContaining(...) and the like) are typed `any`, and
      // tests read the fakes' and the bot's JSON as it came over the wire, untyped on purpose: the
      // assertions are the types there.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // Fakes implement the bot's promise-returning ports and answer at once.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["src/slack/listeners/**/*.ts"],
    rules: {
      // Listeners post through ctx.client, the bot's one client, guarded once in slack/app.ts (no
      // broadcasts, nothing past Slack's limits: slack/text.ts), and reply through guardRespond.
      // Bolt's per-request `client` and `say` bypass that one place.
      "no-restricted-syntax": [
        "error",
        {
          selector: ":function > ObjectPattern > Property[key.name=/^(client|say)$/]",
          message: "Post through ctx.client (guarded in slack/app.ts), not Bolt's per-request client or say.",
        },
        {
          selector: "MemberExpression[property.name=/^(client|say)$/][object.name!='ctx']",
          message: "Post through ctx.client (guarded in slack/app.ts), not Bolt's per-request client or say.",
        },
      ],
    },
  },
);
