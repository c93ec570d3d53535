import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

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
    // One door to the data: pages, components and actions go through lib/keys-client over HTTP.
    files: ["app/**", "components/**", "lib/actions/**", "lib/keys-client/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/db", "@/lib/db/*", "**/lib/db", "**/lib/db/*"],
              message: "Use lib/keys-client: the dashboard reaches data only through the keys API.",
            },
            {
              group: ["@/lib/keys", "@/lib/keys/*", "**/lib/keys/*"],
              message: "Use lib/keys-client: the dashboard reaches data only through the keys API.",
            },
            {
              group: ["@/lib/api", "@/lib/api/*", "**/lib/api/*"],
              message: "Use lib/keys-client: the dashboard reaches data only through the keys API.",
            },
          ],
        },
      ],
    },
  },
];

export default config;
