/**
 * Property tests of the keys API's input grammar. Random and hostile names, ids, cursors, role strings,
 * dates and whole bodies never produce a 5xx; every failure is problem+json whose `status` is the HTTP
 * status; and a success happens exactly when the input is in the grammar, echoing what was asked for.
 * Each property carries an oracle that computes the expected status from the contract.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../testing/test-databases";
import { encodeId } from "../domain/ids";
import { KEY_PATTERN } from "../keys/secrets";
import type { ApiKeyCreatedJson, ApiKeyListJson } from "../schemas/api-keys";
import type { Me } from "../schemas/directory";
import { KEY_FIELDS } from "../testing/api-keys-test-kit";
import { createHarness, type ApiHarness } from "../testing/api-harness";

const NOW = "2026-06-01T00:00:00.000Z";
const noLimits = { keys: { changesPerCaller: { limit: 1_000_000, windowMs: 60_000 } } };
const RUNS = { numRuns: 60 };

const TITLES: Record<number, string> = {
  400: "Invalid request parameters",
  401: "Authentication required",
  403: "Access forbidden",
  404: "Resource not found",
  409: "Resource conflict",
  422: "Unprocessable request",
  429: "Rate limit exceeded",
};

const DETAIL_FIELDS = ["space_id", "roles", "created_by", "grace_until"];

// ── The grammar, as an oracle ───────────────────────────────────────────────────────────────────

const INVALID = Symbol("invalid");
type Parsed<T> = T | undefined | typeof INVALID;

type Role = "admin" | "member" | "read-only";
const RANK: Record<Role, number> = { admin: 3, member: 2, "read-only": 1 };
const atMost = (asked: Role, cap: Role) => RANK[asked] <= RANK[cap];

/** Names and descriptions are text PostgreSQL can store: no NUL, no lone surrogate. */
const isStorableText = (s: string) => !s.includes("\u0000") && !/\p{Cs}/u.test(s);

function parseName(value: unknown): Parsed<string> {
  if (typeof value !== "string") return INVALID;
  const trimmed = value.trim();
  return trimmed.length >= 1 && trimmed.length <= 256 && isStorableText(trimmed) ? trimmed : INVALID;
}

function parseDescription(value: unknown): Parsed<string> {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return INVALID;
  const trimmed = value.trim();
  return trimmed.length <= 1000 && isStorableText(trimmed) ? trimmed : INVALID;
}

function parseEnum<T extends string>(
  value: unknown,
  allowed: readonly T[],
  aliases: Record<string, T> = {},
): Parsed<T> {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return INVALID;
  const lower = value.trim().toLowerCase();
  const canonical = (Object.hasOwn(aliases, lower) ? aliases[lower] : undefined) ?? lower;
  return (allowed as readonly string[]).includes(canonical) ? (canonical as T) : INVALID;
}

const SCOPE_ROLES = ["admin", "member", "read-only"] as const;
const ACCOUNT_ROLES = ["admin", "member"] as const;
const ROLE_ALIASES: Record<string, Role> = { read_only: "read-only", readonly: "read-only" };

interface Roles {
  space: Role;
  org: Role;
  account: "admin" | "member";
}

function parseRoles(value: unknown): Parsed<Partial<Roles>> {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) return INVALID;
  const entries = Object.entries(value);
  if (entries.some(([k]) => !["space_role", "org_role", "account_role"].includes(k))) return INVALID;
  const record = value as Record<string, unknown>;
  const space = parseEnum(record.space_role, SCOPE_ROLES, ROLE_ALIASES);
  const org = parseEnum(record.org_role, SCOPE_ROLES, ROLE_ALIASES);
  const account = parseEnum(record.account_role, ACCOUNT_ROLES);
  if (space === INVALID || org === INVALID || account === INVALID) return INVALID;
  return { space, org, account };
}

