import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "../testing/demo-viewers";
import { testDatabases } from "../testing/test-databases";
import { encodeCursor } from "../domain/pagination";
import { defaultSessionPolicy } from "../auth/sessions";
import { createHarness, type ApiHarness } from "../testing/api-harness";

interface ProblemBody {
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/** Any error must be problem+json whose `status` is the HTTP status; nothing may be a 5xx. */
async function expectWellFormed(res: Response): Promise<void> {
  expect(res.status, await res.clone().text()).toBeLessThan(500);
  if (res.status < 400) return;
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as ProblemBody;
  expect(typeof body.title).toBe("string");
  expect(body.status).toBe(res.status);
}

async function expectBadRequest(res: Response): Promise<ProblemBody> {
  expect(res.status, await res.clone().text()).toBe(400);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as ProblemBody;
  expect(body.title).toBe("Invalid request parameters");
  expect(body.status).toBe(400);
  expect(body.detail).toBeTruthy();
  return body;
}

const rawPost = (harness: ApiHarness, path: string, body: string | undefined, contentType?: string) =>
  Promise.resolve(
    harness.app.request(path, {
      method: "POST",
      headers: contentType ? { "content-type": contentType } : {},
      body,
    }),
  );

describe.each(testDatabases())("bad input never becomes a 500 ($name)", (database) => {
  let harness: ApiHarness;
  let token: string;
  beforeAll(async () => {
    // Generous sign-in limits: the property tests below fail many sign-ins on purpose.
    harness = await createHarness(database, {
      config: {
        sessions: {
          ...defaultSessionPolicy,
          perAccountAndClient: { ...defaultSessionPolicy.perAccountAndClient, freeFailures: 10_000 },
          perClient: { ...defaultSessionPolicy.perClient, freeFailures: 10_000 },
        },
      },
    });
    token = await harness.signIn("admin");
  });
  afterAll(() => harness.close());

  describe("POST /v2/sessions bodies", () => {
    it.each([
      ["malformed JSON", "{"],
      ["truncated JSON", '{"email": "admin@example.com", "password": '],
      ["an empty body", ""],
      ["JSON null", "null"],
      ["a JSON array", "[]"],
      ["a JSON number", "42"],
      ["a JSON string", '"admin@example.com"'],
      ["no fields", "{}"],
      ["a missing password", JSON.stringify({ email: DEMO_USERS.admin.email })],
      ["an unknown field", JSON.stringify({ email: "a@example.com", password: "x", remember: true })],
      ["a numeric email", JSON.stringify({ email: 1, password: "x" })],
      ["a boolean password", JSON.stringify({ email: "a@example.com", password: true })],
      ["null fields", JSON.stringify({ email: null, password: null })],
      ["nested objects", JSON.stringify({ email: [], password: {} })],
      ["a blank email", JSON.stringify({ email: "   ", password: "x" })],
      ["an over-long password", JSON.stringify({ email: "a@example.com", password: "x".repeat(1025) })],
    ])("%s → 400", async (_label, body) => {
      await expectBadRequest(await rawPost(harness, "/v2/sessions", body, "application/json"));
    });

    it("names the unknown field", async () => {
      const body = await expectBadRequest(
        await harness.request("POST", "/v2/sessions", {
          body: { email: DEMO_USERS.admin.email, password: DEMO_PASSWORD, is_admin: true },
        }),
      );
      expect(body.detail).toContain("is_admin");
    });

    it("names the field and the expected type when a value has the wrong type", async () => {
      const problem = await expectBadRequest(
        await harness.request("POST", "/v2/api-keys", {
          token,
          body: { name: 123, key_type: "USER" },
        }),
      );
      expect(problem.errors).toEqual([{ field: "name", message: "Expected a string, got a number." }]);
      expect(problem.detail).toBe("name: Expected a string, got a number.");
      const nested = await expectBadRequest(
        await harness.request("POST", "/v2/sessions", { body: { email: ["a@example.com"], password: {} } }),
      );
      expect(nested.errors).toEqual([
        { field: "email", message: "Expected a string, got an array." },
        { field: "password", message: "Expected a string, got an object." },
      ]);
    });

    it("keeps the field's own message for a missing value", async () => {
      const problem = await expectBadRequest(
        await harness.request("POST", "/v2/api-keys", { token, body: { key_type: "USER" } }),
      );
      expect(problem.errors).toEqual([{ field: "name", message: "Give the key a name." }]);
    });

    it("names the missing fields", async () => {
      const body = await expectBadRequest(await harness.request("POST", "/v2/sessions", { body: {} }));
      expect(body.errors?.map((e) => e.field).sort()).toEqual(["email", "password"]);
    });

    it("refuses a body over 64 KiB with 413 Content Too Large", async () => {
      const body = JSON.stringify({ email: DEMO_USERS.admin.email, password: "p".repeat(65 * 1024) });
      const res = await rawPost(harness, "/v2/sessions", body, "application/json");
      expect(res.status).toBe(413);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      const problem = (await res.json()) as ProblemBody;
      expect(problem).toMatchObject({ status: 413, title: "Content too large" });
      expect(problem.detail).toMatch(/64 KiB/);
    });

    it.each([
      ["an array", "[]"],
      ["a number", "42"],
      ["null", "null"],
    ])("says the body must be a JSON object when it is %s", async (_label, body) => {
      const problem = await expectBadRequest(
        await rawPost(harness, "/v2/sessions", body, "application/json"),
      );
      expect(problem.detail).toBe("The body must be a JSON object.");
      expect(problem.errors).toEqual([{ field: "body", message: "The body must be a JSON object." }]);
    });

    it("refuses a missing body without a JSON content type as a 4xx problem", async () => {
      // Today this is 415 from @hono/zod-openapi's media-type gate (see the report); either way, never 5xx.
      for (const res of [
        await rawPost(harness, "/v2/sessions", undefined),
        await rawPost(harness, "/v2/sessions", '{"email":"a@example.com","password":"x"}', "text/plain"),
      ]) {
        expect([400, 415]).toContain(res.status);
        await expectWellFormed(res);
      }
    });

    it.each([
      ["a NUL byte", "admin\u0000@example.com"],
      ["a lone surrogate", "admin\ud800@example.com"],
    ])("refuses an email with %s on its field (400), not a database error", async (_label, email) => {
      const res = await harness.request("POST", "/v2/sessions", {
        body: { email, password: DEMO_PASSWORD },
      });
      const body = await expectBadRequest(res);
      expect(body.errors?.map((e) => e.field)).toEqual(["email"]);
    });
  });

  describe.each(["/v2/spaces", "/v2/organizations"])("%s query parameters", (path) => {
    it.each([
      ["limit=0"],
      ["limit=101"],
      ["limit=abc"],
      ["limit=-1"],
      ["limit=1.5"],
      ["limit="],
      ["limit=1&limit=2"],
      ["limit=99999999999999999999"],
      ["cursor=garbage"],
      ["cursor=%25%25%25"],
      [`cursor=${Buffer.from("x|y").toString("base64url")}`],
      [`cursor=${"A".repeat(300)}`],
      [`cursor=${encodeCursor({ createdAt: new Date(0), id: "not-a-uuid" })}`],
      [`name=${"n".repeat(257)}`],
      ["name=a&name=b"],
    ])("?%s → 400", async (query) => {
      await expectBadRequest(await harness.request("GET", `${path}?${query}`, { token }));
    });

    it("refuses a tampered cursor", async () => {
      const first = await harness.request("GET", `${path}?limit=1`, { token });
      const { pagination } = (await first.json()) as { pagination: { next_cursor?: string } };
      const cursor = pagination.next_cursor;
      if (!cursor) throw new Error("expected a second page");
      const text = Buffer.from(cursor, "base64url").toString("utf8");
      // Cursors are not signed, so only tampering that breaks their form can be told (see the report).
      for (const tampered of [
        `${cursor}A`,
        `${cursor.slice(0, 10)}!${cursor.slice(11)}`,
        Buffer.from(`${text}|extra`).toString("base64url"),
        Buffer.from(text.replace("|", "#")).toString("base64url"),
        Buffer.from(text.replace("Z|", "+01:00|")).toString("base64url"),
      ]) {
        const res = await harness.request("GET", `${path}?cursor=${encodeURIComponent(tampered)}`, { token });
        const body = await expectBadRequest(res);
        expect(body.errors?.[0]?.field).toBe("cursor");
      }
    });

    it("refuses a name with a NUL byte on its parameter (400), not a database error", async () => {
      const body = await expectBadRequest(await harness.request("GET", `${path}?name=a%00b`, { token }));
      expect(body.errors?.map((e) => e.field)).toEqual(["name"]);
    });
  });

  describe("property: random input never yields a 5xx", () => {
    const anyText = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.constantFrom("\u0000", "%", "_", "\ud800", "\udfff", "a\u0000b", "x\ud800y"),
    );

    it("random JSON bodies at POST /v2/sessions", async () => {
      const bodies = fc.oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc
          .record(
            {
              email: fc.oneof(anyText, fc.emailAddress(), fc.jsonValue()),
              password: fc.oneof(anyText, fc.jsonValue()),
              extra: fc.jsonValue(),
            },
            { requiredKeys: [] },
          )
          .map((v) => JSON.stringify(v)),
        fc.string({ unit: "binary" }),
      );
      await fc.assert(
        fc.asyncProperty(bodies, async (body) => {
          await expectWellFormed(await rawPost(harness, "/v2/sessions", body, "application/json"));
        }),
        { numRuns: 150 },
      );
    });

    it("random query strings at the list endpoints and /v2/me", async () => {
      const key = fc.oneof(fc.constantFrom("limit", "cursor", "name", "org_id", "include"), fc.string());
      const value = fc.oneof(anyText, fc.integer().map(String), fc.double().map(String));
      const queries = fc.array(fc.tuple(key, value), { maxLength: 5 });
      const paths = fc.constantFrom("/v2/spaces", "/v2/organizations", "/v2/me");
      await fc.assert(
        fc.asyncProperty(paths, queries, async (path, pairs) => {
          const query = new URLSearchParams(pairs).toString();
          await expectWellFormed(await harness.request("GET", `${path}?${query}`, { token }));
        }),
        { numRuns: 200 },
      );
    });

    it("random user ids at DELETE /v2/users/{id}", async () => {
      const ids = fc.oneof(
        fc.string({ minLength: 1 }),
        fc.string({ unit: "binary", minLength: 1 }),
        fc.uuid().map((u) => Buffer.from(`User:${u}`).toString("base64")),
        fc.string().map((s) => Buffer.from(`User:${s}`).toString("base64")),
      );
      await fc.assert(
        fc.asyncProperty(ids, async (id) => {
          const res = await harness.request("DELETE", `/v2/users/${encodeURIComponent(id)}`, { token });
          expect(res.status).not.toBe(204);
          await expectWellFormed(res);
        }),
        { numRuns: 100 },
      );
    });

    it("random Authorization headers", async () => {
      const headers = fc.oneof(
        fc.string(),
        fc.string().map((s) => `Bearer ${s}`),
        fc.string().map((s) => `kds_${s}`),
        fc.string().map((s) => `ak-${s}`),
      );
      await fc.assert(
        fc.asyncProperty(headers, async (header) => {
          // Headers cannot carry control characters; the HTTP layer refuses them before we see them.
          fc.pre(/^[\x20-\x7e]*$/.test(header));
          const res = await harness.request("GET", "/v2/me", { headers: { authorization: header } });
          expect(res.status).toBe(401);
          await expectWellFormed(res);
        }),
        { numRuns: 150 },
      );
    });
  });

