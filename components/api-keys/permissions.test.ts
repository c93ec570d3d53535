import { describe, expect, it } from "vitest";
import { allSpaces, spaceContext } from "@/lib/roles/roles";
import { ada, bot, key, max, newAdmin, riley } from "@/lib/testing/demo-viewers";
import {
  createDisabledReason,
  READ_ONLY_REASON,
  rowPermissions,
  serviceKeyUnavailableReason,
} from "./permissions";

const roles = (
  space_role: "admin" | "member" | "read-only",
  org_role: "admin" | "member" | "read-only" = "read-only",
  account_role: "admin" | "member" = "member",
) => ({
  space_role,
  org_role,
  account_role,
});

describe("rowPermissions", () => {
  it("offers nothing on a revoked key", () => {
    expect(rowPermissions(ada, key({ status: "revoked", created_by_user_id: ada.user.id }))).toBeNull();
  });

  it("lets the owner refresh and revoke their own user key", () => {
    expect(rowPermissions(max, key({ created_by_user_id: max.user.id }))).toEqual({
      refresh: { allowed: true },
      revoke: { allowed: true },
    });
  });

  it("lets an account admin revoke, not refresh, another user's key (with the reason)", () => {
    expect(rowPermissions(ada, key({ created_by_user_id: max.user.id }))).toEqual({
      refresh: { allowed: false, reason: "Only the key's owner can refresh a user key." },
      revoke: { allowed: true },
    });
  });

  it("offers a member nothing on another user's user key", () => {
    expect(rowPermissions(max, key({ created_by_user_id: ada.user.id }))).toBeNull();
  });

  const service = (space: string, createdBy: string, keyRoles = roles("member")) =>
    key({ key_type: "service", space_id: `space-${space}`, created_by_user_id: createdBy, roles: keyRoles });

  it("gives a read-only member no actions on service keys", () => {
    expect(rowPermissions(riley, service("production", ada.user.id))).toBeNull();
  });

  it("lets a space member act only on the service keys they created", () => {
    expect(rowPermissions(max, service("production", ada.user.id))).toBeNull();
    expect(rowPermissions(max, service("production", max.user.id))).toEqual({
      refresh: { allowed: true },
      revoke: { allowed: true },
    });
  });

  it("lets a space admin revoke any key there, but not refresh one whose roles are above theirs", () => {
    const above = service("staging", ada.user.id, roles("admin", "admin"));
    expect(rowPermissions(max, above)).toEqual({
      refresh: {
        allowed: false,
        reason: "This key's roles are above yours. Limited to your role in Platform: Member",
      },
      revoke: { allowed: true },
    });
    expect(rowPermissions(max, service("staging", ada.user.id, roles("admin", "member")))?.refresh).toEqual({
      allowed: true,
    });
  });

  it("offers nothing on a service key in a space the viewer cannot see", () => {
    expect(rowPermissions(riley, service("experiments", riley.user.id))).toBeNull();
  });
});

describe("why New API Key is disabled", () => {
  const production = (viewer: typeof ada) => spaceContext(viewer, "space-production") ?? undefined;

  it("never on the User Keys tab for a person, always for a service key's bot", () => {
    expect(createDisabledReason(riley, "user", undefined)).toBeNull();
    expect(createDisabledReason(bot, "user", undefined)).toBe("Service keys can't create user keys");
  });

  it("in a read-only space, with the read-only reason", () => {
    expect(createDisabledReason(riley, "service", production(riley))).toBe(READ_ONLY_REASON);
    expect(createDisabledReason(max, "service", production(max))).toBeNull();
  });

  it("across all spaces, only when no space allows it", () => {
    expect(createDisabledReason(riley, "service", undefined)).toBe(READ_ONLY_REASON);
    expect(createDisabledReason(max, "service", undefined)).toBeNull();
  });

  it("tells an admin with no spaces that there are none, not a read-only reason", () => {
    expect(allSpaces(newAdmin)).toEqual([]);
    expect(createDisabledReason(newAdmin, "service", undefined)).toBe("No spaces yet");
    expect(serviceKeyUnavailableReason(newAdmin)).toBe("No spaces yet");
    expect(serviceKeyUnavailableReason({ ...riley, organizations: [] })).toBe(
      "You don't have access to any space",
    );
  });

  it("Service Key in the dialog: off only where no space allows it", () => {
    expect(serviceKeyUnavailableReason(ada)).toBeNull();
    expect(serviceKeyUnavailableReason(max)).toBeNull();
    expect(serviceKeyUnavailableReason(riley)).toBe(READ_ONLY_REASON);
  });
});
