/**
 * Response dialects: one server answers every generation of Arize's clients (directory.md, "Dialects").
 * The dialect is picked once per request from the `sdk-package-name` / `sdk-version` headers that
 * every Arize client sends; requests are accepted in every dialect regardless.
 *
 * This module is the one place that knows the generations. Serializers ask it how to spell an enum
 * (`dialect.enumValue("read-only")`) and whether a field exists in the client's own schema
 * (`dialect.has("redacted_key_on_create")`); nothing else looks at the sdk headers.
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

const PACKAGE_FAMILY: Record<string, ClientFamily> = {
  arize: "python",
  "client-go-v2": "go",
  "github.com/arize-ai/client-go-v2": "go",
  "@arizeai/ax-client": "typescript",
};

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
  const family = PACKAGE_FAMILY[(header("sdk-package-name") ?? "").trim().toLowerCase()];
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
