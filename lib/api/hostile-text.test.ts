/**
 * Hostile text in every text field of the directory and keys endpoints: a NUL character (which
 * PostgreSQL's text and jsonb refuse) or a lone surrogate (which has no UTF-8 form) is a 400
 * `invalid_request` naming the field — never a 500, on PGlite and PostgreSQL. Ids, tokens and
 * passwords with such text are simply not found or wrong (4xx). Any other text never yields a 5xx.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSessionPolicy } from "../auth/sessions";
import { createHarness, type ApiHarness } from "../testing/api-harness";
import { testDatabases } from "../testing/test-databases";

const isStorable = (s: string) => !s.includes("\u0000") && !/\p{Cs}/u.test(s);

/** Hostile text: NULs and lone surrogates, alone or inside ordinary text, and random text. */
const hostile = fc.oneof(
  fc.constantFrom("\u0000", "\ud800", "\udfff", "a\u0000b", "x\ud800y", "\udc00\ud800", "😀\ud83d"),
  fc
    .tuple(fc.string({ maxLength: 20 }), fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00"), fc.string())
    .map(([a, bad, b]) => `${a}${bad}${b}`),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ maxLength: 40 }),
);

interface Fixture {
  token: string;
  organizationId: string;
  spaceId: string;
  userId: string;
}

interface Problem {
  status: number;
  code?: string;
  errors?: { field: string; message: string }[];
}

/**
 * One text field of one operation. `expect`: `field` — hostile text is a 400 naming `name` (a field
 * of the body, or a query parameter); `any4xx` — ids, tokens, passwords: only never a 5xx.
 */
interface Target {
  label: string;
  expect: "field" | "any4xx";
  name: string;
  send(h: ApiHarness, f: Fixture, text: string): Promise<Response>;
}

/** Text in a URL goes as UTF-8, as every client sends it: a lone surrogate becomes U+FFFD. */
const wellFormed = (s: string) => s.replace(/\p{Cs}/gu, "\ufffd");
const q = (s: string) => encodeURIComponent(wellFormed(s));
const body =
  (method: string, path: (f: Fixture) => string, make: (text: string, f: Fixture) => unknown, auth = true) =>
  (h: ApiHarness, f: Fixture, text: string) =>
    h.request(method, path(f), { token: auth ? f.token : undefined, body: make(text, f) });
const query =
  (path: string, param: string, extra = "") =>
  (h: ApiHarness, f: Fixture, text: string) =>
    h.request("GET", `${path}?${param}=${q(text)}${extra}`, { token: f.token });

const unique = () => randomUUID().slice(0, 8);
const person = (over: Record<string, unknown>) => ({
  name: `Person ${unique()}`,
  email: `${randomUUID()}@example.com`,
  role: "member",
  invite_mode: "NONE",
  ...over,
});

