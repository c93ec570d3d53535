import { describe, expect, it } from "vitest";
import {
  capViolations,
  clampReason,
  grantsWithinCaps,
  mayCreateServiceKey,
  mayManageServiceKey,
  mayRefreshUserKey,
  mayRevokeUserKey,
  spaceContext,
  type ViewerScopes,
} from "./roles";

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
