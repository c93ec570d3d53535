/**
 * Reading the directory API's answers into the dashboard's shapes (lib/dashboard/directory-types.ts).
 * The dashboard calls without `sdk-*` headers, so answers come in the default dialect (lowercase);
 * role objects (`{ type, name }`) and SCREAMING_SNAKE values are read too, so a dialect change
 * cannot break a page. Pure; no server code.
 */
import { z } from "zod";
import type { AccountRole, ScopeRole } from "../roles/roles";
import type { Member, Page, ScopeMember, UserStatus } from "./directory-types";

const roleValue = z.union([z.string(), z.object({ name: z.string() }).loose()]);

/** `"ADMIN"`, `"read_only"`, `{ type: "PREDEFINED", name: "READ_ONLY" }` → `admin` / `read-only`. */
export function scopeRole(value: unknown): ScopeRole | null {
  const parsed = roleValue.safeParse(value);
  if (!parsed.success) return null;
  const name = (typeof parsed.data === "string" ? parsed.data : parsed.data.name)
    .toLowerCase()
    .replace("_", "-");
  return name === "admin" || name === "member" || name === "read-only" ? name : null;
}

export function accountRole(value: unknown): AccountRole | null {
  const role = scopeRole(value);
  return role === "admin" || role === "member" ? role : null;
}

export function userStatus(value: unknown): UserStatus {
  const status = typeof value === "string" ? value.toLowerCase() : "";
  if (status === "invited" || status === "expired" || status === "blocked") return status;
  // 1.28 calls a blocked person `inactive`.
  if (status === "inactive") return "blocked";
  return "active";
}

const PaginationWire = z
  .object({ has_more: z.boolean().optional(), next_cursor: z.string().nullish() })
  .loose()
  .optional();

function pageOf<T>(items: T[], pagination: z.infer<typeof PaginationWire>): Page<T> {
  return pagination?.has_more && pagination.next_cursor
    ? { items, nextCursor: pagination.next_cursor }
    : { items };
}

const UserWire = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    created_at: z.string(),
    status: z.string(),
    role: z.unknown(),
  })
  .loose();

function memberFrom(user: z.infer<typeof UserWire>): Member {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    accountRole: accountRole(user.role) ?? "member",
    status: userStatus(user.status),
    createdAt: user.created_at,
  };
}

export function parseMember(body: unknown): Member | null {
  const parsed = UserWire.safeParse(body);
  return parsed.success ? memberFrom(parsed.data) : null;
}

export function parseMemberPage(body: unknown): Page<Member> | null {
  const parsed = z
    .object({ users: z.array(UserWire), pagination: PaginationWire })
    .loose()
    .safeParse(body);
  return parsed.success ? pageOf(parsed.data.users.map(memberFrom), parsed.data.pagination) : null;
}

const MembershipWire = z
  .object({
    user_id: z.string(),
    role: z.unknown(),
    user: z.object({ name: z.string(), email: z.string(), status: z.string().optional() }).loose(),
  })
  .loose();

export function parseScopeMemberPage(body: unknown): Page<ScopeMember> | null {
  const parsed = z
    .object({ memberships: z.array(MembershipWire), pagination: PaginationWire })
    .loose()
    .safeParse(body);
  if (!parsed.success) return null;
  const items = parsed.data.memberships.map((m): ScopeMember => ({
    userId: m.user_id,
    name: m.user.name,
    email: m.user.email,
    status: userStatus(m.user.status),
    role: scopeRole(m.role) ?? "read-only",
  }));
  return pageOf(items, parsed.data.pagination);
}

const EntryWire = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullish(),
    is_private: z.boolean().optional(),
  })
  .loose();
export type Entry = { id: string; name: string; description: string; isPrivate: boolean };

function entryFrom(e: z.infer<typeof EntryWire>): Entry {
  return { id: e.id, name: e.name, description: e.description ?? "", isPrivate: e.is_private ?? false };
}

export function parseEntry(body: unknown): Entry | null {
  const parsed = EntryWire.safeParse(body);
  return parsed.success ? entryFrom(parsed.data) : null;
}

export function parseEntryPage(body: unknown, field: "spaces" | "organizations"): Page<Entry> | null {
  const parsed = z
    .object({ [field]: z.array(EntryWire), pagination: PaginationWire })
    .loose()
    .safeParse(body);
  if (!parsed.success) return null;
  const list = z.array(EntryWire).parse(parsed.data[field]);
  return pageOf(list.map(entryFrom), PaginationWire.parse(parsed.data.pagination));
}

/**
 * The one-time secret of a create, resend or reset answer: a temporary password, or the invitation
 * link (absolute; the API builds it from PUBLIC_URL or the request).
 */
export function invitationSecret(
  body: unknown,
): { kind: "temporary_password" | "invite_link"; secret: string } | null {
  const parsed = z
    .object({
      temporary_password: z.string().min(1).optional(),
      invitation_url: z.string().min(1).optional(),
    })
    .loose()
    .safeParse(body);
  if (!parsed.success) return null;
  if (parsed.data.temporary_password)
    return { kind: "temporary_password", secret: parsed.data.temporary_password };
  if (parsed.data.invitation_url) return { kind: "invite_link", secret: parsed.data.invitation_url };
  return null;
}

export type InvitationLookup =
  | { state: "valid"; purpose: "invite" | "reset"; accountName: string; name: string; email: string }
  | { state: "gone" | "unavailable" };

const InvitationWire = z
  .object({
    purpose: z.enum(["invite", "reset"]).optional(),
    account_name: z.string(),
    name: z.string().optional(),
    email: z.string().optional(),
  })
  .loose();

/** GET /v2/invitations/{token}: 200 for a link that works; 404 once it is used, replaced or expired. */
export function parseInvitation(status: number, body: unknown): InvitationLookup {
  if (status >= 500) return { state: "unavailable" };
  if (status !== 200) return { state: "gone" };
  const parsed = InvitationWire.safeParse(body);
  if (!parsed.success) return { state: "unavailable" };
  return {
    state: "valid",
    purpose: parsed.data.purpose ?? "invite",
    accountName: parsed.data.account_name,
    name: parsed.data.name ?? "",
    email: parsed.data.email ?? "",
  };
}
