import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/** Everything a folder of lib could import; `importsOnly` lets through what the folder may. */
const ABOVE_ANY_LIB_FOLDER = ["./lib", "./app", "./components", "./server.ts"];

/**
 * A zone: `lib/<folder>` imports only itself and `allowed` (paths in lib). lib/testing is let through
 * here because the test-support zone refuses it with its own message.
 */
const importsOnly = (folder, allowed, why) => ({
  target: `./lib/${folder}`,
  from: ABOVE_ANY_LIB_FOLDER,
  except: [`./${folder}`, ...allowed.map((a) => `./${a}`), "./testing"],
  message: `lib/${folder} imports only ${allowed.map((a) => `lib/${a}`).join(", ")} ${why}.`,
});

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      ".data/**",
      "lib/db/migrations/**",
      "lib/keys-client/schema.d.ts",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/ban-ts-comment": [
        "error",
        { "ts-ignore": true, "ts-expect-error": "allow-with-description" },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // The layers, checked on resolved paths (a relative import cannot walk around them).
    // One door to the data: pages, components and the dashboard's server side reach data only through
    // lib/keys-client over HTTP; lib/db reaches nothing above it; production code never imports test support.
    files: ["**/*.ts", "**/*.tsx"],
    ignores: ["**/*.test.ts", "lib/testing/**", "e2e/**", "tests/**", "bench/**"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: ["./app", "./components", "./lib/dashboard", "./lib/keys-client"],
              from: [
                "./lib/db",
                "./lib/keys",
                "./lib/api",
                "./lib/auth",
                "./lib/directory",
                "./lib/domain",
                "./lib/webhooks",
                "./lib/server",
                "./server.ts",
              ],
              message: "The dashboard reaches data only through lib/keys-client (the keys API over HTTP).",
            },
            {
              // The roles' names (no import at all) are the one spelling of the role enums.
              target: "./lib/db",
              from: ["./lib", "./app", "./components", "./server.ts"],
              except: ["./db", "./roles/names.ts"],
              message: "lib/db is the bottom layer: it imports nothing above it (but the roles' names).",
            },
            // The domain folders, top to bottom: lib/keys and lib/directory → lib/auth → lib/domain →
            // lib/schemas → lib/db, all of them over the pure lib/roles.
            importsOnly(
              "keys",
              ["auth", "roles", "domain", "schemas", "db", "clock.ts"],
              "(not lib/directory)",
            ),
            importsOnly(
              "directory",
              ["auth", "roles", "domain", "schemas", "db", "clock.ts"],
              "(not lib/keys)",
            ),
            // Webhooks: beside lib/keys, not under it; lib/keys queues events through lib/domain/outbox.ts.
            importsOnly(
              "webhooks",
              ["auth", "roles", "domain", "schemas", "db", "clock.ts"],
              "(lib/keys queues its events through lib/domain/outbox.ts, never through lib/webhooks)",
            ),
            importsOnly(
              "auth",
              ["roles", "domain", "schemas", "db", "clock.ts"],
              "(it is below lib/keys and lib/directory)",
            ),
            importsOnly("domain", ["roles", "schemas", "db", "clock.ts"], "(what the domain folders share)"),
            importsOnly("schemas", ["roles/names.ts"], "(the roles' names)"),
            {
              // The role rules are pure, so the components can import them like the API does.
              target: "./lib/roles",
              from: ["./lib", "./app", "./components", "./server.ts"],
              except: ["./roles"],
              message: "lib/roles is pure: the role rules import nothing else of Keydesk.",
            },
            {
              target: ["./app", "./components", "./lib", "./server.ts", "./scripts", "./proxy.ts"],
              from: "./lib/testing",
              message: "Test support is for tests only.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/roles/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(node:|server-only$|drizzle-orm|pg$|@electric-sql/|next/)",
              message: "lib/roles is pure (no database, no server-only code): components import it.",
            },
          ],
        },
      ],
    },
  },
];

export default config;