const TARGETS: Target[] = [
  // Users
  ...(["name", "email"] as const).map((name): Target => ({
    label: `POST /v2/users ${name}`,
    expect: "field",
    name,
    send: body(
      "POST",
      () => "/v2/users",
      (t) => person({ [name]: name === "email" ? `${t}@example.com` : t }),
    ),
  })),
  {
    label: "POST /v2/users email (the text alone)",
    expect: "field",
    name: "email",
    send: body(
      "POST",
      () => "/v2/users",
      (t) => person({ email: t }),
    ),
  },
  {
    label: "POST /v2/users role",
    expect: "field",
    name: "role",
    send: body(
      "POST",
      () => "/v2/users",
      (t) => person({ role: t }),
    ),
  },
  {
    label: "PATCH /v2/users/{id} name",
    expect: "field",
    name: "name",
    send: body(
      "PATCH",
      (f) => `/v2/users/${q(f.userId)}`,
      (t) => ({ name: t }),
    ),
  },
  { label: "GET /v2/users?email", expect: "field", name: "email", send: query("/v2/users", "email") },
  { label: "GET /v2/users?search", expect: "field", name: "search", send: query("/v2/users", "search") },
  { label: "GET /v2/users?cursor", expect: "field", name: "cursor", send: query("/v2/users", "cursor") },
  {
    label: "GET /v2/users/{id}",
    expect: "any4xx",
    name: "id",
    send: (h, f, t) => h.request("GET", `/v2/users/${q(t)}`, { token: f.token }),
  },
  // Organizations and spaces
  ...(["name", "description"] as const).flatMap((name): Target[] => [
    {
      label: `POST /v2/organizations ${name}`,
      expect: "field",
      name,
      send: body(
        "POST",
        () => "/v2/organizations",
        (t) => ({ name: `Org ${unique()}`, [name]: t }),
      ),
    },
    {
      label: `PATCH /v2/organizations/{id} ${name}`,
      expect: "field",
      name,
      send: body(
        "PATCH",
        (f) => `/v2/organizations/${q(f.organizationId)}`,
        (t) => ({ [name]: t }),
      ),
    },
    {
      label: `POST /v2/spaces ${name}`,
      expect: "field",
      name,
      send: body(
        "POST",
        () => "/v2/spaces",
        (t, f) => ({ name: `Space ${unique()}`, organization_id: f.organizationId, [name]: t }),
      ),
    },
    {
      label: `PATCH /v2/spaces/{id} ${name}`,
      expect: "field",
      name,
      send: body(
        "PATCH",
        (f) => `/v2/spaces/${q(f.spaceId)}`,
        (t) => ({ [name]: t }),
      ),
    },
  ]),
  {
    label: "POST /v2/spaces organization_id",
    expect: "any4xx",
    name: "organization_id",
    send: body(
      "POST",
      () => "/v2/spaces",
      (t) => ({ name: `Space ${unique()}`, organization_id: t }),
    ),
  },
  {
    label: "GET /v2/organizations?name",
    expect: "field",
    name: "name",
    send: query("/v2/organizations", "name"),
  },
  { label: "GET /v2/spaces?name", expect: "field", name: "name", send: query("/v2/spaces", "name") },
  { label: "GET /v2/spaces?org_id", expect: "any4xx", name: "org_id", send: query("/v2/spaces", "org_id") },
  { label: "GET /v2/spaces?cursor", expect: "field", name: "cursor", send: query("/v2/spaces", "cursor") },
  ...(["organizations", "spaces"] as const).flatMap((scope): Target[] => {
    const id = (f: Fixture) => (scope === "organizations" ? f.organizationId : f.spaceId);
    return [
      {
        label: `POST /v2/${scope}/{id}/users user_id`,
        expect: "any4xx",
        name: "user_id",
        send: body(
          "POST",
          (f) => `/v2/${scope}/${q(id(f))}/users`,
          (t) => ({ user_id: t, role: "member" }),
        ),
      },
      {
        label: `POST /v2/${scope}/{id}/users role`,
        expect: "field",
        name: "role",
        send: body(
          "POST",
          (f) => `/v2/${scope}/${q(id(f))}/users`,
          (t, f) => ({ user_id: f.userId, role: t }),
        ),
      },
      {
        label: `GET /v2/${scope}/{id}/users?cursor`,
        expect: "field",
        name: "cursor",
        send: (h, f, t) =>
          h.request("GET", `/v2/${scope}/${q(id(f))}/users?cursor=${q(t)}`, { token: f.token }),
      },
    ];
  }),
  // API keys
  ...(["name", "description"] as const).map((name): Target => ({
    label: `POST /v2/api-keys ${name}`,
    expect: "field",
    name,
    send: body(
      "POST",
      () => "/v2/api-keys",
      (t) => ({ name: `Key ${unique()}`, [name]: t }),
    ),
  })),
  {
    label: "POST /v2/api-keys space_id",
    expect: "any4xx",
    name: "space_id",
    send: body(
      "POST",
      () => "/v2/api-keys",
      (t) => ({ name: `Key ${unique()}`, key_type: "service", space_id: t }),
    ),
  },
  { label: "GET /v2/api-keys?name", expect: "field", name: "name", send: query("/v2/api-keys", "name") },
  {
    label: "GET /v2/api-keys?cursor",
    expect: "field",
    name: "cursor",
    send: query("/v2/api-keys", "cursor"),
  },
  {
    label: "GET /v2/api-keys?user_id",
    expect: "any4xx",
    name: "user_id",
    send: query("/v2/api-keys", "user_id"),
  },
  {
    label: "GET /v2/audit-logs?user_id",
    expect: "any4xx",
    name: "user_id",
    send: query("/v2/audit-logs", "user_id"),
  },
  // Sessions, first run and invitations
  {
    label: "POST /v2/sessions email",
    expect: "field",
    name: "email",
    send: body(
      "POST",
      () => "/v2/sessions",
      (t) => ({ email: t, password: "not the password" }),
      false,
    ),
  },
  {
    label: "POST /v2/sessions password",
    expect: "any4xx",
    name: "password",
    send: body(
      "POST",
      () => "/v2/sessions",
      (t) => ({ email: "nobody@example.com", password: t }),
      false,
    ),
  },
  {
    label: "POST /v2/setup account_name",
    expect: "field",
    name: "account_name",
    send: body(
      "POST",
      () => "/v2/setup",
      (t) => ({ token: "x", account_name: t, name: "A", email: "a@example.com", password: "p".repeat(12) }),
      false,
    ),
  },
  {
    label: "GET /v2/invitations/{token}",
    expect: "any4xx",
    name: "token",
    send: (h, _f, t) => h.request("GET", `/v2/invitations/${q(t)}`),
  },
  {
    label: "POST /v2/invitations/{token} name",
    expect: "field",
    name: "name",
    send: body(
      "POST",
      () => `/v2/invitations/${"A".repeat(43)}`,
      (t) => ({ name: t, password: "p".repeat(12) }),
      false,
    ),
  },
  {
    label: "POST /v2/password-resets email",
    expect: "field",
    name: "email",
    send: body(
      "POST",
      () => "/v2/password-resets",
      (t) => ({ email: t }),
      false,
    ),
  },
];

