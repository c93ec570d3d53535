/**
 * Response dialects: one server answers every generation of Arize's clients (directory.md, "Dialects").
 * The dialect is picked once per request from the `sdk-package-name` / `sdk-version` headers that
 * every Arize client sends; requests are accepted in every dialect regardless.
 *
 * This module is the one place that knows the generations. Serializers ask it how to spell an enum
 * (`enumValue(dialect, "read-only")`, `keyStatus`, `roleValue`) and whether a field exists in the
 * client's own schema (`has(dialect, "space.is_private")`, from FIELD_TABLE); nothing else looks at
 * the sdk headers. Request handling that differs by generation (422s of generation C/D) asks
 * `dialect.generation`.
 */

type Generation = "A" | "B" | "C" | "D";
type ClientFamily = "python" | "go" | "typescript";

interface ClientIdentity {
  family: ClientFamily;
  /** [major, minor, patch] */
  version: [number, number, number];
}

export interface Dialect {
  /** null: no (recognised) sdk headers — the seeds' documented default dialect (keys-api.md). */
  client: ClientIdentity | null;
  /** null for the default dialect. */
  generation: Generation | null;
  /** SCREAMING_SNAKE enums (generations C and D). */
  upperEnums: boolean;
}

export const DEFAULT_DIALECT: Dialect = { client: null, generation: null, upperEnums: false };

// A Map, not an object: it is read by a header's value, and an object would answer `constructor` or
// `__proto__` with what every object inherits.
const PACKAGE_FAMILY = new Map<string, ClientFamily>([
  ["arize", "python"],
  ["client-go-v2", "go"],
  ["github.com/arize-ai/client-go-v2", "go"],
  ["@arizeai/ax-client", "typescript"],
]);

/** First version of each generation B, C, D per client family (directory.md's table). */
const GENERATION_STARTS: Record<ClientFamily, [Generation, [number, number, number]][]> = {
  typescript: [
    ["D", [1, 27, 0]],
    ["C", [1, 24, 0]],
    ["B", [1, 19, 0]],
  ],
  python: [
    ["D", [8, 41, 0]],
    ["C", [8, 40, 0]],
    ["B", [8, 35, 0]],
  ],
  go: [
    ["D", [0, 19, 0]],
    ["C", [0, 17, 0]],
    ["B", [0, 12, 0]],
  ],
};

