/** roles.ts, pure: who may change the directory, the caps on a key's roles, who may act on which key, effective roles. */
import { describe, expect, it } from "vitest";
import { ACCOUNT_ROLES, SCOPE_ROLES, type ScopeRole } from "./names";
import {
  capViolations,
  clampReason,
  type DirectoryRow,
  effectiveRoles,
  grantRefusal,
  grantsWithinCaps,
  mayCreateServiceKey,
  mayDo,
  mayManageServiceKey,
  mayRefreshUserKey,
  mayRevokeUserKey,
  parseRole,
  spaceContext,
  type ViewerScopes,
} from "./roles";

describe("directory rules (pure)", () => {
  it("mayDo follows directory.md's table", () => {
    const member = {
      accountRole: "member" as const,
      organizationRole: "member" as const,
      spaceRole: "admin" as const,
    };
    expect(mayDo("manage_users", member)).toBe(false);
    expect(mayDo("manage_organizations", member)).toBe(false);
    expect(mayDo("manage_spaces", member)).toBe(false);
    expect(mayDo("manage_space_members", member)).toBe(true);
    expect(mayDo("manage_organization_members", { ...member, organizationRole: "admin" })).toBe(true);
    expect(mayDo("read_members", { accountRole: "member", organizationRole: null, spaceRole: null })).toBe(
      false,
    );
    expect(mayDo("manage_users", { accountRole: "admin", organizationRole: null, spaceRole: null })).toBe(
      true,
    );
  });

  it("grantRefusal clamps like service keys and names scope, role and cap", () => {
    expect(grantRefusal("space Staging", "member", "admin")).toBeNull();
    expect(grantRefusal("space Staging", "admin", "member")).toMatch(/"admin" in space Staging .*"member"/);
    expect(grantRefusal("space Staging", "read-only", null)).not.toBeNull();
  });

  it("parseRole reads names in any case, read_only, and generation D role objects; ANNOTATOR and CUSTOM are unsupported", () => {
    expect(parseRole("READ_ONLY", SCOPE_ROLES)).toEqual({ ok: true, role: "read-only" });
    expect(parseRole({ type: "predefined", name: "Member" }, SCOPE_ROLES)).toEqual({
      ok: true,
      role: "member",
    });
    expect(parseRole("read-only", ACCOUNT_ROLES)).toMatchObject({ ok: false, unsupported: false });
    expect(parseRole("ANNOTATOR", SCOPE_ROLES)).toMatchObject({ ok: false, unsupported: true });
    expect(parseRole({ type: "CUSTOM", id: "x" }, SCOPE_ROLES)).toMatchObject({
      ok: false,
      unsupported: true,
    });
    expect(parseRole({ type: "PREDEFINED" }, SCOPE_ROLES)).toMatchObject({ ok: false, unsupported: false });
  });
});

/** Max Member of the demo directory: Platform member (Production member, Staging admin). */
const max: ViewerScopes = {
  account_role: "member",
  organizations: [
    {
      id: "o1",
      name: "Platform",
      role: "member",
      spaces: [
        { id: "s1", name: "Production", role: "member" },
        { id: "s2", name: "Staging", role: "admin" },
      ],
    },
  ],
};
const production = spaceContext(max, "s1");
const staging = spaceContext(max, "s2");

describe("role caps", () => {
  it("finds a space with its organization, or null out of reach", () => {
    expect(production?.organization.name).toBe("Platform");
    expect(spaceContext(max, "elsewhere")).toBeNull();
  });

  it("gives the reason an option is out of reach, or null within the cap", () => {
    expect(clampReason("space", "admin", max, production)).toBe("Limited to your role in Production: Member");
    expect(clampReason("space", "member", max, production)).toBeNull();
    expect(clampReason("space", "admin", max, staging)).toBeNull();
    expect(clampReason("org", "admin", max, staging)).toBe("Limited to your role in Platform: Member");
    expect(clampReason("account", "admin", max, null)).toBe("Limited to your account role: Member");
    expect(clampReason("account", "member", max, null)).toBeNull();
    // Without a space there is nothing to cap a space or organization role against.
    expect(clampReason("space", "admin", max, null)).toBeNull();
    expect(clampReason("account", "admin", { ...max, account_role: "admin" }, null)).toBeNull();
  });

  it("lists every role above the caller's own, in the order space, org, account", () => {
    if (!production || !staging) throw new Error("demo spaces missing");
    expect(capViolations({ space: "member", org: "read-only", account: "member" }, max, production)).toEqual(
      [],
    );
    expect(
      capViolations({ space: "admin", org: "admin", account: "admin" }, max, production).map((v) => [
        v.field,
        v.asked,
        v.cap,
        v.where,
      ]),
    ).toEqual([
      ["space_role", "admin", "member", "space Production"],
      ["org_role", "admin", "member", "organization Platform"],
      ["account_role", "admin", "member", "the account"],
    ]);
    expect(capViolations({ space: "admin", org: "member", account: "member" }, max, staging)).toEqual([]);
  });
});

