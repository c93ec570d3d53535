/**
 * The raw key appears in one response only — the create or refresh that issued it — and never in a log
 * line, another response (body or header), the database files or the client bundle. A whole lifecycle
 * runs against a real server.ts whose stdout and stderr are captured.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { KEY_PATTERN, KEY_SEARCH_PATTERN } from "../lib/keys/secrets";
import { REPO_ROOT, spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";

interface Recorded {
  label: string;
  status: number;
  headers: [string, string][];
  body: string;
}

interface KeyBody {
  id: string;
  key: string;
  name: string;
  redacted_key: string;
}

const keyMatches = (text: string) => text.match(KEY_SEARCH_PATTERN) ?? [];

/** The same key with its last character changed: still key-shaped, but its checksum fails. */
const tamper = (key: string) => key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");

/** Every regular file under `dir`, skipping files that vanish while we walk (a build may be running). */
async function* filesUnder(dir: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

async function readLatin1(file: string): Promise<string> {
  try {
    return (await readFile(file)).toString("latin1");
  } catch {
    return "";
  }
}

describe("no key leaks outside the one response that issues it", () => {
  const nonce = randomBytes(6).toString("hex");
  const recorded: Recorded[] = [];
  /** Raw key → index in `recorded` of the response that issued it. */
  const issued = new Map<string, number>();
  let dataDir = "";
  let server: SpawnedServer | undefined;
  let finalOutput = "";

  async function call(
    label: string,
    method: string,
    urlPath: string,
    opts: { credential?: string; authorization?: string; body?: unknown; rawBody?: string } = {},
  ): Promise<{ status: number; headers: Headers; json: unknown; index: number }> {
    if (!server) throw new Error("server not started");
    const headers: Record<string, string> = {};
    if (opts.credential) headers.authorization = `Bearer ${opts.credential}`;
    if (opts.authorization) headers.authorization = opts.authorization;
    let body: string | undefined;
    if (opts.rawBody !== undefined || opts.body !== undefined) {
      body = opts.rawBody ?? JSON.stringify(opts.body);
      headers["content-type"] = "application/json";
    }
    const res = await fetch(server.baseUrl + urlPath, { method, headers, body });
    const text = await res.text();
    const index =
      recorded.push({ label, status: res.status, headers: [...res.headers.entries()], body: text }) - 1;
    let json: unknown = undefined;
    if (/json/.test(res.headers.get("content-type") ?? "") && text) json = JSON.parse(text);
    return { status: res.status, headers: res.headers, json, index };
  }

  /** A create or refresh: 201/200, `Cache-Control: no-store`, a well-formed key, remembered as issued here. */
  async function issue(
    label: string,
    method: string,
    urlPath: string,
    credential: string,
    body: unknown,
    status: number,
  ): Promise<KeyBody> {
    const res = await call(label, method, urlPath, { credential, body });
    expect(res.status, label).toBe(status);
    expect(res.headers.get("cache-control"), label).toBe("no-store");
    const key = res.json as KeyBody;
    expect(key.key).toMatch(KEY_PATTERN);
    expect(issued.has(key.key)).toBe(false);
    issued.set(key.key, res.index);
    return key;
  }

  const me = (label: string, credential: string) => call(label, "GET", "/v2/me", { credential });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "keydesk-leak-"));
    server = await spawnServer({ env: { DATABASE_URL: `pglite:${dataDir}` } });
  });

  afterAll(async () => {
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("runs the lifecycle: sign in, create, list, verify, refresh with grace, revoke, bad requests", async () => {
    const signIn = await call("sign in", "POST", "/v2/sessions", {
      body: { email: DEMO_USERS.admin.email, password: DEMO_PASSWORD },
    });
    expect(signIn.status).toBe(201);
    const session = (signIn.json as { token: string }).token;

    const spaces = await call("spaces", "GET", "/v2/spaces?name=Production", { credential: session });
    const production = (spaces.json as { spaces: { id: string; name: string }[] }).spaces.find(
      (s) => s.name === "Production",
    );
    if (!production) throw new Error("no Production space");

    const userKey = await issue(
      "create user key",
      "POST",
      "/v2/api-keys",
      session,
      {
        name: `leak user ${nonce}`,
        description: `leak test ${nonce}`,
        expires_at: new Date(Date.now() + 86_400_000).toISOString(),
      },
      201,
    );
    const serviceKey = await issue(
      "create service key",
      "POST",
      "/v2/api-keys",
      session,
      {
        name: `leak service ${nonce}`,
        key_type: "service",
        space_id: production.id,
        roles: { space_role: "admin", org_role: "member", account_role: "member" },
      },
      201,
    );

    for (const [label, query] of [
      ["list own", ""],
      ["list service, details", "?key_type=service&include=details"],
      ["list space", `?space_id=${encodeURIComponent(production.id)}`],
      ["list by name", `?name=${nonce}&limit=1`],
    ] as const) {
      const list = await call(label, "GET", `/v2/api-keys${query}`, { credential: session });
      expect(list.status, label).toBe(200);
    }
    const listedWithKey = await call("list with user key", "GET", "/v2/api-keys", {
      credential: userKey.key,
    });
    expect(listedWithKey.status).toBe(200);
    const names = (listedWithKey.json as { api_keys: { name: string }[] }).api_keys.map((k) => k.name);
    expect(names).toContain(`leak user ${nonce}`);

    expect((await me("me: user key", userKey.key)).status).toBe(200);
    expect((await me("me: service key", serviceKey.key)).status).toBe(200);

    // Refresh with grace: both secrets work for now.
    const userKey2 = await issue(
      "refresh user key",
      "POST",
      `/v2/api-keys/${encodeURIComponent(userKey.id)}/refresh`,
      session,
      { grace_period_seconds: 300 },
      200,
    );
    expect(userKey2.id).toBe(userKey.id);
    expect((await me("me: old user key in grace", userKey.key)).status).toBe(200);
    expect((await me("me: new user key", userKey2.key)).status).toBe(200);

    // Refresh without grace, authenticated by a key: the old secret stops at once.
    const serviceKey2 = await issue(
      "refresh service key",
      "POST",
      `/v2/api-keys/${encodeURIComponent(serviceKey.id)}/refresh`,
      userKey2.key,
      {},
      200,
    );
    expect((await me("me: old service key", serviceKey.key)).status).toBe(401);
    expect((await me("me: new service key", serviceKey2.key)).status).toBe(200);

    // Bad requests that carry a key in every place a careless client might put one.
    const k = userKey2.key;
    const bad: [string, Promise<{ status: number }>, number][] = [
      [
        "key as an unknown field",
        call("bad: unknown field", "POST", "/v2/api-keys", { credential: k, body: { name: "x", key: k } }),
        400,
      ],
      [
        "key as a description with an empty name",
        call("bad: description", "POST", "/v2/api-keys", {
          credential: k,
          body: { name: " ", description: k },
        }),
        400,
      ],
      [
        "key as expires_at",
        call("bad: expires_at", "POST", "/v2/api-keys", {
          credential: k,
          body: { name: "x", expires_at: k },
        }),
        400,
      ],
      [
        "key as grace_period_seconds",
        call("bad: grace", "POST", `/v2/api-keys/${encodeURIComponent(userKey.id)}/refresh`, {
          credential: k,
          body: { grace_period_seconds: k },
        }),
        400,
      ],
      [
        "key in broken JSON",
        call("bad: json", "POST", "/v2/api-keys", { credential: k, rawBody: `{"name": "${k}"` }),
        400,
      ],
      ["key as a cursor", call("bad: cursor", "GET", `/v2/api-keys?cursor=${k}`, { credential: k }), 400],
      [
        "key as a space_id",
        call("bad: space_id", "GET", `/v2/api-keys?space_id=${k}`, { credential: k }),
        404,
      ],
      ["key as a path id", call("bad: path id", "PUT", `/v2/api-keys/${k}/revoke`, { credential: k }), 404],
      ["tampered key", me("bad: tampered key", tamper(k)), 401],
      [
        "key with trailing junk",
        call("bad: junk", "GET", "/v2/me", { authorization: `Bearer ${k} junk` }),
        401,
      ],
      [
        "service key creating a user key",
        call("bad: service key creates user key", "POST", "/v2/api-keys", {
          credential: serviceKey2.key,
          body: { name: "nope" },
        }),
        403,
      ],
    ];
    for (const [label, promise, status] of bad) expect((await promise).status, label).toBe(status);

    // Revoke (new verb) and delete (old verb): every secret of the key dies, grace or not.
    expect(
      (
        await call("revoke user key", "PUT", `/v2/api-keys/${encodeURIComponent(userKey.id)}/revoke`, {
          credential: session,
        })
      ).status,
    ).toBe(204);
    expect((await me("me: revoked user key (grace secret)", userKey.key)).status).toBe(401);
    expect((await me("me: revoked user key", userKey2.key)).status).toBe(401);
    expect(
      (
        await call("refresh revoked", "POST", `/v2/api-keys/${encodeURIComponent(userKey.id)}/refresh`, {
          credential: session,
          body: {},
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call("delete service key", "DELETE", `/v2/api-keys/${encodeURIComponent(serviceKey.id)}`, {
          credential: session,
        })
      ).status,
    ).toBe(204);
    expect((await me("me: deleted service key", serviceKey2.key)).status).toBe(401);
    const revokedList = await call("list revoked", "GET", "/v2/api-keys?status=revoked&include=details", {
      credential: session,
    });
    expect(revokedList.status).toBe(200);

    // A page from the dashboard, too.
    const page = await call("page /", "GET", "/");
    expect(page.status).toBeLessThan(500);

    expect((await call("sign out", "DELETE", "/v2/sessions/current", { credential: session })).status).toBe(
      204,
    );

    expect(issued.size).toBe(4);
    // Stop the server so that PGlite flushes everything to its files, and the log is complete.
    await server?.stop();
    finalOutput = server?.output() ?? "";
  }, 120_000);

  it("never logs a key", () => {
    expect(finalOutput).toMatch(/Keydesk ready on http:\/\/localhost:\d+/);
    expect(keyMatches(finalOutput)).toEqual([]);
    for (const key of issued.keys()) {
      expect(finalOutput.includes(key)).toBe(false);
      expect(finalOutput.includes(key.slice(0, 40))).toBe(false);
    }
  });

  it("returns each key in exactly one response, the one that issued it, and never in a header", () => {
    expect(recorded.length).toBeGreaterThan(25);
    const issuerOf = new Map([...issued].map(([key, index]) => [index, key]));
    recorded.forEach((response, index) => {
      const headerText = response.headers.map(([name, value]) => `${name}: ${value}`).join("\n");
      expect(keyMatches(headerText), `${response.label} headers`).toEqual([]);
      const own = issuerOf.get(index);
      expect(keyMatches(response.body), `${response.label} body`).toEqual(own ? [own] : []);
    });
    for (const key of issued.keys()) {
      expect(recorded.filter((r) => r.body.includes(key)).length).toBe(1);
    }
  });

  it("stores no key in the database files", async () => {
    let files = 0;
    let sawName = false;
    for await (const file of filesUnder(dataDir)) {
      files++;
      const bytes = await readLatin1(file);
      if (bytes.includes(`leak user ${nonce}`)) sawName = true;
      expect(keyMatches(bytes), file).toEqual([]);
      for (const key of issued.keys()) expect(bytes.includes(key), file).toBe(false);
    }
    expect(files).toBeGreaterThan(0);
    // The scan does see what the server stored: the key's name is in there.
    expect(sawName).toBe(true);
  });

  it("ships no key in the client bundle (.next/static)", async () => {
    for (const dir of [
      path.join(REPO_ROOT, ".next", "static"),
      path.join(REPO_ROOT, ".next", "dev", "static"),
    ]) {
      if (!existsSync(dir)) continue;
      for await (const file of filesUnder(dir)) {
        const bytes = await readLatin1(file);
        expect(keyMatches(bytes), file).toEqual([]);
      }
    }
  });
});