function parseVersion(raw: string | undefined | null): [number, number, number] | null {
  const m = /^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?/.exec((raw ?? "").trim());
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

function compareVersions(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function generationOf(client: ClientIdentity): Generation {
  for (const [generation, start] of GENERATION_STARTS[client.family]) {
    if (compareVersions(client.version, start) >= 0) return generation;
  }
  return "A";
}

type HeaderReader = (name: string) => string | undefined;

/** The dialect of one request, from its headers. Unknown packages or versions get the default. */
export function dialectFromHeaders(header: HeaderReader): Dialect {
  let family = PACKAGE_FAMILY.get((header("sdk-package-name") ?? "").trim().toLowerCase());
  // The Go client names its package `arize` too (client-go-v2's sdkconfig.go, `sdkPackageName`);
  // its `sdk-language: go` tells it from the Python SDK.
  if (family === "python" && (header("sdk-language") ?? "").trim().toLowerCase() === "go") family = "go";
  const version = parseVersion(header("sdk-version"));
  if (!family || !version) return DEFAULT_DIALECT;
  const client: ClientIdentity = { family, version };
  const generation = generationOf(client);
  return { client, generation, upperEnums: generation === "C" || generation === "D" };
}

/** `read-only` → `READ_ONLY` for generations C and D; the default spelling otherwise. */
export function enumValue(dialect: Dialect, value: string): string {
  return dialect.upperEnums ? value.replace(/-/g, "_").toUpperCase() : value;
}

// ── Fields per client version ────────────────────────────────────────────────────────────────────
// "A client identified by its version gets exactly the fields its own schema declares": Arize's
// Python models raise on any field they do not know. One row per response field that some client
// versions lack (or that only some have); every other field is in every dialect. Each family lists
// the half-open version ranges [from, below) whose schema declares the field. Evidence: the clients'
// generated models (Python `arize/_generated/api_client/models`, TypeScript `v2.d.ts`), run against
// Keydesk by tests/clients.

type Range = [from: string, below: string | null];
const ALL: Range[] = [["0.0.0", null]];
const NONE: Range[] = [];

export type ResponseField =
  /** `last_used_at` on a key (Python from 8.28.3, Go from 0.6.0). */
  | "api_key.last_used_at"
  /** `redacted_key` in create and refresh answers (generation C's ApiKey has `key` instead). */
  | "api_key_created.redacted_key"
  /** `is_private` on spaces (Python from 8.43, TypeScript from 1.27, Go from 0.22). */
  | "space.is_private"
  /** [ext] `member_count` on the organizations and spaces of a list: the default dialect only. */
  | "scope.member_count"
  /** `bot_user` in a service key's create answer, roles as `{type, name}` objects (generation D). */
  | "service_key.bot_user"
  /** `bot_user` on each service key of a list (Python from 8.45: 8.61's `ServiceApiKey` declares it). */
  | "api_key_list.bot_user"
  /** [ext] `actor`, `actor_credential`, `target` on audit log entries: Keydesk's own dialect only. */
  | "audit_log.names"
  /** [ext] `leak_reports` on one key (`GET /v2/api-keys/{id}`): Keydesk's own dialect only. */
  | "api_key.leak_reports";

interface FieldRule {
  /** In the default dialect (no sdk headers: curl, the dashboard)? */
  default: boolean;
  present: Record<ClientFamily, Range[]>;
}

const GENERATION_D: Record<ClientFamily, Range[]> = {
  python: [["8.41.0", null]],
  typescript: [["1.27.0", null]],
  go: [["0.19.0", null]],
};

const FIELD_TABLE: Record<ResponseField, FieldRule> = {
  "api_key.last_used_at": {
    default: true,
    present: { python: [["8.28.3", null]], go: [["0.6.0", null]], typescript: ALL },
  },
  "api_key_created.redacted_key": {
    default: true,
    present: {
      python: [
        ["0.0.0", "8.40.0"],
        ["8.41.0", null],
      ],
      typescript: [
        ["0.0.0", "1.24.0"],
        ["1.27.0", null],
      ],
      go: [
        ["0.0.0", "0.17.0"],
        ["0.19.0", null],
      ],
    },
  },
  "space.is_private": {
    default: true,
    // Go decodes leniently (unknown fields are ignored), but a field its schema lacks reads as
    // false: v0.18's Space has no is_private, v0.22's has (a private space read back public without it).
    present: { python: [["8.43.0", null]], typescript: [["1.27.0", null]], go: [["0.22.0", null]] },
  },
  "scope.member_count": { default: true, present: { python: NONE, typescript: NONE, go: NONE } },
  "service_key.bot_user": { default: false, present: GENERATION_D },
  // Python 8.43 and 8.44's ApiKey refuses it (unknown field); from 8.45 the models ignore fields they do
  // not know, and 8.61's ServiceApiKey declares it ("use bot_user.id as the user_id of a role binding").
  // TypeScript 1.28's and Go v0.22's list items have no bot_user.
  "api_key_list.bot_user": {
    default: false,
    present: { python: [["8.45.0", null]], typescript: NONE, go: NONE },
  },
  "audit_log.names": { default: true, present: { python: NONE, typescript: NONE, go: NONE } },
  "api_key.leak_reports": { default: true, present: { python: NONE, typescript: NONE, go: NONE } },
};

/** Whether this request's client declares `field` in its schema (the default dialect: FIELD_TABLE's `default`). */
export function has(dialect: Dialect, field: ResponseField): boolean {
  const rule = FIELD_TABLE[field];
  const client = dialect.client;
  if (!client) return rule.default;
  return rule.present[client.family].some(([from, below]) => {
    const lo = parseVersion(from);
    const hi = below === null ? null : parseVersion(below);
    return (
      !!lo &&
      compareVersions(client.version, lo) >= 0 &&
      (hi === null || compareVersions(client.version, hi) < 0)
    );
  });
}

/**
 * A key's status: `revoked` is `deleted` for Python and Go of generation A, whose enums have no
 * `revoked` (TypeScript 1.18's own type already says `revoked`).
 */
export function keyStatus(dialect: Dialect, status: "active" | "revoked"): string {
  if (status === "revoked" && dialect.generation === "A" && dialect.client?.family !== "typescript")
    return "deleted";
  return enumValue(dialect, status);
}

/** A role as generation D writes it: `{type: "PREDEFINED", name: "READ_ONLY"}`. */
export function predefinedRole(dialect: Dialect, role: string): { type: "PREDEFINED"; name: string } {
  return { type: "PREDEFINED", name: enumValue(dialect, role) };
}

/** A role in this dialect: generation D's object, or the enum string everywhere else. */
export function roleValue(dialect: Dialect, role: string): string | { type: "PREDEFINED"; name: string } {
  return dialect.generation === "D" ? predefinedRole(dialect, role) : enumValue(dialect, role);
}

/**
 * Whether the client is `family` at `min` or later (for per-version field sets).
 * @public Used by the directory API's serializers (in flight on their branch).
 */
export function clientAtLeast(dialect: Dialect, family: ClientFamily, min: string): boolean {
  const v = parseVersion(min);
  return (
    !!dialect.client &&
    !!v &&
    dialect.client.family === family &&
    compareVersions(dialect.client.version, v) >= 0
  );
}

/**
 * Whether problems carry the [ext] `code`. Not for Python: its generated Problem model refuses unknown
 * fields, and although the typed exception is raised all the same, it then comes without the parsed
 * body (`ApiException.data`). Go reads only `title` (and `detail`), JS only `status`, `detail`, `title`.
 */
export function sendsProblemCode(dialect: Dialect): boolean {
  return dialect.client?.family !== "python";
}
