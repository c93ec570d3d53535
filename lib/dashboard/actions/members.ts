"use server";

import { z } from "zod";
import { ActionRefusal, defineAction, expectOk, fromApi } from "../define-action";
import {
  reshapeInvitationSecret,
  reshapeMember,
  reshapeMemberPage,
  type Invitation,
  type Member,
  type Page,
} from "../../keys-client/reshape";
import type { components } from "../../keys-client/schema";
import { ACCOUNT_ROLES } from "../../roles/names";
import { IdSchema, InviteMemberFormSchema } from "../../schemas/directory-forms";
import { signInUrl } from "../sign-in-url";

// Every export here is a public endpoint: defineAction authenticates (session cookie) and validates
// each one, and the keys API authorizes everything (account admins only, for every change here).

const ListMembersInputSchema = z
  .object({ search: z.string().trim().max(255).optional(), cursor: z.string().max(200).optional() })
  .strict();

export const listMembersAction = defineAction(
  { input: ListMembersInputSchema },
  async ({ search, cursor }, { api }): Promise<Page<Member>> => {
    const answer = await api.GET("/v2/users", {
      params: {
        query: {
          limit: 25,
          include: "blocked",
          ...(search ? { search } : {}),
          ...(cursor ? { cursor } : {}),
        },
      },
    });
    return reshapeMemberPage(fromApi(answer));
  },
);

/** People for the Person combobox of Add member: the account's users, Invited ones included. */
export const searchPeopleAction = defineAction(
  { input: z.object({ search: z.string().trim().max(255).optional() }).strict() },
  async ({ search }, { api }): Promise<Member[]> => {
    const answer = await api.GET("/v2/users", {
      params: { query: { limit: 50, ...(search ? { search } : {}) } },
    });
    return reshapeMemberPage(fromApi(answer)).items;
  },
);

/**
 * Creates the person and returns the one-time secret for the Share the invitation dialog: the
 * temporary password, or the invitation link. The secret is in this answer only, never logged.
 */
export const inviteMemberAction = defineAction(
  { input: InviteMemberFormSchema },
  async (form, { api }): Promise<{ member: Member; invitation: Invitation | null }> => {
    const answer = await api.POST("/v2/users", {
      body: {
        name: form.name,
        email: form.email,
        role: form.accountRole,
        invite_mode: form.inviteWith === "temporary_password" ? "TEMPORARY_PASSWORD" : "EMAIL_LINK",
      },
    });
    const body = fromApi(answer);
    if (answer.response.status === 200) {
      // A pending invitation for this email exists: the API returns it as it is, with no new secret.
      throw new ActionRefusal({
        code: "conflict",
        message: `${form.email} has a pending invitation already. Use Resend invitation on their row.`,
        fieldErrors: { email: "This person is invited already." },
      });
    }
    const member = reshapeMember(body);
    // The link is on the browser's origin (or PUBLIC_URL): defineAction passes that origin on.
    const secret = "invite_mode" in body ? reshapeInvitationSecret(body) : null;
    return {
      member,
      invitation: secret ? await withSignIn({ name: member.name, email: member.email, ...secret }) : null,
    };
  },
);

export const changeAccountRoleAction = defineAction(
  { input: z.object({ userId: IdSchema, role: z.enum(ACCOUNT_ROLES) }).strict() },
  async ({ userId, role }, { api }): Promise<Member> => {
    const answer = await api.PATCH("/v2/users/{id}", { params: { path: { id: userId } }, body: { role } });
    return reshapeMember(fromApi(answer));
  },
);

type InvitationSecretAnswer = components["schemas"]["InvitationSecret"];

const IssueInputSchema = z
  .object({ userId: IdSchema, name: z.string().max(255), email: z.string().max(320).optional() })
  .strict();

/** A temporary password travels with the sign-in page's address (one Copy gives both). */
async function withSignIn(invitation: Invitation): Promise<Invitation> {
  if (invitation.kind !== "temporary_password") return invitation;
  const url = await signInUrl();
  return url ? { ...invitation, signInUrl: url } : invitation;
}

/**
 * The new secret of a reset or resend, to share once; null when the API emailed a link instead
 * (204, SMTP_URL set), so there is nothing to share here.
 */
async function shared(
  answer: Parameters<typeof fromApi<InvitationSecretAnswer>>[0],
  name: string,
  email: string | undefined,
): Promise<Invitation | null> {
  if (answer.response.status === 204) return null;
  const secret = reshapeInvitationSecret(fromApi(answer));
  if (!secret)
    throw new ActionRefusal({
      code: "internal_error",
      message: "The keys service answered in a way this page cannot read.",
    });
  return withSignIn({ name, ...(email ? { email } : {}), ...secret });
}

/** A new temporary password for an active person, shown once; they choose their own at next sign-in. */
export const resetPasswordAction = defineAction(
  { input: IssueInputSchema },
  async ({ userId, name, email }, { api }): Promise<Invitation | null> =>
    shared(
      await api.POST("/v2/users/{id}/reset-password", {
        params: { path: { id: userId }, query: { mode: "temporary_password" } },
      }),
      name,
      email,
    ),
);

/** A new invitation (link or temporary password, as the first one was); the old one stops working. */
export const resendInvitationAction = defineAction(
  { input: IssueInputSchema },
  async ({ userId, name, email }, { api }): Promise<Invitation | null> =>
    shared(
      await api.POST("/v2/users/{id}/resend-invitation", { params: { path: { id: userId } } }),
      name,
      email,
    ),
);

export const blockMemberAction = defineAction(
  { input: z.object({ userId: IdSchema }).strict() },
  async ({ userId }, { api }): Promise<null> => {
    expectOk(await api.DELETE("/v2/users/{id}", { params: { path: { id: userId } } }));
    return null;
  },
);

/** Lets a blocked person sign in again; their revoked keys and removed memberships stay as they are. */
export const unblockMemberAction = defineAction(
  { input: z.object({ userId: IdSchema }).strict() },
  async ({ userId }, { api }): Promise<null> => {
    expectOk(await api.POST("/v2/users/{id}/unblock", { params: { path: { id: userId } } }));
    return null;
  },
);
