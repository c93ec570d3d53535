import { describe, expect, it } from "vitest";
import {
  accountRole,
  invitationSecret,
  parseInvitation,
  parseMemberPage,
  parseScopeMemberPage,
  scopeRole,
  userStatus,
} from "./directory-support";

describe("reading the directory API's answers", () => {
  it("reads roles in every dialect", () => {
    expect(scopeRole("admin")).toBe("admin");
    expect(scopeRole("READ_ONLY")).toBe("read-only");
    expect(scopeRole({ type: "PREDEFINED", name: "MEMBER" })).toBe("member");
    expect(scopeRole("annotator")).toBeNull();
    expect(scopeRole(42)).toBeNull();
    expect(accountRole("read-only")).toBeNull();
    expect(accountRole("ADMIN")).toBe("admin");
  });

  it("reads statuses, 1.28's inactive as blocked", () => {
    expect(userStatus("INVITED")).toBe("invited");
    expect(userStatus("expired")).toBe("expired");
    expect(userStatus("inactive")).toBe("blocked");
    expect(userStatus("active")).toBe("active");
  });

  it("reads a page of people with its cursor", () => {
    const page = parseMemberPage({
      users: [
        {
          id: "u1",
          name: "Ada",
          email: "ada@example.com",
          created_at: "2026-01-01T00:00:00Z",
          status: "active",
          role: "admin",
          is_developer: true,
        },
      ],
      pagination: { has_more: true, next_cursor: "c2" },
    });
    expect(page).toEqual({
      items: [
        {
          id: "u1",
          name: "Ada",
          email: "ada@example.com",
          accountRole: "admin",
          status: "active",
          createdAt: "2026-01-01T00:00:00Z",
        },
      ],
      nextCursor: "c2",
    });
    expect(parseMemberPage({ users: "nope" })).toBeNull();
  });

  it("reads member lists; the last page has no cursor", () => {
    expect(
      parseScopeMemberPage({
        memberships: [
          {
            id: "m",
            user_id: "u2",
            space_id: "s",
            role: "read-only",
            user: { name: "Max", email: "m@x", status: "invited" },
          },
        ],
        pagination: { has_more: false },
      }),
    ).toEqual({ items: [{ userId: "u2", name: "Max", email: "m@x", status: "invited", role: "read-only" }] });
  });

  it("finds the one-time secret of an invitation, or none", () => {
    expect(invitationSecret({ temporary_password: "abcdefghijkl" })).toEqual({
      kind: "temporary_password",
      secret: "abcdefghijkl",
    });
    expect(invitationSecret({ invitation_url: "http://h/invite/t" })).toEqual({
      kind: "invite_link",
      secret: "http://h/invite/t",
    });
    expect(invitationSecret({ id: "u" })).toBeNull();
  });

  it("reads what a link is for; a spent, replaced or expired one is gone", () => {
    expect(
      parseInvitation(200, { purpose: "invite", account_name: "Acme", name: "Grace", email: "g@x" }),
    ).toEqual({
      state: "valid",
      purpose: "invite",
      accountName: "Acme",
      name: "Grace",
      email: "g@x",
    });
    expect(parseInvitation(404, { title: "Resource not found" })).toEqual({ state: "gone" });
    expect(parseInvitation(503, null)).toEqual({ state: "unavailable" });
  });
});