  describe("Authorization header", () => {
    it("accepts Bearer in any case and a bare token", async () => {
      for (const header of [
        `Bearer ${token}`,
        `bearer ${token}`,
        `BEARER ${token}`,
        `BeArEr ${token}`,
        token,
        `  Bearer   ${token}  `,
      ]) {
        const res = await harness.request("GET", "/v2/me", { headers: { authorization: header } });
        expect(res.status, header.replace(token, "<token>")).toBe(200);
      }
    });

    it("answers every junk credential with the same 401 body", async () => {
      // One request id for all, so the bodies (which carry it as `request_id`) can be compared whole.
      const id = { "x-request-id": "junk-credentials" };
      const none = await harness.request("GET", "/v2/me", { headers: id });
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const reference = await none.text();
      expect(JSON.parse(reference)).toMatchObject({ title: "Authentication required", status: 401 });
      for (const header of [
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        `Token ${token}`,
        `Bearer ${token} extra`,
        `Bearer ${token}x`,
        `Bearer ${token.toUpperCase()}`,
        `Bearer kds_${"A".repeat(43)}`,
        `Bearer ${"x".repeat(600)}`,
        `Bearer ak-00000000-0000-4000-8000-000000000000-${"A".repeat(32)}`,
      ]) {
        const res = await harness.request("GET", "/v2/me", { headers: { ...id, authorization: header } });
        expect(res.status, header.replace(token, "<token>")).toBe(401);
        expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        expect(await res.text()).toBe(reference);
      }
    });
  });

