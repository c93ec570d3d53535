/**
 * Tables read by a request's own values (the dialect's package names, enum aliases) answer only for
 * their own entries: `constructor`, `__proto__` and the other names every plain object inherits are
 * unknown values like any other — the default dialect, or a 400 — never a 500 with a stack trace in
 * the log. On PGlite and PostgreSQL.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import { testDatabases } from "../testing/test-databases";
import { createHarness, type ApiHarness } from "../testing/api-harness";

const INHERITED = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];

describe.each(testDatabases())("request values that name inherited properties ($name)", (database) => {
  let harness: ApiHarness;
  let token: string;
  let logged: MockInstance<typeof console.error>;
  beforeAll(async () => {
    harness = await createHarness(database);
    token = await harness.signIn("admin");
  });
  afterAll(() => harness.close());
  afterEach(() => logged.mockRestore());
  const watchLog = () => {
    logged = vi.spyOn(console, "error");
  };
  /** Every line the app wrote to its error log during the test. */
  const logLines = () => logged.mock.calls.map((args: unknown[]) => args.map(String).join(" "));

  it.each(INHERITED)(
    "sdk-package-name: %s is an unknown client (the default dialect), with or without a credential",
    async (name) => {
      watchLog();
      for (const version of ["1.0.0", "8.42.0", "0.19.0"]) {
        const headers = { "sdk-package-name": name, "sdk-version": version };
        const anonymous = await harness.request("GET", "/v2/me", { headers });
        expect(anonymous.status, await anonymous.clone().text()).toBe(401);
        const me = await harness.request("GET", "/v2/me", { token, headers });
        expect(me.status, await me.clone().text()).toBe(200);
        // The default dialect: lowercase enums.
        expect(((await me.json()) as { account_role: string }).account_role).toBe("admin");
        const keys = await harness.request("GET", "/v2/api-keys", { token, headers });
        expect(keys.status, await keys.clone().text()).toBe(200);
      }
      expect(logLines()).toEqual([]);
    },
  );

  it.each(INHERITED)("an enum query value %s is a 400 naming the field", async (name) => {
    watchLog();
    for (const path of [
      `/v2/api-keys?status=${name}`,
      `/v2/api-keys?key_type=${name}`,
      `/v2/users?status=${name}`,
      `/v2/audit-logs?operation_type=${name}`,
    ]) {
      const res = await harness.request("GET", path, { token });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(400);
      const problem = (await res.json()) as { code?: string; errors?: { field: string }[] };
      expect(problem.code).toBe("invalid_request");
      expect(problem.errors?.[0]?.field).toMatch(/^(status|key_type|operation_type)/);
    }
    expect(logLines()).toEqual([]);
  });

  it.each(INHERITED)("a role named %s is a 400, in a body and as a role object", async (name) => {
    watchLog();
    const org = await harness.request("GET", "/v2/organizations", { token });
    const { organizations } = (await org.json()) as { organizations: { id: string }[] };
    const me = (await (await harness.request("GET", "/v2/me", { token })).json()) as {
      user: { id: string };
    };
    for (const role of [name, { type: "PREDEFINED", name }]) {
      const res = await harness.request(
        "POST",
        `/v2/organizations/${encodeURIComponent(organizations[0]?.id ?? "")}/users`,
        { token, body: { user_id: me.user.id, role } },
      );
      expect(res.status, await res.clone().text()).toBe(400);
    }
    expect(logLines()).toEqual([]);
  });
});
