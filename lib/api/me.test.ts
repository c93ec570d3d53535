import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type ApiHarness, type DemoUser } from "../testing/api-harness";
import { testDatabases } from "../testing/test-databases";
import type { Me } from "../schemas/directory";
import type { ScopeRole } from "../roles/names";
import { effectiveRoles, type DirectoryRow } from "../roles/roles";

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

describe("effectiveRoles (pure)", () => {
  const row = (
    organizationId: string,
    organizationRole: ScopeRole | null,
    spaceId: string | null,
    spaceRole: ScopeRole | null,
  ): DirectoryRow => ({
    organizationId,
    organizationName: `org ${organizationId}`,
    organizationRole,
    spaceId,
    spaceName: spaceId === null ? null : `space ${spaceId}`,
    spaceRole,
  });

  it("makes a space member without an organization membership read-only in the organization", () => {
    expect(effectiveRoles("member", [row("o1", null, "s1", "admin"), row("o1", null, "s2", null)])).toEqual([
      {
        id: "o1",
        name: "org o1",
        role: "read-only",
        spaces: [{ id: "s1", name: "space s1", role: "admin" }],
      },
    ]);
  });

  it("makes an organization admin admin in every space of it, with or without space memberships", () => {
    const orgs = effectiveRoles("member", [
      row("o1", "admin", "s1", null),
      row("o1", "admin", "s2", "read-only"),
    ]);
    expect(orgs).toEqual([
      {
        id: "o1",
        name: "org o1",
        role: "admin",
        spaces: [
          { id: "s1", name: "space s1", role: "admin" },
          { id: "s2", name: "space s2", role: "admin" },
        ],
      },
    ]);
  });

  it("does not lift an organization member (not admin) into spaces they are not a member of", () => {
    expect(
      effectiveRoles("member", [row("o1", "member", "s1", null), row("o1", "member", "s2", "read-only")]),
    ).toEqual([
      {
        id: "o1",
        name: "org o1",
        role: "member",
        spaces: [{ id: "s2", name: "space s2", role: "read-only" }],
      },
    ]);
  });

  it("omits organizations the user cannot reach", () => {
    const orgs = effectiveRoles("member", [
      row("o1", null, "s1", null),
      row("o2", null, null, null),
      row("o3", "read-only", null, null),
    ]);
    expect(orgs.map((o) => o.id)).toEqual(["o3"]);
    expect(orgs[0]?.spaces).toEqual([]);
  });

  it("makes an account admin admin everywhere, organizations without spaces included", () => {
    const orgs = effectiveRoles("admin", [row("o1", null, "s1", "read-only"), row("o2", null, null, null)]);
    expect(orgs).toEqual([
      { id: "o1", name: "org o1", role: "admin", spaces: [{ id: "s1", name: "space s1", role: "admin" }] },
      { id: "o2", name: "org o2", role: "admin", spaces: [] },
    ]);
  });

  it("keeps the space membership role when the organization role is lower", () => {
    expect(effectiveRoles("member", [row("o1", "read-only", "s1", "admin")])[0]).toEqual({
      id: "o1",
      name: "org o1",
      role: "read-only",
      spaces: [{ id: "s1", name: "space s1", role: "admin" }],
    });
  });

  it("returns nothing for a user with no memberships, and for an empty account", () => {
    expect(effectiveRoles("member", [row("o1", null, "s1", null)])).toEqual([]);
    expect(effectiveRoles("admin", [])).toEqual([]);
  });
});
