"use server";

import { z } from "zod";
import type { ActionResult } from "../action-result";
import { invalidInput, problemToError, requireSession, signedOut, unreachable } from "../action-support";
import { browserOrigin } from "../session";
import { invitationSecret, parseMember, parseMemberPage } from "../directory-support";
import type { Invitation, Member, Page } from "../directory-types";
import { directoryCall } from "../../keys-client/directory";
import { ACCOUNT_ROLE_CHOICES, IdSchema, InviteMemberFormSchema } from "../../schemas/directory-forms";

// Every export here is a public endpoint: each one authenticates (session cookie) and validates by
// itself, and the keys API authorizes everything (account admins only, for every change here).

const ListMembersInputSchema = z
  .object({ search: z.string().trim().max(255).optional(), cursor: z.string().max(200).optional() })
  .strict();

const unexpected = {
  code: "error",
  message: "The keys service answered in a way this page cannot read.",
} as const;

/** An invitation link on the origin people reach, unless PUBLIC_URL names it (then the API's is right). */
async function reachable<T extends { kind: string; secret: string }>(secret: T): Promise<T> {
  if (secret.kind !== "invite_link" || process.env.PUBLIC_URL) return secret;
  const origin = await browserOrigin();
  if (!origin) return secret;
  const url = new URL(secret.secret);
  return { ...secret, secret: `${origin}${url.pathname}` };
}

export async function listMembersAction(
  input: z.input<typeof ListMembersInputSchema>,
): Promise<ActionResult<Page<Member>>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = ListMembersInputSchema.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  try {
    const { status, body } = await directoryCall(session, "GET", "/v2/users", {
      query: {
        limit: 25,
        include: "blocked",
        email: parsed.data.search,
        cursor: parsed.data.cursor,
      },
    });
    if (status !== 200) return { ok: false, error: problemToError(status, body) };
    const page = parseMemberPage(body);
    return page ? { ok: true, data: page } : { ok: false, error: unexpected };
  } catch {
    return { ok: false, error: unreachable };
  }
}

/** People for the Person combobox of Add member: the account's users, Invited ones included. */
export async function searchPeopleAction(input: { search?: string }): Promise<ActionResult<Member[]>> {
  const result = await listMembersAction({ search: input?.search });
  if (!result.ok) return result;
  return { ok: true, data: result.data.items.filter((m) => m.status !== "blocked") };
}

/**
 * Creates the person and returns the one-time secret for the Share the invitation dialog: the
 * temporary password, or the invitation link. The secret is in this answer only, never logged.
 */
export async function inviteMemberAction(
  input: unknown,
): Promise<ActionResult<{ member: Member; invitation: Invitation | null }>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = InviteMemberFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  const form = parsed.data;
  try {
    const { status, body } = await directoryCall(session, "POST", "/v2/users", {
      body: {
        name: form.name,
        email: form.email,
        role: form.accountRole,
        invite_mode: form.inviteWith === "temporary_password" ? "TEMPORARY_PASSWORD" : "EMAIL_LINK",
      },
    });
    if (status === 200) {
      // An invitation for this email is pending already: the API returns it as it is, without a new secret.
      return {
        ok: false,
        error: {
          code: "conflict",
          message: `${form.email} has a pending invitation already. Use Resend invitation on their row.`,
          fieldErrors: { email: "This person is invited already." },
        },
      };
    }
    if (status !== 201) return { ok: false, error: problemToError(status, body) };
    const member = parseMember(body);
    if (!member) return { ok: false, error: unexpected };
    const found = invitationSecret(body);
    const secret = found ? await reachable(found) : null;
    return { ok: true, data: { member, invitation: secret ? { name: member.name, ...secret } : null } };
  } catch {
    return { ok: false, error: unreachable };
  }
}

export async function changeAccountRoleAction(input: {
  userId: string;
  role: string;
}): Promise<ActionResult<Member>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = z
    .object({ userId: IdSchema, role: z.enum(ACCOUNT_ROLE_CHOICES) })
    .strict()
    .safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  try {
    const { status, body } = await directoryCall(
      session,
      "PATCH",
      `/v2/users/${encodeURIComponent(parsed.data.userId)}`,
      { body: { role: parsed.data.role } },
    );
    if (status !== 200) return { ok: false, error: problemToError(status, body) };
    const member = parseMember(body);
    return member ? { ok: true, data: member } : { ok: false, error: unexpected };
  } catch {
    return { ok: false, error: unreachable };
  }
}

/** A new temporary password for an active person, shown once; they choose their own at next sign-in. */
export async function resetPasswordAction(input: {
  userId: string;
  name: string;
}): Promise<ActionResult<Invitation | null>> {
  return issueSecret(input, "reset-password", { mode: "temporary_password" });
}

/** A new invitation (link or temporary password, as the first one was); the old one stops working. */
export async function resendInvitationAction(input: {
  userId: string;
  name: string;
}): Promise<ActionResult<Invitation | null>> {
  return issueSecret(input, "resend-invitation", {});
}

async function issueSecret(
  input: { userId: string; name: string },
  operation: "reset-password" | "resend-invitation",
  query: Record<string, string>,
): Promise<ActionResult<Invitation | null>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = z
    .object({ userId: IdSchema, name: z.string().max(255) })
    .strict()
    .safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  try {
    const { status, body } = await directoryCall(
      session,
      "POST",
      `/v2/users/${encodeURIComponent(parsed.data.userId)}/${operation}`,
      { query },
    );
    // 204: the new link went out by email (SMTP_URL is set), so there is nothing to share here.
    if (status === 204) return { ok: true, data: null };
    if (status !== 200 && status !== 201) return { ok: false, error: problemToError(status, body) };
    const found = invitationSecret(body);
    if (!found) return { ok: false, error: unexpected };
    return { ok: true, data: { name: parsed.data.name, ...(await reachable(found)) } };
  } catch {
    return { ok: false, error: unreachable };
  }
}

export async function blockMemberAction(input: { userId: string }): Promise<ActionResult<null>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = z.object({ userId: IdSchema }).strict().safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  try {
    const { status, body } = await directoryCall(
      session,
      "DELETE",
      `/v2/users/${encodeURIComponent(parsed.data.userId)}`,
    );
    return status === 204 ? { ok: true, data: null } : { ok: false, error: problemToError(status, body) };
  } catch {
    return { ok: false, error: unreachable };
  }
}
