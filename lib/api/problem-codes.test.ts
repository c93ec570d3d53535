import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROBLEM_CODES } from "../schemas/common";
import { testDatabases } from "../testing/test-databases";
import {
  createUserKey,
  expectProblem,
  missingKeyId,
  refreshKey,
  revokeKey,
  setupDemo,
  type Demo,
} from "../testing/api-keys-test-kit";

/** The sdk headers of each Arize client family (dialect.ts). */
const PYTHON = { "sdk-package-name": "arize", "sdk-version": "8.42.0" };
const GO = { "sdk-package-name": "client-go-v2", "sdk-version": "0.20.0" };
const TYPESCRIPT = { "sdk-package-name": "@arizeai/ax-client", "sdk-version": "1.19.0" };

describe.each(testDatabases())("problem codes ($name)", (database) => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await setupDemo(database);
  });
  afterAll(() => demo.harness.close());

  const request = (...args: Parameters<Demo["harness"]["request"]>) => demo.harness.request(...args);

  it("names a bad request invalid_request, and a role above the cap role_above_cap", async () => {
    await expectProblem(
      await request("POST", "/v2/api-keys", { token: demo.tokens.member, body: { name: "" } }),
      400,
      "invalid_request",
    );
    await expectProblem(
      await request("GET", "/v2/api-keys?limit=abc", { token: demo.tokens.member }),
      400,
      "invalid_request",
    );
    const aboveCap = await request("POST", "/v2/api-keys", {
      token: demo.tokens.member,
      body: {
        name: "x",
        key_type: "service",
        space_id: demo.spaceIds.Production,
        roles: { space_role: "admin" },
      },
    });
    await expectProblem(aboveCap, 400, "role_above_cap");
  });

  it("names missing or bad credentials authentication_required, the same for both", async () => {
    await expectProblem(await request("GET", "/v2/me"), 401, "authentication_required");
    await expectProblem(
      await request("GET", "/v2/me", { token: "ak-not-a-key" }),
      401,
      "authentication_required",
    );
  });

  it("names a refusal forbidden, an unseen thing not_found and a refresh of a revoked key conflict", async () => {
    await expectProblem(
      await request("GET", `/v2/api-keys?user_id=${encodeURIComponent(demo.userIds.admin)}`, {
        token: demo.tokens.member,
      }),
      403,
      "forbidden",
    );
    await expectProblem(await revokeKey(demo.harness, demo.tokens.member, missingKeyId()), 404, "not_found");
    await expectProblem(
      await request("GET", "/v2/no-such-endpoint", { token: demo.tokens.member }),
      404,
      "not_found",
    );
    const key = await createUserKey(demo.harness, demo.tokens.member);
    expect((await revokeKey(demo.harness, demo.tokens.member, key.id)).status).toBe(204);
    await expectProblem(await refreshKey(demo.harness, demo.tokens.member, key.id), 409, "conflict");
  });

  it("sends the code to the Go and TypeScript clients, and leaves it out for Python's, whose Problem model refuses unknown fields", async () => {
    for (const headers of [GO, TYPESCRIPT, {}]) {
      const problem = await expectProblem(await request("GET", "/v2/me", { headers }), 401);
      expect(problem.code).toBe("authentication_required");
    }
    const python = await request("GET", "/v2/me", { headers: PYTHON });
    const problem = await expectProblem(python, 401);
    expect(Object.keys(problem).sort()).toEqual(["detail", "status", "title"]);
    expect(python.headers.get("www-authenticate")).toMatch(/^Bearer/);
    // Validation problems keep their field list; only `code` goes.
    const invalid = await request("POST", "/v2/api-keys", {
      token: demo.tokens.member,
      body: { name: "" },
      headers: PYTHON,
    });
    expect(Object.keys(await expectProblem(invalid, 400))).not.toContain("code");
  });

  it("keeps every code in the one list the OpenAPI document publishes", async () => {
    const doc = (await (await request("GET", "/v2/openapi.json")).json()) as {
      components: { schemas: { Problem: { properties: { code: { enum: string[] } } } } };
    };
    expect(doc.components.schemas.Problem.properties.code.enum).toEqual([...PROBLEM_CODES]);
  });
});