describe.each(testDatabases())("hostile text never becomes a 500 ($name)", (database) => {
  let harness: ApiHarness;
  const f = {} as Fixture;
  beforeAll(async () => {
    harness = await createHarness(database, {
      config: {
        keys: { changesPerCaller: { limit: 1_000_000, windowMs: 60_000 } },
        sessions: {
          ...defaultSessionPolicy,
          perAccountAndClient: { ...defaultSessionPolicy.perAccountAndClient, freeFailures: 100_000 },
          perClient: { ...defaultSessionPolicy.perClient, freeFailures: 100_000 },
        },
      },
    });
    f.token = await harness.signIn("admin");
    const me = (await (await harness.request("GET", "/v2/me", { token: f.token })).json()) as {
      organizations: { id: string; spaces: { id: string }[] }[];
    };
    const org = me.organizations[0];
    f.organizationId = org?.id ?? "";
    f.spaceId = org?.spaces[0]?.id ?? "";
    const created = await harness.request("POST", "/v2/users", { token: f.token, body: person({}) });
    f.userId = ((await created.json()) as { id: string }).id;
  });
  afterAll(() => harness.close());

  /** The expectation for one request: never a 5xx; hostile text in a checked field is a 400 on it. */
  async function check(target: Target, text: string, res: Response): Promise<void> {
    const raw = await res.text();
    const where = `${target.label} ${JSON.stringify(text)} → ${res.status} ${raw}`;
    expect(res.status, where).toBeLessThan(500);
    const sent = target.label.startsWith("GET ") ? wellFormed(text) : text;
    if (target.expect !== "field" || isStorable(sent)) return;
    expect(res.status, where).toBe(400);
    const problem = JSON.parse(raw) as Problem;
    expect(problem.code, where).toBe("invalid_request");
    expect(
      problem.errors?.some((e) => e.field === target.name || e.field.startsWith(`${target.name}.`)),
      where,
    ).toBe(true);
  }

  it.each(TARGETS.map((t) => [t.label, t] as const))(
    "%s: NUL and lone surrogates are a 400 on the field",
    async (_label, target) => {
      for (const text of ["\u0000", "a\u0000b", "\ud800", "x\udfffy", "\udc00\ud800"]) {
        await check(target, text, await target.send(harness, f, text));
      }
    },
  );

  it.each([
    "/v2/users?email=",
    "/v2/users?search=",
    "/v2/spaces?name=",
    "/v2/organizations?name=",
    "/v2/api-keys?name=",
    "/v2/api-keys?cursor=",
    "/v2/users/",
    "/v2/invitations/",
  ])(
    "%s with percent-escapes that are not UTF-8 (a lone surrogate, an overlong NUL): never a 5xx",
    async (path) => {
      for (const escape of ["%ED%A0%80", "%ED%BF%BF", "%C0%80", "a%00b", "%FF", "%E0%80"]) {
        const res = await harness.request("GET", `${path}${escape}`, { token: f.token });
        expect(res.status, `${path}${escape}: ${await res.clone().text()}`).toBeLessThan(500);
      }
    },
  );

  it("property: any text in any text field never yields a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TARGETS), hostile, async (target, text) => {
        await check(target, text, await target.send(harness, f, text));
      }),
      { numRuns: 300 },
    );
  });
});
