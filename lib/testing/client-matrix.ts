/**
 * The client matrix: which of Arize's published clients `npm test` runs against Keydesk, in which
 * version, through which flow and on which databases. The Go suites (tests/go-clients.test.ts,
 * tests/newest-clients-directory.test.ts) take their versions and expected check counts from here, and
 * docs/client-matrix.md is rendered from it (tests/client-matrix.test.ts fails when that page is not
 * current), so the page names exactly what the suite proves: a row whose client fails fails `npm test`.
 */

export interface GoFlowVersion {
  version: string;
  generation: "A" | "B" | "C" | "D";
  /** Build tags of tests/clients/go_flow for the parts of the client's API that changed. */
  tags: string[];
  /** The checks its api-keys flow makes (the test asserts exactly this many passed). */
  checks: number;
}

/** client-go-v2, one version per wire generation. */
export const GO_API_KEYS_FLOWS: GoFlowVersion[] = [
  { version: "0.11.0", generation: "A", tags: ["gen_a"], checks: 50 },
  { version: "0.16.0", generation: "B", tags: [], checks: 50 },
  { version: "0.18.0", generation: "C", tags: [], checks: 51 },
  { version: "0.22.0", generation: "D", tags: ["gen_d"], checks: 69 },
];

/** The newest Python and Go clients' directory flows (tests/newest-clients-directory.test.ts). */
export const NEWEST_DIRECTORY_FLOWS = {
  python: { version: "8.61.0", checks: 53 },
  go: { version: "0.22.0", checks: 44 },
} as const;

interface MatrixRow {
  client: string;
  versions: string;
  flow: string;
  databases: string;
  result: string;
  test: string;
}

const BOTH = "PGlite, PostgreSQL";
const API_KEYS =
  "api-keys: list with every filter, user key, service keys by space id and name, refresh with grace, revoke/delete, typed errors";
const DIRECTORY =
  "directory: users in each invite mode, organizations, spaces, memberships, roles, audit logs; 422 for custom roles and role bindings";

const ROWS: MatrixRow[] = [
  {
    client: "TypeScript `@arizeai/ax-client`",
    versions: "1.18.1 (A), 1.19.0, 1.23.0 (B), 1.24.0 (C), 1.27.0, 1.28.0 (D)",
    flow: API_KEYS,
    databases: BOTH,
    result: "passes",
    test: "tests/ax-client.test.ts",
  },
  {
    client: "TypeScript `@arizeai/ax-client`",
    versions: "1.28.0",
    flow: `${DIRECTORY}, after the setup link (KEYDESK_DEMO=0)`,
    databases: BOTH,
    result: "passes",
    test: "tests/directory-client.test.ts",
  },
  {
    client: "Python `arize`",
    versions: "8.31.0 (A), 8.39.0 (B), 8.40.0 (C), 8.42.0 (D), newest on PyPI",
    flow: API_KEYS,
    databases: BOTH,
    result: "passes (37 or more checks each)",
    test: "tests/clients.test.ts",
  },
  {
    client: "Python `arize`",
    versions: "8.61.0",
    flow: "webhooks: create, get, list, update, test with its signature verified, delivery attempts, delete",
    databases: "PGlite",
    result: "passes (21 checks)",
    test: "tests/clients.test.ts",
  },
  {
    client: "Python `arize`",
    versions: NEWEST_DIRECTORY_FLOWS.python.version,
    flow: `${DIRECTORY}, service keys listed with \`bot_user\`, audit logs by \`operation_name\`, after the setup link (KEYDESK_DEMO=0)`,
    databases: BOTH,
    result: `passes (${NEWEST_DIRECTORY_FLOWS.python.checks} checks)`,
    test: "tests/newest-clients-directory.test.ts",
  },
  ...GO_API_KEYS_FLOWS.map((go) => ({
    client: "Go `client-go-v2`",
    versions: `${go.version} (${go.generation})`,
    flow: API_KEYS,
    databases: BOTH,
    result: `passes (${go.checks} checks)`,
    test: "tests/go-clients.test.ts",
  })),
  {
    client: "Go `client-go-v2`",
    versions: NEWEST_DIRECTORY_FLOWS.go.version,
    flow: `${DIRECTORY}, a private space reads back private, after the setup link (KEYDESK_DEMO=0)`,
    databases: BOTH,
    result: `passes (${NEWEST_DIRECTORY_FLOWS.go.checks} checks)`,
    test: "tests/newest-clients-directory.test.ts",
  },
  {
    client: "`ax` CLI (`arize-ax-cli`)",
    versions: "newest on PyPI",
    flow: "api-keys: create, list with filters, refresh with grace, revoke, create-service-key with --assignments",
    databases: "PGlite",
    result: "passes",
    test: "tests/clients.test.ts",
  },
  {
    client: "`ax` CLI (`arize-ax-cli`)",
    versions: "newest on PyPI",
    flow: "directory: organizations, spaces by name, users in two invite modes, memberships with roles, roles, deletes; a custom role is a 422 that says not supported; after the setup link (KEYDESK_DEMO=0)",
    databases: BOTH,
    result: "passes",
    test: "tests/newest-clients-directory.test.ts",
  },
  {
    client: "TypeScript, Python, Go, `ax` CLI",
    versions: "1.28.0, newest, 0.22.0, newest",
    flow: "the reveal dialog's snippets, pasted into a shell, list the key",
    databases: BOTH,
    result: "passes",
    test: "tests/client-snippets.test.ts",
  },
  {
    client: "`ax` CLI (`arize-ax-cli`)",
    versions: "0.39.0",
    flow: "`ax auth login` in the browser (sign in, Approve), `ax api-keys list` with its token, `ax auth logout` revokes it",
    databases: BOTH,
    result: "passes",
    test: "tests/ax-login.test.ts",
  },
];

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** docs/client-matrix.md, as the matrix above makes it. */
export function clientMatrixMarkdown(): string {
  return [
    "# Arize's clients against Keydesk: the matrix `npm test` runs",
    "",
    "Generated from `lib/testing/client-matrix.ts`, the table the client suites themselves read their",
    "versions and expected check counts from; `tests/client-matrix.test.ts` fails when this page is not",
    "current (regenerate: `KEYDESK_WRITE_CLIENT_MATRIX=1 npx vitest run tests/client-matrix.test.ts`).",
    "Every row is a test of `npm test` against `server.ts` over real HTTP: a client that stops passing",
    "fails the suite. How each client is pointed at Keydesk, and what the server changed for them:",
    "`docs/clients.md`.",
    "",
    "| client | version (wire generation) | flow | databases | result | test |",
    "|---|---|---|---|---|---|",
    ...ROWS.map(
      (r) =>
        `| ${cell(r.client)} | ${cell(r.versions)} | ${cell(r.flow)} | ${cell(r.databases)} | ${cell(r.result)} | ${r.test === "—" ? "—" : `\`${r.test}\``} |`,
    ),
    "",
  ].join("\n");
}
