import { readFileSync } from "node:fs";
import path from "node:path";
import { test as base, expect, type APIRequestContext } from "@playwright/test";
import { ApiKeysPage } from "./pages/api-keys-page";
import type { DemoUser } from "../lib/testing/demo-viewers";

/** Where auth.setup.ts keeps a demo person's signed-in session (the people: lib/testing/demo-viewers.ts). */
export const storageStatePath = (user: DemoUser) => path.join(import.meta.dirname, ".auth", `${user}.json`);

/** The session token saved for a role by auth.setup.ts. */
export function sessionToken(role: DemoUser): string {
  const state = JSON.parse(readFileSync(storageStatePath(role), "utf8")) as {
    cookies: { name: string; value: string }[];
  };
  const cookie = state.cookies.find((c) => c.name === "keydesk_session");
  if (!cookie) throw new Error(`no session saved for ${role}`);
  return cookie.value;
}

/** Direct calls to the keys API, for arranging data and checking effects. */
export class KeysApi {
  constructor(private readonly request: APIRequestContext) {}

  async call(method: string, path: string, options: { token: string; body?: unknown }) {
    const res = await this.request.fetch(path, {
      method,
      headers: { authorization: `Bearer ${options.token}` },
      ...(options.body !== undefined ? { data: options.body } : {}),
    });
    const text = await res.text();
    return { status: res.status(), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  /** The HTTP status GET /v2/me gives for a credential: 200 when it authenticates. */
  async meStatus(credential: string): Promise<number> {
    return (await this.call("GET", "/v2/me", { token: credential })).status;
  }

  /** Creates a key as `role` through the API (for arranging data); returns the created key object. */
  async createKey(role: DemoUser, body: Record<string, unknown>) {
    const res = await this.call("POST", "/v2/api-keys", { token: sessionToken(role), body });
    if (res.status !== 201) throw new Error(`create as ${role}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; name: string; key: string };
  }

  /** Names of the keys `role` sees with these list parameters (GET /v2/api-keys). */
  async keyNames(role: DemoUser, query: Record<string, string>): Promise<string[]> {
    const res = await this.call("GET", `/v2/api-keys?${new URLSearchParams(query).toString()}`, {
      token: sessionToken(role),
    });
    if (res.status !== 200) throw new Error(`list as ${role}: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body.api_keys as { name: string }[]).map((k) => k.name);
  }

  async spaceId(role: DemoUser, name: string): Promise<string> {
    const me = await this.call("GET", "/v2/me", { token: sessionToken(role) });
    const orgs = me.body.organizations as { spaces: { id: string; name: string }[] }[];
    const space = orgs.flatMap((o) => o.spaces).find((s) => s.name === name);
    if (!space) throw new Error(`${role} cannot reach space ${name}`);
    return space.id;
  }
}

/** The form the dashboard shows instead of a key: first 6 characters, "...", last 3. */
export function redacted(key: string): string {
  return `${key.slice(0, 6)}...${key.slice(-3)}`;
}

/** A name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export const test = base.extend<{ apiKeysPage: ApiKeysPage; api: KeysApi }>({
  apiKeysPage: async ({ page }, provide) => provide(new ApiKeysPage(page)),
  api: async ({ request }, provide) => provide(new KeysApi(request)),
});

/** Runs the file's tests signed in as `role`. */
export function signedInAs(role: DemoUser) {
  test.use({ storageState: storageStatePath(role) });
}

export { expect };
