import { describe, expect, it } from "vitest";
import {
  reshapeAccountRole,
  reshapeInvitation,
  reshapeInvitationSecret,
  reshapeMemberPage,
  reshapeScopeMemberPage,
  reshapeScopeDetail,
  reshapeScopeRole,
  reshapeScope,
  reshapeTree,
  reshapeUserStatus,
  type Me,
} from "./reshape";

describe("reading the directory API's answers", () => {
  it("reads roles in every dialect", () => {
    expect(reshapeScopeRole("admin")).toBe("admin");
    expect(reshapeScopeRole("READ_ONLY")).toBe("read-only");
    expect(reshapeScopeRole({ type: "PREDEFINED", name: "MEMBER" })).toBe("member");
    expect(reshapeScopeRole("annotator")).toBeNull();
    expect(reshapeAccountRole("read-only")).toBeNull();
    expect(reshapeAccountRole("ADMIN")).toBe("admin");
  });

  it("reads statuses, 1.28's inactive as blocked", () => {
    expect(reshapeUserStatus("INVITED")).toBe("invited");
    expect(reshapeUserStatus("expired")).toBe("expired");
    expect(reshapeUserStatus("inactive")).toBe("blocked");
    expect(reshapeUserStatus("active")).toBe("active");
  });

  it("reads a page of people with its cursor", () => {
    const page = reshapeMemberPage({
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
  });

  it("reads member lists; the last page has no cursor", () => {
    expect(
      reshapeScopeMemberPage({
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
    expect(reshapeInvitationSecret({ temporary_password: "abcdefghijkl" })).toEqual({
      kind: "temporary_password",
      secret: "abcdefghijkl",
    });
    expect(reshapeInvitationSecret({ invitation_url: "http://h/invite/t" })).toEqual({
      kind: "invite_link",
      secret: "http://h/invite/t",
    });
    expect(reshapeInvitationSecret({})).toBeNull();
  });

  it("reads what a link is for; a spent, replaced or expired one is gone", () => {
    expect(
      reshapeInvitation(200, { purpose: "invite", account_name: "Acme", name: "Grace", email: "g@x" }),
    ).toEqual({
      state: "valid",
      purpose: "invite",
      accountName: "Acme",
      name: "Grace",
      email: "g@x",
    });
    expect(reshapeInvitation(404)).toEqual({ state: "gone" });
    expect(reshapeInvitation(503)).toEqual({ state: "unavailable" });
  });

  const viewer: Me = {
    user: { id: "u1", name: "Ada", kind: "human" },
    account_role: "member",
    organizations: [
      {
        id: "o1",
        name: "Platform",
        role: "member",
        spaces: [{ id: "s1", name: "Production", role: "admin" }],
      },
    ],
    credential: { type: "session" },
  };
  const scope = (id: string, name: string, memberCount: number | null = null) => ({
    id,
    name,
    description: `${name}.`,
    isPrivate: true,
    memberCount,
  });

  it("gives a scope the viewer's roles there and above; one reached only as an admin above has none", () => {
    expect(reshapeScopeDetail("space", scope("s1", "Production"), viewer)).toEqual({
      kind: "space",
      ...scope("s1", "Production"),
      role: "admin",
      organization: { id: "o1", name: "Platform", role: "member" },
    });
    expect(reshapeScopeDetail("organization", scope("o1", "Platform"), viewer)).toMatchObject({
      isPrivate: false,
      role: "member",
      organization: null,
    });
    expect(reshapeScopeDetail("space", scope("s9", "Elsewhere"), viewer)).toMatchObject({
      role: null,
      organization: null,
    });
  });

  it("builds the tree /v2/me reaches, with the lists' descriptions and member counts", () => {
    expect(reshapeTree(viewer, { organizations: [scope("o1", "Platform", 4)], spaces: [] })).toEqual([
      {
        id: "o1",
        name: "Platform",
        description: "Platform.",
        role: "member",
        memberCount: 4,
        spaces: [
          {
            id: "s1",
            name: "Production",
            description: "",
            isPrivate: false,
            role: "admin",
            memberCount: null,
          },
        ],
      },
    ]);
    expect(
      reshapeTree(viewer, { organizations: [], spaces: [scope("s1", "Production", 3)] })[0]?.spaces,
    ).toEqual([
      {
        id: "s1",
        name: "Production",
        description: "Production.",
        isPrivate: true,
        role: "admin",
        memberCount: 3,
      },
    ]);
  });

  it("reads a list's [ext] member_count, and null where an answer has none", () => {
    const entry = { id: "o1", name: "Platform", description: "", created_at: "2026-01-01T00:00:00.000Z" };
    expect(reshapeScope({ ...entry, member_count: 2 }).memberCount).toBe(2);
    expect(reshapeScope(entry).memberCount).toBeNull();
  });
});
