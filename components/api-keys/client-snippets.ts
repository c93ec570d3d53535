/**
 * What the reveal dialog shows under "Use it with Arize's clients": for each of Arize's client
 * families, the settings that point it at this server. Without them a client sends the key to its
 * default host, Arize's cloud (api.arize.com). Pure: the dialog and tests/client-snippets.test.ts
 * use the same text.
 *
 * What each client reads (from its own source):
 * - `@arizeai/ax-client` (TypeScript, 1.18–1.28): `ARIZE_API_KEY`, `ARIZE_BASE_URL` (scheme, host and
 *   port; it appends `/v2/…`).
 * - `arize` (Python, 8.31 onwards) and `github.com/Arize-ai/client-go-v2` (Go, v0.11 onwards):
 *   `ARIZE_API_KEY`, `ARIZE_API_HOST` (host, with `:port` when not the scheme's own) and
 *   `ARIZE_API_SCHEME`, for whatever `ArizeClient()` / `arize.Config{}` leave empty.
 * - the `ax` CLI (`arize-ax-cli`): a profile's `[routing] api_host` / `api_scheme`, never the
 *   environment; the profile names the key as `${ARIZE_API_KEY}` so it stays out of the file.
 */

type ClientFamily = "typescript" | "python" | "go" | "ax";

export interface ClientSnippet {
  family: ClientFamily;
  /** The tab's name. */
  label: string;
  /** Shell text to paste as it is. */
  snippet: string;
  /** One line under the snippet: what reads these settings. */
  note: string;
}

/**
 * The address Arize's clients should use for this server: `PUBLIC_URL`'s origin when it is set (and an
 * http(s) URL), else the origin the page was loaded from.
 */
export function serverOrigin(publicUrl: string | undefined, pageOrigin: string): string {
  for (const candidate of [publicUrl, pageOrigin]) {
    if (!candidate) continue;
    try {
      const url = new URL(candidate);
      if (url.protocol === "http:" || url.protocol === "https:") return url.origin;
    } catch {
      // Not a URL: try the next one.
    }
  }
  return pageOrigin;
}

/** A value as one shell word: as it is when plainly safe, else single-quoted. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_.:/@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A TOML basic string. */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

function exports(vars: [string, string][]): string {
  return vars.map(([name, value]) => `export ${name}=${shellWord(value)}`).join("\n");
}

/** The snippet for each client family, in the order the dialog shows them. */
export function clientSnippets({ origin, key }: { origin: string; key: string }): ClientSnippet[] {
  const url = new URL(origin);
  const base = url.origin;
  const host = url.host; // with the port when it is not the scheme's own
  const scheme = url.protocol.replace(/:$/, "");
  const hostAndScheme: [string, string][] = [
    ["ARIZE_API_KEY", key],
    ["ARIZE_API_HOST", host],
    ["ARIZE_API_SCHEME", scheme],
  ];
  return [
    {
      family: "typescript",
      label: "TypeScript",
      snippet: exports([
        ["ARIZE_API_KEY", key],
        ["ARIZE_BASE_URL", base],
      ]),
      note: "@arizeai/ax-client's createClient() reads these.",
    },
    {
      family: "python",
      label: "Python",
      snippet: exports(hostAndScheme),
      note: "The arize SDK's ArizeClient() reads these.",
    },
    {
      family: "go",
      label: "Go",
      snippet: exports(hostAndScheme),
      note: "client-go-v2's arize.NewClient(arize.Config{}) reads these (or set APIHost and APIScheme in arize.Config).",
    },
    {
      family: "ax",
      label: "ax CLI",
      snippet: [
        exports([["ARIZE_API_KEY", key]]),
        "cat > keydesk.toml <<'TOML'",
        "[auth]",
        'auth_method = "api-key"',
        'api_key = "${ARIZE_API_KEY}"',
        "",
        "[routing]",
        `api_host = ${tomlString(host)}`,
        `api_scheme = ${tomlString(scheme)}`,
        "TOML",
        "ax profiles create keydesk --from-file keydesk.toml",
      ].join("\n"),
      note: "The ax CLI reads the server's address from its profile only; this makes the profile keydesk and uses it.",
    },
  ];
}
