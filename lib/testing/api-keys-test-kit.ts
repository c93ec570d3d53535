import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { expect } from "vitest";
import { apiKeys, apiKeySecrets, auditLog } from "../db/schema";
import type { TestDatabase } from "./test-databases";
import { decodeId, encodeId } from "../domain/ids";
import type { ApiKeyCreatedJson, ApiKeyJson, ApiKeyListJson } from "../schemas/api-keys";
import type { ProblemCode } from "../schemas/common";
import type { Me } from "../schemas/directory";
import { createHarness, type ApiHarness } from "./api-harness";
import { ALL_DEMO_USERS, type DemoUser } from "./demo-viewers";

/** Shared fixtures of the keys-API suites: the demo directory, signed in, with its ids. */

export type SpaceName = "Production" | "Staging" | "Experiments";

export interface Demo {
  harness: ApiHarness;
  tokens: Record<DemoUser, string>;
  /** Public user ids. */
  userIds: Record<DemoUser, string>;
  /** Public space ids. */
  spaceIds: Record<SpaceName, string>;
}

export interface Problem {
  title: string;
  status: number;
  detail?: string;
  code?: ProblemCode;
  errors?: { field: string; message: string }[];
}

/** Generous by default so that fixtures never trip the per-caller change limit. */
/** The key object's fields in the contract, and no others (without `include=details`). */
export const KEY_FIELDS = [
  "id",
  "name",
  "description",
  "key_type",
  "status",
  "redacted_key",
  "created_at",
  "expires_at",
  "created_by_user_id",
  "last_used_at",
];

const relaxedKeys = { changesPerCaller: { limit: 100_000, windowMs: 60_000 } };

export async function setupDemo(
  database: TestDatabase,
  options: Parameters<typeof createHarness>[1] = {},
): Promise<Demo> {
  const harness = await createHarness(database, {
    ...options,
    config: { keys: relaxedKeys, ...options.config },
  });
  const tokens = {} as Record<DemoUser, string>;
  const userIds = {} as Record<DemoUser, string>;
  for (const user of ALL_DEMO_USERS) {
    tokens[user] = await harness.signIn(user);
    userIds[user] = (await meOf(harness, tokens[user])).user.id;
  }
  const spaceIds = {} as Record<SpaceName, string>;
  for (const org of (await meOf(harness, tokens.admin)).organizations) {
    for (const space of org.spaces) spaceIds[space.name as SpaceName] = space.id;
  }
  for (const name of ["Production", "Staging", "Experiments"] as const) {
    if (!spaceIds[name]) throw new Error(`demo space ${name} is missing`);
  }
  return { harness, tokens, userIds, spaceIds };
}

export async function meOf(harness: ApiHarness, token: string): Promise<Me> {
  const res = await harness.request("GET", "/v2/me", { token });
  if (res.status !== 200) throw new Error(`GET /v2/me: ${res.status} ${await res.text()}`);
  return (await res.json()) as Me;
}

/** The status GET /v2/me gives a credential: 200 while it works, 401 once it does not. */
export async function meStatus(harness: ApiHarness, token: string): Promise<number> {
  const res = await harness.request("GET", "/v2/me", { token });
  await res.arrayBuffer();
  return res.status;
}

export async function createKey(
  harness: ApiHarness,
  token: string,
  body: Record<string, unknown>,
): Promise<ApiKeyCreatedJson> {
  const res = await harness.request("POST", "/v2/api-keys", { token, body });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as ApiKeyCreatedJson;
}

export const createUserKey = (harness: ApiHarness, token: string, name = `user key ${randomUUID()}`) =>
  createKey(harness, token, { name });

export const createServiceKey = (
  harness: ApiHarness,
  token: string,
  spaceId: string,
  roles: Record<string, string> = {},
  name = `service key ${randomUUID()}`,
) => createKey(harness, token, { name, key_type: "service", space_id: spaceId, roles });

export async function refreshKey(
  harness: ApiHarness,
  token: string | undefined,
  id: string,
  body: Record<string, unknown> = {},
): Promise<Response> {
  return harness.request("POST", `/v2/api-keys/${encodeURIComponent(id)}/refresh`, { token, body });
}

export async function refreshed(
  harness: ApiHarness,
  token: string,
  id: string,
  body: Record<string, unknown> = {},
): Promise<ApiKeyCreatedJson> {
  const res = await refreshKey(harness, token, id, body);
  if (res.status !== 200) throw new Error(`refresh failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as ApiKeyCreatedJson;
}

export const revokeKey = (harness: ApiHarness, token: string | undefined, id: string) =>
  harness.request("PUT", `/v2/api-keys/${encodeURIComponent(id)}/revoke`, { token });

export async function listKeys(harness: ApiHarness, token: string, query = ""): Promise<ApiKeyListJson> {
  const res = await harness.request("GET", `/v2/api-keys${query ? `?${query}` : ""}`, { token });
  if (res.status !== 200) throw new Error(`list failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as ApiKeyListJson;
}

/** Every page of a listing, following next_cursor. */
export async function listAll(harness: ApiHarness, token: string, query = ""): Promise<ApiKeyJson[]> {
  const all: ApiKeyJson[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const q = [query, cursor ? `cursor=${encodeURIComponent(cursor)}` : ""].filter(Boolean).join("&");
    const body = await listKeys(harness, token, q);
    all.push(...body.api_keys);
    cursor = body.pagination.next_cursor;
    if (!body.pagination.has_more || !cursor) return all;
  }
  throw new Error("pagination did not end");
}

/** Asserts a problem+json answer with the contract's title, and returns its body. */
/** A problem+json answer with this status (and this stable `code`, when given). */
export async function expectProblem(res: Response, status: number, code?: ProblemCode): Promise<Problem> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(text) as Problem;
  expect(body.status).toBe(status);
  const titles: Record<number, string> = {
    400: "Invalid request parameters",
    401: "Authentication required",
    403: "Access forbidden",
    404: "Resource not found",
    409: "Resource conflict",
    429: "Rate limit exceeded",
    503: "Internal error",
  };
  if (titles[status]) expect(body.title).toBe(titles[status]);
  if (code) expect(body.code, text).toBe(code);
  return body;
}

export function uuidOf(type: "ApiKey" | "User" | "Space", id: string): string {
  const uuid = decodeId(type, id);
  if (!uuid) throw new Error(`${id} is not a ${type} id`);
  return uuid;
}

export const missingKeyId = () => encodeId("ApiKey", randomUUID());

export async function secretRows(harness: ApiHarness, keyId: string) {
  return harness.handle.db
    .select()
    .from(apiKeySecrets)
    .where(eq(apiKeySecrets.apiKeyId, uuidOf("ApiKey", keyId)));
}

export async function keyRow(harness: ApiHarness, keyId: string) {
  const [row] = await harness.handle.db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.id, uuidOf("ApiKey", keyId)));
  if (!row) throw new Error(`no api_keys row for ${keyId}`);
  return row;
}

export async function auditRows(harness: ApiHarness, keyId: string, action?: string) {
  return harness.handle.db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.targetType, "api_key"),
        eq(auditLog.targetId, uuidOf("ApiKey", keyId)),
        action ? eq(auditLog.action, action) : undefined,
      ),
    );
}
