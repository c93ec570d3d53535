import "server-only";
import { clientHeaders, keysApiBaseUrl, type KeysClientOptions } from "./index";

export interface ApiAnswer {
  status: number;
  body: unknown;
}

type Query = Record<string, string | number | boolean | undefined>;

/**
 * The directory endpoints of directory.md (users, organizations, spaces, memberships, setup,
 * invitations, `/v2/me/password`), over the same base URL and headers as `keysClient`. The answers
 * are checked by the callers' parsers (lib/dashboard/directory-support.ts).
 */
export async function directoryCall(
  options: KeysClientOptions,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  { query, body }: { query?: Query; body?: unknown } = {},
): Promise<ApiAnswer> {
  const url = new URL(`${keysApiBaseUrl()}${path}`);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== "") url.searchParams.set(name, String(value));
  }
  const headers = clientHeaders(options);
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(url, {
    method,
    headers,
    cache: "no-store",
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  return { status: response.status, body: parsed };
}