describe("a key's grants against the caller's caps (create and refresh)", () => {
  /** Max with Research too: read-only there (Experiments read-only). */
  const maxWithResearch: ViewerScopes = {
    ...max,
    organizations: [
      ...max.organizations,
      {
        id: "o2",
        name: "Research",
        role: "read-only",
        spaces: [{ id: "s3", name: "Experiments", role: "read-only" }],
      },
    ],
  };
  const platformStaging = {
    id: "o1",
    role: "read-only" as const,
    spaces: [{ id: "s2", role: "member" as const }],
  };

  it("checks an organization's role when the key holds no space of it (issue 16: Lab was deleted)", () => {
    const check = grantsWithinCaps(
      { accountRole: "member", organizations: [platformStaging, { id: "o2", role: "admin", spaces: [] }] },
      maxWithResearch,
    );
    expect(check.unreachable).toBeNull();
    expect(check.violations.map((v) => [v.field, v.asked, v.cap, v.where])).toEqual([
      ["org_role", "admin", "read-only", "organization Research"],
    ]);
  });

  it("reports an organization or a space the caller cannot reach, whatever the role there", () => {
    const orgOnly = { id: "o2", role: "read-only" as const, spaces: [] };
    expect(
      grantsWithinCaps({ accountRole: "member", organizations: [platformStaging, orgOnly] }, max).unreachable,
    ).toEqual({ scope: "org", id: "o2" });
    expect(
      grantsWithinCaps(
        {
          accountRole: "member",
          organizations: [{ ...platformStaging, spaces: [{ id: "s9", role: "read-only" }] }],
        },
        max,
      ).unreachable,
    ).toEqual({ scope: "space", id: "s9" });
  });

  it("lists each scope once, space before its organization before the account, and nothing within the caps", () => {
    const check = grantsWithinCaps(
      {
        accountRole: "admin",
        organizations: [
          {
            id: "o1",
            role: "admin",
            spaces: [
              { id: "s1", role: "admin" },
              { id: "s2", role: "admin" },
            ],
          },
        ],
      },
      max,
    );
    expect(check.violations.map((v) => [v.field, v.where])).toEqual([
      ["space_role", "space Production"],
      ["org_role", "organization Platform"],
      ["account_role", "the account"],
    ]);
    expect(
      grantsWithinCaps({ accountRole: "member", organizations: [platformStaging] }, maxWithResearch),
    ).toEqual({ violations: [], unreachable: null });
  });
});

describe("who may act on which key", () => {
  it("refuses service keys to read-only members", () => {
    expect(mayCreateServiceKey("read-only")).toEqual({
      allowed: false,
      reason: "Read-only members can't create service keys.",
    });
    expect(mayCreateServiceKey("member").allowed).toBe(true);
  });

  it("lets space admins manage any service key, members only their own, read-only members none", () => {
    const space = (role: "admin" | "member" | "read-only") => ({ name: "Production", role });
    expect(mayManageServiceKey(space("admin"), false, "revoke").allowed).toBe(true);
    expect(mayManageServiceKey(space("member"), true, "refresh").allowed).toBe(true);
    expect(mayManageServiceKey(space("member"), false, "refresh")).toEqual({
      allowed: false,
      reason: "Members can refresh only the service keys they created; ask an admin of Production.",
    });
    expect(mayManageServiceKey(space("read-only"), true, "revoke")).toEqual({
      allowed: false,
      reason: "Read-only members can't revoke service keys in Production.",
    });
  });

  it("lets the owner or an account admin revoke a user key, and only the owner refresh it", () => {
    expect(mayRevokeUserKey(true, false).allowed).toBe(true);
    expect(mayRevokeUserKey(false, true).allowed).toBe(true);
    expect(mayRevokeUserKey(false, false).allowed).toBe(false);
    expect(mayRefreshUserKey(true).allowed).toBe(true);
    expect(mayRefreshUserKey(false)).toEqual({
      allowed: false,
      reason: "Only the key's owner can refresh a user key.",
    });
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
