import { describe, expect, it } from "vitest";
import {
  accountRoleOptions,
  clampedChoice,
  clampNote,
  mayCreateOrganization,
  mayCreateSpace,
  mayInviteMembers,
  memberActions,
  organizationPermissions,
  scopeRoleOptions,
  spaceParentOrganizations,
  spacePermissions,
  unblockAction,
  type DirectoryViewer,
} from "./directory";

// The demo people as /v2/me describes them.
const ada: DirectoryViewer = {
  user: { id: "ada" },
  account_role: "admin",
  organizations: [
    {
      id: "platform",
      name: "Platform",
      role: "admin",
      spaces: [
        { id: "production", name: "Production", role: "admin" },
        { id: "staging", name: "Staging", role: "admin" },
      ],
    },
  ],
};
const max: DirectoryViewer = {
  user: { id: "max" },
  account_role: "member",
  organizations: [
    {
      id: "platform",
      name: "Platform",
      role: "member",
      spaces: [
        { id: "production", name: "Production", role: "member" },
        { id: "staging", name: "Staging", role: "admin" },
      ],
    },
    { id: "research", name: "Research", role: "read-only", spaces: [] },
  ],
};

describe("scopeRoleOptions", () => {
  it("offers every role to an admin of the scope", () => {
    expect(scopeRoleOptions("Staging", "admin")).toEqual([
      { value: "admin", label: "Admin" },
      { value: "member", label: "Member" },
      { value: "read-only", label: "Read-Only" },
    ]);
  });

  it("disables the roles above a member's own, with the reason", () => {
    const options = scopeRoleOptions("Production", "member");
    expect(options).toEqual([
      { value: "admin", label: "Admin", disabledReason: "Limited to your role in Production: Member" },
      { value: "member", label: "Member" },
      { value: "read-only", label: "Read-Only" },
    ]);
    expect(clampNote(options)).toBe("Limited to your role in Production: Member");
    expect(clampedChoice(options, "admin")).toBe("member");
    expect(clampedChoice(options, "read-only")).toBe("read-only");
  });

  it("leaves only Read-Only to a read-only member", () => {
    const options = scopeRoleOptions("Research", "read-only");
    expect(options.filter((o) => !o.disabledReason).map((o) => o.value)).toEqual(["read-only"]);
    expect(clampedChoice(options, "member")).toBe("read-only");
  });

  it("has no note when nothing is clamped", () => {
    expect(clampNote(scopeRoleOptions("Staging", "admin"))).toBeNull();
  });
});

describe("account roles", () => {
  it("only account admins grant them", () => {
    expect(accountRoleOptions(ada).every((o) => !o.disabledReason)).toBe(true);
    expect(accountRoleOptions(max).map((o) => o.disabledReason)).toEqual([
      "Only account admins can change account roles",
      "Only account admins can change account roles",
    ]);
  });
});

describe("buttons", () => {
  it("Invite member and New organization are for account admins, with the reason for others", () => {
    expect(mayInviteMembers(ada)).toEqual({ allowed: true });
    expect(mayInviteMembers(max)).toEqual({
      allowed: false,
      reason: "Only account admins can invite members",
    });
    expect(mayCreateOrganization(max)).toEqual({
      allowed: false,
      reason: "Only account admins can create organizations",
    });
  });

  it("New space is for admins of some organization, and offers only those", () => {
    expect(mayCreateSpace(ada)).toEqual({ allowed: true });
    expect(spaceParentOrganizations(ada).map((o) => o.name)).toEqual(["Platform"]);
    expect(mayCreateSpace(max)).toEqual({
      allowed: false,
      reason: "Only organization admins can create spaces",
    });
    expect(spaceParentOrganizations(max)).toEqual([]);
  });

  it("New space on a fresh install (no organization yet) says so, not that only organization admins may", () => {
    expect(mayCreateSpace({ ...ada, organizations: [] })).toEqual({
      allowed: false,
      reason: "No organization yet: a space belongs to one. Create an organization first.",
    });
    expect(mayCreateSpace({ ...max, organizations: [] })).toEqual({
      allowed: false,
      reason: "You aren't in any organization yet. Ask an account admin to add you to one.",
    });
  });
});

describe("memberActions", () => {
  it("gives account admins the row actions that fit the person's status", () => {
    expect(memberActions(ada, { id: "max", status: "active" })).toEqual({
      changeAccountRole: { allowed: true },
      resetPassword: { allowed: true },
      resendInvitation: null,
      block: { allowed: true },
    });
    const invited = memberActions(ada, { id: "new", status: "invited" });
    expect(invited?.resendInvitation).toEqual({ allowed: true });
    expect(invited?.resetPassword.allowed).toBe(false);
    expect(memberActions(ada, { id: "old", status: "expired" })?.resendInvitation).toEqual({ allowed: true });
  });

  it("never lets anyone block themselves", () => {
    expect(memberActions(ada, { id: "ada", status: "active" })?.block).toEqual({
      allowed: false,
      reason: "You can't block yourself",
    });
  });

  it("gives no menu to members, nor for blocked people", () => {
    expect(memberActions(max, { id: "ada", status: "active" })).toBeNull();
    expect(memberActions(ada, { id: "gone", status: "blocked" })).toBeNull();
  });
});

describe("unblockAction", () => {
  it("offers Unblock to account admins on a blocked person's row only", () => {
    expect(unblockAction(ada, { status: "blocked" })).toEqual({ allowed: true });
    expect(unblockAction(ada, { status: "active" })).toBeNull();
    expect(unblockAction(ada, { status: "invited" })).toBeNull();
    expect(unblockAction(max, { status: "blocked" })).toBeNull();
  });
});

describe("scope pages", () => {
  it("space admins manage members; only organization admins rename and delete", () => {
    // Max: admin of Staging, member of Platform.
    expect(spacePermissions(max, "admin", "member")).toEqual({
      manageMembers: true,
      rename: false,
      delete: false,
    });
    expect(spacePermissions(ada, "admin", "admin")).toEqual({
      manageMembers: true,
      rename: true,
      delete: true,
    });
    expect(spacePermissions(max, "member", "member")).toEqual({
      manageMembers: false,
      rename: false,
      delete: false,
    });
    expect(spacePermissions(max, "read-only", null)).toEqual({
      manageMembers: false,
      rename: false,
      delete: false,
    });
  });

  it("organization admins manage its members; account admins rename and delete it", () => {
    expect(organizationPermissions(ada, "admin")).toEqual({
      manageMembers: true,
      rename: true,
      delete: true,
    });
    expect(organizationPermissions(max, "member")).toEqual({
      manageMembers: false,
      rename: false,
      delete: false,
    });
    // An organization admin who is not an account admin manages members but does not rename or delete.
    expect(organizationPermissions(max, "admin")).toEqual({
      manageMembers: true,
      rename: false,
      delete: false,
    });
  });
});
