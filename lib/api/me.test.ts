import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type ApiHarness, type DemoUser } from "../testing/api-harness";
import { testDatabases } from "../testing/test-databases";
import type { Me } from "../schemas/directory";
import type { ScopeRole } from "../roles/names";

type Scope = "account" | "Platform" | "Research" | "Production" | "Staging" | "Experiments";

/** The contract's demo directory, one row per user: the effective role at every scope (null = unreachable). */
const EXPECTED: Record<DemoUser, Record<Scope, ScopeRole | null>> = {
  admin: {
    account: "admin",
    Platform: "admin",
    Research: "admin",
    Production: "admin",
    Staging: "admin",
    Experiments: "admin",
  },
  member: {
    account: "member",
    Platform: "member",
    Research: "read-only",
    Production: "member",
    Staging: "admin",
    Experiments: "read-only",
  },
  readOnly: {
    account: "member",
    Platform: "read-only",
    Research: null,
    Production: "read-only",
    Staging: "read-only",
    Experiments: null,
  },
};

/** Where each space lives. */
const PARENT: Record<string, string> = {
  Production: "Platform",
  Staging: "Platform",
  Experiments: "Research",
};

/** Flattens GET /v2/me into the table's shape; checks each space sits under its organization. */
function rolesOf(me: Me): Record<Scope, ScopeRole | null> {
  const roles: Record<Scope, ScopeRole | null> = {
    account: me.account_role,
    Platform: null,
    Research: null,
    Production: null,
    Staging: null,
    Experiments: null,
  };
  for (const org of me.organizations) {
    roles[org.name as Scope] = org.role;
    for (const space of org.spaces) {
      expect(PARENT[space.name]).toBe(org.name);
      roles[space.name as Scope] = space.role;
    }
  }
  return roles;
}

describe.each(testDatabases())("effective roles through GET /v2/me ($name)", (database) => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await createHarness(database);
  });
  afterAll(() => harness.close());

  it.each(Object.keys(EXPECTED) as DemoUser[])("%s has the contract's role at every scope", async (user) => {
    const token = await harness.signIn(user);
    const res = await harness.request("GET", "/v2/me", { token });
    expect(res.status).toBe(200);
    const me = (await res.json()) as Me;
    expect(rolesOf(me)).toEqual(EXPECTED[user]);
    expect(me.credential).toEqual({ type: "session" });
    expect(me.user.kind).toBe("human");
  });

  it("Riley does not see Research or Experiments at all", async () => {
    const token = await harness.signIn("readOnly");
    const text = await (await harness.request("GET", "/v2/me", { token })).text();
    expect(text).not.toContain("Research");
    expect(text).not.toContain("Experiments");
  });
});