/** A date-time input with what the server must make of it. */
interface DateCase {
  value: unknown;
  /** The instant, or INVALID for anything that is not an RFC 3339 date-time of a real calendar day. */
  expect: Date | typeof INVALID;
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

const componentDate: fc.Arbitrary<DateCase> = fc
  .record({
    year: fc.integer({ min: 1990, max: 2150 }),
    month: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 12 }), weight: 9 }, fc.constantFrom(0, 13)),
    day: fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 28 }), weight: 3 },
      fc.integer({ min: 29, max: 32 }),
    ),
    hour: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 23 }), weight: 9 }, fc.constant(24)),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.option(fc.integer({ min: 0, max: 59 }), { nil: undefined }),
    fraction: fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
    sep: fc.constantFrom("T", "t", " "),
    offset: fc.constantFrom("Z", "z", "", "+00:00", "+05:30", "-08:00", "+0130", "-1200"),
  })
  .map((p): DateCase => {
    const pad = (n: number, width = 2) => String(n).padStart(width, "0");
    const secondText = p.second === undefined ? "" : `:${pad(p.second)}${p.fraction ? `.${p.fraction}` : ""}`;
    const value = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}${p.sep}${pad(p.hour)}:${pad(p.minute)}${secondText}${p.offset}`;
    const real = p.month >= 1 && p.month <= 12 && p.day <= daysIn(p.year, p.month) && p.hour <= 23;
    if (!real) return { value, expect: INVALID };
    const sign = p.offset.startsWith("-") ? -1 : 1;
    const digits = p.offset.replace(/[^0-9]/g, "");
    const offsetMinutes = digits ? sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) : 0;
    const ms = p.second !== undefined && p.fraction ? Number(p.fraction.padEnd(3, "0").slice(0, 3)) : 0;
    const utc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second ?? 0, ms);
    return { value, expect: new Date(utc - offsetMinutes * 60_000) };
  });

const dateCase: fc.Arbitrary<DateCase> = fc.oneof(
  { arbitrary: componentDate, weight: 6 },
  { arbitrary: fc.constant<DateCase>({ value: null, expect: INVALID }), weight: 1 },
  {
    arbitrary: fc
      .oneof(fc.string({ maxLength: 40 }), fc.constantFrom("tomorrow", "2027", "2027-01-01", "1e12", ""))
      .filter((s) => !/^\d{4}-\d{2}-\d{2}[Tt ]/.test(s))
      .map((value): DateCase => ({ value, expect: INVALID })),
    weight: 2,
  },
  {
    arbitrary: fc
      .oneof(fc.integer(), fc.boolean(), fc.constant([]))
      .map((value): DateCase => ({ value, expect: INVALID })),
    weight: 1,
  },
);

/** null means "not given" for optional fields; for dates, the case's own expectation is used otherwise. */
function parseDate(c: DateCase | undefined): Parsed<Date> {
  if (c === undefined || c.value === null) return undefined;
  return c.expect;
}

// ── Arbitraries ─────────────────────────────────────────────────────────────────────────────────

/** `arb` in `percent`% of cases, otherwise undefined (the field is left out). */
const sometimes = <T>(arb: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 100 - percent }, { arbitrary: arb, weight: percent });

const text = (maxLength: number) =>
  fc.oneof(
    { arbitrary: fc.string({ maxLength }), weight: 4 },
    { arbitrary: fc.string({ unit: "grapheme", maxLength: Math.min(maxLength, 60) }), weight: 2 },
    { arbitrary: fc.string({ unit: "binary", maxLength: 20 }), weight: 1 },
    {
      arbitrary: fc.constantFrom("", " ", "\t\n", "\u00a0\u2003", "a\u0000b", "\ud800", "x\udfffy"),
      weight: 1,
    },
  );

const nameArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.string({ minLength: 1, maxLength: 40 }), weight: 10 },
  { arbitrary: text(40), weight: 4 },
  { arbitrary: fc.integer({ min: 250, max: 262 }).map((n) => `  ${"n".repeat(n)}  `), weight: 1 },
  { arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string())), weight: 1 },
);

const descriptionArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: text(40), weight: 4 },
  { arbitrary: fc.integer({ min: 995, max: 1005 }).map((n) => ` ${"d".repeat(n)} `), weight: 1 },
  {
    arbitrary: fc.oneof(fc.constant(null), fc.integer(), fc.dictionary(fc.string(), fc.string())),
    weight: 1,
  },
);

const roleStringArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      "admin",
      "member",
      "read-only",
      "read_only",
      "READONLY",
      "Admin",
      " member ",
      "owner",
      "",
      "read only",
    ),
    weight: 6,
  },
  // Hostile: names every object inherits, NUL and lone surrogates.
  {
    arbitrary: fc.constantFrom("constructor", "__proto__", "admin\u0000", "\u0000", "\ud800", "member\udfff"),
    weight: 1,
  },
  { arbitrary: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null)), weight: 1 },
);

const rolesArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc.record(
      { space_role: roleStringArb, org_role: roleStringArb, account_role: roleStringArb },
      { requiredKeys: [] },
    ),
    weight: 6,
  },
  { arbitrary: fc.constant({ space_role: "member", is_admin: true }), weight: 1 },
  { arbitrary: fc.oneof(fc.constant(null), fc.constant("admin"), fc.constant(["admin"])), weight: 1 },
);

const keyTypeArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom("user", "service", "service", "USER", " Service ", "bot", ""), weight: 6 },
  { arbitrary: fc.constantFrom("constructor", "__proto__", "user\u0000", "\ud800"), weight: 1 },
  { arbitrary: fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null)), weight: 1 },
);

/** Path or query garbage that can always be URL-encoded (no lone surrogates). */
const garbageArb = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary-ascii", maxLength: 20 }),
  fc.constantFrom("%", "%00", "../..", "a/b", "QXBpS2V5Og==", "null", "undefined"),
  fc.integer({ min: 195, max: 260 }).map((n) => "A".repeat(n)),
);

// ── The suite ───────────────────────────────────────────────────────────────────────────────────

type Caller = "admin" | "member";

interface CallerInfo {
  token: string;
  userId: string;
  accountRole: "admin" | "member";
  /** Effective roles per space name, and of the space's organization. */
  spaces: Record<string, { space: Role; org: Role }>;
}

const SPACE_ORG: Record<string, string> = {
  Production: "Platform",
  Staging: "Platform",
  Experiments: "Research",
};

describe.each(testDatabases())("keys API input grammar ($name)", (database) => {
  let h: ApiHarness;
  const callers = {} as Record<Caller, CallerInfo>;
  const spaceIds: Record<string, string> = {};
  const pool = { adminActive: "", adminRevoked: "", memberKey: "", serviceKey: "" };
  /** The newest secret of each pool key, to check what a refresh does to it. */
  const latestSecret = new Map<string, string>();
  let validCursor = "";

  /** Any answer: never a 5xx; non-2xx answers are problem+json with the contract's title and status. */
  async function wellFormed(res: Response): Promise<unknown> {
    expect(res.status, await res.clone().text()).toBeLessThan(500);
    const text = await res.text();
    if (res.status >= 200 && res.status < 300) {
      if (res.status === 204) {
        expect(text).toBe("");
        return undefined;
      }
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      return JSON.parse(text);
    }
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(text) as { status: unknown; title: unknown; detail?: unknown };
    expect(body.status).toBe(res.status);
    expect(body.title).toBe(TITLES[res.status] ?? "Request failed");
    return body;
  }

  async function me(credential: string): Promise<Response> {
    return h.request("GET", "/v2/me", { token: credential });
  }

  async function createKey(caller: Caller, body: Record<string, unknown>): Promise<ApiKeyCreatedJson> {
    const res = await h.request("POST", "/v2/api-keys", { token: callers[caller].token, body });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as ApiKeyCreatedJson;
  }

  /** The key object's fields without the one-time secret. */
  function withoutSecret(key: ApiKeyCreatedJson): Record<string, unknown> {
    const rest: Record<string, unknown> = { ...key };
    delete rest.key;
    return rest;
  }

  function expectKeyShape(key: Record<string, unknown>, allowDetails: boolean) {
    const allowed = allowDetails ? [...KEY_FIELDS, ...DETAIL_FIELDS] : KEY_FIELDS;
    for (const field of Object.keys(key)) expect(allowed).toContain(field);
    for (const value of Object.values(key)) expect(value).not.toBeNull();
  }

  beforeAll(async () => {
    h = await createHarness(database, { config: noLimits, now: NOW });
    for (const caller of ["admin", "member"] as const) {
      const token = await h.signIn(caller);
      const body = (await (await me(token)).json()) as Me;
      const spaces: CallerInfo["spaces"] = {};
      for (const org of body.organizations)
        for (const space of org.spaces) {
          spaces[space.name] = { space: space.role, org: org.role };
          spaceIds[space.name] = space.id;
        }
      callers[caller] = { token, userId: body.user.id, accountRole: body.account_role, spaces };
    }
    // The demo directory, as the contract describes it.
    expect(callers.member.spaces).toEqual({
      Production: { space: "member", org: "member" },
      Staging: { space: "admin", org: "member" },
      Experiments: { space: "read-only", org: "read-only" },
    });
    expect(Object.keys(spaceIds).sort()).toEqual(["Experiments", "Production", "Staging"]);

    const active = await createKey("admin", { name: "pool active" });
    pool.adminActive = active.id;
    latestSecret.set(active.id, active.key);
    pool.adminRevoked = (await createKey("admin", { name: "pool revoked" })).id;
    const revoked = await h.request("PUT", `/v2/api-keys/${encodeURIComponent(pool.adminRevoked)}/revoke`, {
      token: callers.admin.token,
    });
    expect(revoked.status).toBe(204);
    const memberKey = await createKey("member", { name: "pool member" });
    pool.memberKey = memberKey.id;
    latestSecret.set(memberKey.id, memberKey.key);
    // Above Max's own organization role: Max may manage it (Staging admin) but never rotate it.
    const service = await createKey("admin", {
      name: "pool service",
      key_type: "service",
      space_id: spaceIds.Staging,
      roles: { space_role: "member", org_role: "admin", account_role: "member" },
    });
    pool.serviceKey = service.id;
    latestSecret.set(service.id, service.key);
    await createKey("admin", { name: "pool spare" });
    const first = (await (
      await h.request("GET", "/v2/api-keys?limit=1", { token: callers.admin.token })
    ).json()) as ApiKeyListJson;
    validCursor = first.pagination.next_cursor ?? "";
    expect(validCursor).not.toBe("");
  });
  afterAll(() => h.close());

  it("POST /v2/api-keys: 201 exactly for bodies in the grammar, echoing them; never a 5xx", async () => {
    const spaceArb = fc.oneof(
      {
        arbitrary: fc.constantFrom("Production", "Staging", "Experiments").map((n) => spaceIds[n]),
        weight: 6,
      },
      { arbitrary: fc.uuid({ version: 4 }).map((u) => encodeId("Space", u)), weight: 1 },
      { arbitrary: fc.uuid({ version: 4 }).map((u) => encodeId("ApiKey", u)), weight: 1 },
      { arbitrary: fc.oneof(garbageArb, fc.constant(null), fc.integer()), weight: 1 },
    );
    const spec = fc
      .record({
        caller: fc.constantFrom<Caller>("admin", "member"),
        name: sometimes(nameArb, 95),
        description: sometimes(descriptionArb, 30),
        service: fc.boolean(),
        key_type: sometimes(keyTypeArb, 25),
        expires_at: sometimes(dateCase, 40),
        space_id: sometimes(spaceArb, 50),
        roles: sometimes(rolesArb, 50),
        extra: sometimes(fc.constantFrom("key", "user_id", "created_by_user_id", "status"), 5),
      })
      // Mostly coherent bodies (a service key with a space, a user key without), so that successes are common.
      .map((s) =>
        s.service
          ? { ...s, key_type: s.key_type ?? "service", space_id: s.space_id ?? spaceIds.Production }
          : s.key_type === undefined
            ? { ...s, space_id: undefined, roles: undefined }
            : s,
      );

    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const body: Record<string, unknown> = {};
        if (s.name !== undefined) body.name = s.name;
        if (s.description !== undefined) body.description = s.description;
        if (s.key_type !== undefined) body.key_type = s.key_type;
        if (s.expires_at !== undefined) body.expires_at = s.expires_at.value;
        if (s.space_id !== undefined) body.space_id = s.space_id;
        if (s.roles !== undefined) body.roles = s.roles;
        if (s.extra !== undefined) body[s.extra] = "x";

        // The oracle.
        const name = parseName(body.name);
        const description = parseDescription(body.description);
        const keyType = parseEnum(body.key_type, ["user", "service"] as const) ?? "user";
        const expires = parseDate(s.expires_at);
        const spaceId =
          body.space_id === undefined || body.space_id === null
            ? undefined
            : typeof body.space_id === "string" && body.space_id.length <= 200
              ? body.space_id
              : INVALID;
        const roles = parseRoles(body.roles);
        const schemaOk =
          name !== INVALID &&
          description !== INVALID &&
          keyType !== INVALID &&
          expires !== INVALID &&
          spaceId !== INVALID &&
          roles !== INVALID &&
          s.extra === undefined &&
          (keyType === "user" ? spaceId === undefined && roles === undefined : !!spaceId);

        const caller = callers[s.caller];
        const expiresAt = expires instanceof Date ? expires : undefined;
        let expected: number;
        let granted: Roles | undefined;
        let spaceName: string | undefined;
        if (!schemaOk) expected = 400;
        else if (keyType === "service") {
          spaceName = Object.keys(spaceIds).find((n) => spaceIds[n] === spaceId);
          const caps = spaceName ? caller.spaces[spaceName] : undefined;
          const asked: Roles = {
            space: roles?.space ?? "member",
            org: roles?.org ?? "read-only",
            account: roles?.account ?? "member",
          };
          granted = asked;
          if (!caps) expected = 404;
          else if (caps.space === "read-only") expected = 403;
          else if (
            !atMost(asked.space, caps.space) ||
            !atMost(asked.org, caps.org) ||
            (asked.account === "admin" && caller.accountRole !== "admin")
          )
            expected = 400;
          else expected = expiresAt && expiresAt.getTime() <= h.clock.now().getTime() ? 400 : 201;
        } else expected = expiresAt && expiresAt.getTime() <= h.clock.now().getTime() ? 400 : 201;

        const res = await h.request("POST", "/v2/api-keys", { token: caller.token, body });
        const answer = await wellFormed(res);
        expect({ status: res.status, body }).toEqual({ status: expected, body });
        if (res.status !== 201) return;

        const key = answer as ApiKeyCreatedJson;
        expect(res.headers.get("cache-control")).toBe("no-store");
        expectKeyShape(withoutSecret(key), false);
        expect(key.key).toMatch(KEY_PATTERN);
        expect(key).toEqual({
          id: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) as unknown,
          name,
          ...(description ? { description } : {}),
          key_type: keyType,
          status: "active",
          redacted_key: `${key.key.slice(0, 6)}...${key.key.slice(-3)}`,
          created_at: NOW,
          ...(expiresAt ? { expires_at: expiresAt.toISOString() } : {}),
          created_by_user_id: caller.userId,
          key: key.key,
        });
        expect(Buffer.from(key.id, "base64").toString("utf8")).toMatch(/^ApiKey:[0-9a-f-]{36}$/);

        // The key works, and a service key's bot holds exactly the roles asked for.
        const who = await me(key.key);
        expect(who.status).toBe(200);
        const identity = (await who.json()) as Me;
        if (keyType === "user") {
          expect(identity.user.id).toBe(caller.userId);
          expect(identity.credential).toEqual({ type: "user_key", api_key_id: key.id });
        } else if (granted && spaceName) {
          expect(identity.user.kind).toBe("bot");
          expect(identity.user.name).toBe(name);
          expect(identity.account_role).toBe(granted.account);
          const orgRole: Role = granted.account === "admin" ? "admin" : granted.org;
          const spaceRole: Role = orgRole === "admin" ? "admin" : granted.space;
          const org = identity.organizations.find((o) => o.name === SPACE_ORG[spaceName ?? ""]);
          expect(org?.role).toBe(orgRole);
          expect(org?.spaces.find((sp) => sp.name === spaceName)?.role).toBe(spaceRole);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("POST /v2/api-keys/{id}/refresh: 200 exactly for a visible, refreshable key and a valid body", async () => {
    type Target = keyof typeof pool | "random" | "space id" | "garbage";
    const spec = fc.record({
      caller: fc.constantFrom<Caller>("admin", "member"),
      target: fc.constantFrom<Target>(
        "adminActive",
        "adminActive",
        "adminRevoked",
        "memberKey",
        "memberKey",
        "serviceKey",
        "random",
        "space id",
        "garbage",
      ),
      garbage: garbageArb,
      body: fc.oneof(
        { arbitrary: fc.constant({ kind: "absent" as const }), weight: 1 },
        {
          arbitrary: fc
            .string({ maxLength: 20 })
            .map((s) => `{${s}`)
            .filter((s) => {
              try {
                JSON.parse(s);
                return false;
              } catch {
                return true;
              }
            })
            .map((raw) => ({ kind: "raw" as const, raw })),
          weight: 1,
        },
        {
          arbitrary: fc
            .record({
              expires_at: sometimes(dateCase, 50),
              grace_period_seconds: sometimes(
                fc.oneof(
                  { arbitrary: fc.integer({ min: 0, max: 86_400 }), weight: 4 },
                  {
                    arbitrary: fc.constantFrom(0, 1, 86_400, 86_401, -1, 0.5, 1e21, null, "60", true),
                    weight: 2,
                  },
                  { arbitrary: fc.integer(), weight: 1 },
                ),
                70,
              ),
              extra: sometimes(fc.constant(true), 5),
            })
            .map((fields) => ({ kind: "json" as const, fields })),
          weight: 6,
        },
      ),
    });

    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const id =
          s.target === "random"
            ? encodeId("ApiKey", randomUUID())
            : s.target === "space id"
              ? (spaceIds.Production ?? "")
              : s.target === "garbage"
                ? s.garbage
                : pool[s.target];
        const caller = callers[s.caller];

        let bodyOk = true;
        let expires: Date | undefined;
        let grace = 0;
        let requestBody: unknown = undefined;
        if (s.body.kind === "raw") {
          bodyOk = false;
          requestBody = s.body.raw;
        } else if (s.body.kind === "json") {
          const f = s.body.fields;
          const json: Record<string, unknown> = {};
          if (f.expires_at !== undefined) json.expires_at = f.expires_at.value;
          if (f.grace_period_seconds !== undefined) json.grace_period_seconds = f.grace_period_seconds;
          if (f.extra !== undefined) json.extra = f.extra;
          requestBody = json;
          const parsed = parseDate(f.expires_at);
          const g = f.grace_period_seconds;
          const graceOk =
            g === undefined ||
            g === null ||
            (typeof g === "number" && Number.isInteger(g) && g >= 0 && g <= 86_400);
          bodyOk = parsed !== INVALID && graceOk && f.extra === undefined;
          if (parsed !== INVALID) expires = parsed;
          if (typeof g === "number") grace = g;
        }

        const table: Record<Caller, Partial<Record<Target, number>>> = {
          admin: { adminActive: 200, adminRevoked: 409, memberKey: 403, serviceKey: 200 },
          member: { adminActive: 404, adminRevoked: 404, memberKey: 200, serviceKey: 403 },
        };
        let expected: number;
        if (id.length > 200 || !bodyOk) expected = 400;
        else {
          expected = table[s.caller][s.target] ?? 404;
          if (
            (expected === 200 || expected === 409) &&
            expires &&
            expires.getTime() <= h.clock.now().getTime()
          )
            expected = 400;
        }
        if (id === "") expected = 404; // no such route

        const res = await h.request("POST", `/v2/api-keys/${encodeURIComponent(id)}/refresh`, {
          token: caller.token,
          body: requestBody,
        });
        const answer = await wellFormed(res);
        expect({ status: res.status, id, requestBody }).toEqual({ status: expected, id, requestBody });
        if (res.status !== 200) return;

        const key = answer as ApiKeyCreatedJson;
        expect(res.headers.get("cache-control")).toBe("no-store");
        expect(key.id).toBe(id);
        expect(key.key).toMatch(KEY_PATTERN);
        expect(key.redacted_key).toBe(`${key.key.slice(0, 6)}...${key.key.slice(-3)}`);
        expect(key.expires_at).toBe(expires?.toISOString());
        expectKeyShape(withoutSecret(key), false);
        const previous = latestSecret.get(id);
        latestSecret.set(id, key.key);
        expect(previous).toBeDefined();
        expect(key.key).not.toBe(previous);
        expect((await me(key.key)).status).toBe(200);
        // The previous secret lives on only with a grace period (the clock does not move here).
        if (previous) expect((await me(previous)).status).toBe(grace > 0 ? 200 : 401);
      }),
      RUNS,
    );
  });

  it("PUT …/revoke and DELETE …: 204 exactly for keys the caller may revoke; the key is dead after", async () => {
    type Target = "own" | "other's" | "revoked" | "random" | "garbage";
    const spec = fc.record({
      verb: fc.constantFrom("PUT", "DELETE"),
      caller: fc.constantFrom<Caller>("admin", "member"),
      target: fc.constantFrom<Target>("own", "own", "other's", "revoked", "random", "garbage"),
      garbage: garbageArb,
      body: fc.option(fc.jsonValue(), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const other: Caller = s.caller === "admin" ? "member" : "admin";
        let id: string;
        let secret: string | undefined;
        let expected: number;
        if (s.target === "own" || s.target === "other's" || s.target === "revoked") {
          const created = await createKey(s.target === "other's" ? other : s.caller, {
            name: `revoke ${s.target}`,
          });
          id = created.id;
          secret = created.key;
          if (s.target === "revoked") {
            const first = await h.request("DELETE", `/v2/api-keys/${encodeURIComponent(id)}`, {
              token: callers[s.caller].token,
            });
            expect(first.status).toBe(204);
          }
          // An account admin may revoke anyone's user key; a member cannot even see the admin's.
          expected = s.target === "other's" && s.caller === "member" ? 404 : 204;
        } else if (s.target === "random") {
          id = encodeId("ApiKey", randomUUID());
          expected = 404;
        } else {
          id = s.garbage;
          expected = id.length > 200 ? 400 : 404;
        }
        const path =
          s.verb === "PUT"
            ? `/v2/api-keys/${encodeURIComponent(id)}/revoke`
            : `/v2/api-keys/${encodeURIComponent(id)}`;
        if (s.verb === "DELETE" && id === "") expected = 404; // DELETE /v2/api-keys/ is no route
        const res = await h.request(s.verb, path, { token: callers[s.caller].token, body: s.body });
        await wellFormed(res);
        expect({ status: res.status, id }).toEqual({ status: expected, id });
        if (secret) expect((await me(secret)).status).toBe(expected === 204 ? 401 : 200);
      }),
      RUNS,
    );
  });

  it("GET /v2/api-keys: 200 exactly for query strings in the grammar, honouring every filter", async () => {
    const value = <T>(arb: fc.Arbitrary<T>) => sometimes(arb, 35);
    const spec = fc.record({
      caller: fc.constantFrom<Caller>("admin", "member"),
      key_type: value(
        fc.oneof(fc.constantFrom("user", "service", "SERVICE", " user ", "bot", ""), garbageArb),
      ),
      status: value(
        fc.oneof(fc.constantFrom("active", "revoked", "deleted", "Revoked", "gone", ""), garbageArb),
      ),
      space_id: value(
        fc.oneof(
          fc.constantFrom("Production", "Staging", "Experiments").map((n) => spaceIds[n] ?? ""),
          fc.uuid({ version: 4 }).map((u) => encodeId("Space", u)),
          garbageArb,
        ),
      ),
      user_id: value(
        fc.oneof(
          fc.constantFrom<Caller>("admin", "member").map((c) => callers[c].userId),
          fc.uuid({ version: 4 }).map((u) => encodeId("User", u)),
          garbageArb,
        ),
      ),
      limit: value(
        fc.oneof(
          fc.integer({ min: -5, max: 150 }).map(String),
          fc.constantFrom("", "abc", "2.5", "ten", "-0.5", "1,5"),
        ),
      ),
      cursor: value(
        fc.oneof(
          fc.constant(validCursor),
          fc.constant(`${validCursor}x`),
          fc.constant(validCursor.slice(0, -2)),
          garbageArb,
        ),
      ),
      include: value(fc.constantFrom("details", "Details", "DETAILS", "detail", "", "roles")),
      name: value(text(20)),
      unknown: value(fc.string({ maxLength: 10 })),
    });

    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        // URLSearchParams cannot carry lone surrogates; skip those (the body properties cover them).
        fc.pre(s.name === undefined || !/\p{Cs}/u.test(s.name));
        const params = new URLSearchParams();
        for (const field of [
          "key_type",
          "status",
          "space_id",
          "user_id",
          "limit",
          "cursor",
          "include",
          "name",
        ] as const) {
          const v = s[field];
          if (v !== undefined) params.set(field, v);
        }
        if (s.unknown !== undefined) params.set("sort", s.unknown);
        const caller = callers[s.caller];

        const keyType = parseEnum(s.key_type, ["user", "service"] as const);
        const status = parseEnum(s.status, ["active", "revoked"] as const, { deleted: "revoked" });
        const limit = s.limit === undefined ? 50 : /^-?\d+$/.test(s.limit) ? Number(s.limit) : NaN;
        const include = parseEnum(s.include, ["details"] as const);
        const schemaOk =
          keyType !== INVALID &&
          status !== INVALID &&
          (s.space_id ?? "").length <= 200 &&
          (s.user_id ?? "").length <= 200 &&
          Number.isInteger(limit) &&
          limit >= 1 &&
          limit <= 100 &&
          (s.cursor ?? "").length <= 200 &&
          include !== INVALID &&
          (s.name === undefined || (s.name.length <= 256 && isStorableText(s.name)));
        const spaceName =
          s.space_id === undefined
            ? undefined
            : Object.keys(spaceIds).find((n) => spaceIds[n] === s.space_id);

        let expected: number;
        if (!schemaOk) expected = 400;
        // An empty cursor is no cursor.
        else if (s.cursor !== undefined && s.cursor !== "" && s.cursor !== validCursor) expected = 400;
        else if (s.space_id !== undefined) {
          if (keyType === "user") expected = 400;
          else expected = spaceName && caller.spaces[spaceName] ? 200 : 404;
        } else if (s.user_id !== undefined && s.user_id !== caller.userId && caller.accountRole !== "admin")
          expected = 403;
        else expected = 200;

        const res = await h.request("GET", `/v2/api-keys?${params.toString()}`, { token: caller.token });
        const answer = await wellFormed(res);
        expect({ status: res.status, query: params.toString() }).toEqual({
          status: expected,
          query: params.toString(),
        });
        if (res.status !== 200) return;

        const list = answer as ApiKeyListJson;
        expect(Object.keys(list).sort()).toEqual(["api_keys", "pagination"]);
        expect(list.api_keys.length).toBeLessThanOrEqual(limit);
        expect(list.pagination.has_more).toBe(list.pagination.next_cursor !== undefined);
        for (const key of list.api_keys) {
          expectKeyShape(key, include === "details");
          expect(key).not.toHaveProperty("key");
          expect(key.status).toBe(status ?? "active");
          const type = s.space_id !== undefined ? "service" : (keyType ?? "user");
          expect(key.key_type).toBe(type);
          if (s.name !== undefined && /^[\x20-\x7e]*$/.test(s.name))
            expect(key.name.toLowerCase()).toContain(s.name.toLowerCase());
          if (include === "details") expect(key.created_by).toBeDefined();
        }
      }),
      { numRuns: 100 },
    );
  });

  it("any JSON or non-JSON body, any content type: never a 5xx, always problem+json on failure", async () => {
    const bodies = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .dictionary(
          fc.constantFrom("name", "key_type", "space_id", "roles", "expires_at", "x"),
          fc.jsonValue(),
        )
        .map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 40 }),
      fc.constant(""),
    );
    const spec = fc.record({
      route: fc.constantFrom("create", "refresh"),
      body: bodies,
      contentType: fc.constantFrom(
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "",
        "application/x-www-form-urlencoded",
      ),
    });
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const path =
          s.route === "create"
            ? "/v2/api-keys"
            : `/v2/api-keys/${encodeURIComponent(pool.adminActive)}/refresh`;
        const headers: Record<string, string> = s.contentType ? { "content-type": s.contentType } : {};
        const res = await h.request("POST", path, { token: callers.admin.token, body: s.body, headers });
        const answer = await wellFormed(res);
        if (res.status === 201 || res.status === 200) {
          const key = answer as ApiKeyCreatedJson;
          expect(key.key).toMatch(KEY_PATTERN);
          if (res.status === 200) latestSecret.set(pool.adminActive, key.key);
          if (s.route === "create") {
            const sent = JSON.parse(s.body) as { name?: unknown };
            expect(key.name).toBe(parseName(sent.name));
          }
        }
      }),
      RUNS,
    );
  });
});