  describe("routes", () => {
    it("serves a valid-looking OpenAPI 3.1 document listing every /v2 route", async () => {
      const res = await harness.request("GET", "/v2/openapi.json");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const doc = (await res.json()) as {
        openapi: string;
        info: { title: string; version: string };
        paths: Record<string, Record<string, { responses?: object }>>;
        components?: { schemas?: object; securitySchemes?: Record<string, unknown> };
      };
      expect(doc.openapi).toMatch(/^3\.1\./);
      expect(doc.info.title).toBeTruthy();
      expect(doc.info.version).toBeTruthy();
      expect(doc.components?.securitySchemes?.bearer).toBeTruthy();
      for (const path of [
        "/v2/sessions",
        "/v2/sessions/current",
        "/v2/me",
        "/v2/spaces",
        "/v2/organizations",
        "/v2/users/{id}",
      ]) {
        expect(Object.keys(doc.paths)).toContain(path);
      }
      // Every route the app serves is documented, with the same method.
      const served = harness.app.routes.filter((r) => r.method !== "ALL" && r.path !== "/v2/openapi.json");
      expect(served.length).toBeGreaterThan(5);
      for (const route of served) {
        const documented = route.path.replace(/:([A-Za-z_]+)/g, "{$1}");
        expect(
          doc.paths[documented]?.[route.method.toLowerCase()],
          `${route.method} ${documented}`,
        ).toBeTruthy();
      }
      for (const operations of Object.values(doc.paths)) {
        for (const operation of Object.values(operations)) expect(operation.responses).toBeTruthy();
      }
    });

    it.each([
      ["GET", "/v2/nope"],
      ["GET", "/v2"],
      ["GET", "/v2/spaces/extra"],
      ["DELETE", "/v2/nope/x"],
    ])("%s %s → problem+json 404", async (method, path) => {
      const res = await harness.request(method, path, { token });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ title: "Resource not found", status: 404 });
    });

    it.each([
      ["POST", "/v2/me", "GET, HEAD"],
      ["PUT", "/v2/api-keys", "GET, HEAD, POST"],
      ["PUT", "/v2/users/VXNlcjo1", "GET, HEAD, PATCH, DELETE"],
      ["GET", "/v2/sessions", "POST"],
      ["GET", "/v2/api-keys/some-id/refresh", "POST"],
    ])("%s %s → 405 with Allow: %s", async (method, path, allow) => {
      const res = await harness.request(method, path, { token, body: method === "GET" ? undefined : {} });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe(allow);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ status: 405, title: "Method not allowed" });
    });
  });
});
