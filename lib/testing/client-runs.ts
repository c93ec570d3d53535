/**
 * What the suites that run Arize's clients against a spawned server share: JSON over HTTP to it, the
 * demo's keys and ids a flow program reads from its environment, servers on an empty directory (the
 * first-run path), and how a client program's run is judged.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import type { Me } from "../schemas/directory";
import { DEMO_PASSWORD, DEMO_USERS } from "./demo-viewers";
import { scrubKeys, type RunResult } from "./python-clients";
import { openScratchPostgres } from "./test-databases";

export interface JsonAnswer<T> {
  status: number;
  headers: Headers;
  /** The parsed body; `{}` when there is none. */
  json: T;
}

/** JSON requests to the server at `base()` (read at each call, as the server starts in a hook). */
export function jsonHttp(base: () => string) {
  return async function http<T = Record<string, unknown>>(
    method: string,
    urlPath: string,
    credential?: string,
    body?: unknown,
  ): Promise<JsonAnswer<T>> {
    const headers: Record<string, string> = {};
    if (credential) headers.authorization = `Bearer ${credential}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(base() + urlPath, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : {}) as T };
  };
}

/**
 * The environment a flow program (tests/clients/…) reads: a user key of the demo's admin and of its
 * member (each named `<label> key of <user>`), the admin's id, and `KEYDESK_<NAME>_ID` for each of the
 * demo's organizations and spaces.
 */
export async function demoFlowEnvironment(base: string, label: string): Promise<Record<string, string>> {
  const http = jsonHttp(() => base);
  async function keyOf(user: "admin" | "member") {
    const session = await http<{ token: string }>("POST", "/v2/sessions", undefined, {
      email: DEMO_USERS[user].email,
      password: DEMO_PASSWORD,
    });
    expect(session.status).toBe(201);
    const created = await http<{ key: string; created_by_user_id: string }>(
      "POST",
      "/v2/api-keys",
      session.json.token,
      { name: `${label} key of ${user}` },
    );
    expect(created.status).toBe(201);
    return { token: session.json.token, key: created.json };
  }
  const ada = await keyOf("admin");
  const max = await keyOf("member");
  const me = (await http<Me>("GET", "/v2/me", ada.token)).json;
  const env: Record<string, string> = {
    KEYDESK_URL: base,
    KEYDESK_ADMIN_KEY: ada.key.key,
    KEYDESK_MEMBER_KEY: max.key.key,
    KEYDESK_ADMIN_USER_ID: ada.key.created_by_user_id,
  };
  for (const organization of me.organizations) {
    env[`KEYDESK_${organization.name.toUpperCase()}_ID`] = organization.id;
    for (const space of organization.spaces) env[`KEYDESK_${space.name.toUpperCase()}_ID`] = space.id;
  }
  return env;
}

/** Where a spawned server runs: PGlite in a new folder, and PostgreSQL (a scratch database) when set. */
export interface ServerDatabase {
  name: string;
  /** The server's DATABASE_URL and KEYDESK_DEMO; the same env starts it again on the same data. */
  start(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>;
}
export function serverDatabases(prefix: string, { demo }: { demo: boolean }): ServerDatabase[] {
  const KEYDESK_DEMO = demo ? "1" : "0";
  const targets: ServerDatabase[] = [
    {
      name: "pglite",
      async start() {
        const dir = await mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
        return {
          env: { DATABASE_URL: `pglite:${dir}`, KEYDESK_DEMO },
          cleanup: () => rm(dir, { recursive: true, force: true }),
        };
      },
    },
  ];
  const pgBase = process.env.TEST_DATABASE_URL;
  if (pgBase) {
    targets.push({
      name: "postgres",
      async start() {
        const handle = await openScratchPostgres(pgBase);
        return { env: { DATABASE_URL: handle.url, KEYDESK_DEMO }, cleanup: () => handle.close() };
      },
    });
  }
  return targets;
}

/** Servers with an empty directory (KEYDESK_DEMO=0): the first-run path. */
export const emptyDirectoryTargets = (prefix: string) => serverDatabases(prefix, { demo: false });

/** Fails with the program's output (keys scrubbed) unless it exited 0. */
export function expectSuccess(what: string, result: RunResult): void {
  if (result.code !== 0) {
    throw new Error(
      `${what} exited ${result.code}\n--- stdout\n${scrubKeys(result.stdout)}\n--- stderr\n${scrubKeys(result.stderr)}`,
    );
  }
}

/** This process's environment without any ARIZE_* variable: some of them overwrite a client's host. */
export function withoutArizeVariables(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("ARIZE_")) delete env[name];
  return env;
}
