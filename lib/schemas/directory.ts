import { z } from "zod";
import { cursorQuery, dialectEnum, limitQuery, PaginationSchema, textInput, timestamp } from "./common";
import { RoleInputSchema, RoleOutputSchema } from "./users";
import { ACCOUNT_ROLES, SCOPE_ROLES } from "../roles/names";

const USER_KINDS = ["human", "bot"] as const;
const CREDENTIAL_TYPES = ["session", "user_key", "service_key"] as const;

function meSchema<
  R extends z.ZodType<string>,
  A extends z.ZodType<string>,
  K extends z.ZodType<string>,
  C extends z.ZodType<string>,
>(role: R, accountRole: A, kind: K, credentialType: C) {
  return z.object({
    user: z.object({
      id: z.string(),
      name: z.string(),
      email: z.string().optional(),
      kind,
    }),
    account_role: accountRole,
    organizations: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        role,
        spaces: z.array(z.object({ id: z.string(), name: z.string(), role })),
      }),
    ),
    credential: z.object({
      type: credentialType,
      api_key_id: z.string().optional(),
    }),
  });
}

/** `/v2/me` on the wire: enums as the request's dialect spells them (SCREAMING_SNAKE for C/D). */
export const MeSchema = meSchema(
  dialectEnum(SCOPE_ROLES),
  dialectEnum(ACCOUNT_ROLES),
  dialectEnum(USER_KINDS),
  dialectEnum(CREDENTIAL_TYPES),
).meta({ id: "Me", description: "Who a credential is, with effective roles at every reachable scope." });
export type MeJson = z.infer<typeof MeSchema>;

/** @public The default dialect's `/v2/me` schema; its type is `Me`. */
export const MeDefaultSchema = meSchema(
  z.enum(SCOPE_ROLES),
  z.enum(ACCOUNT_ROLES),
  z.enum(USER_KINDS),
  z.enum(CREDENTIAL_TYPES),
);
/** `/v2/me` in the default dialect (no sdk headers): what the dashboard and services see. */
export type Me = z.infer<typeof MeDefaultSchema>;

const entry = {
  id: z.string(),
  name: z.string(),
  description: z.string(),
  created_at: timestamp(),
  member_count: z.number().int().min(0).optional().meta({
    description:
      "[ext] In lists, for the default dialect: how many people hold a role here (the member list's length; bots never count).",
  }),
};

export const SpaceSchema = z
  .object({
    ...entry,
    is_private: z.boolean().optional().meta({
      description:
        "Visible only to its members and the admins above them. Sent to the default dialect, TypeScript ≥ 1.27 and Python ≥ 8.43 (older clients' schemas lack it).",
    }),
  })
  .meta({ id: "Space" });
export const OrganizationSchema = z.object(entry).meta({ id: "Organization" });

export const ListSpacesQuerySchema = z.object({
  org_id: z.string().max(200).optional().meta({ description: "Only spaces of this organization." }),
  name: textInput().max(256).optional().meta({ description: "Case-insensitive substring of the name." }),
  limit: limitQuery,
  cursor: cursorQuery,
});

export const ListOrganizationsQuerySchema = ListSpacesQuerySchema.omit({ org_id: true });

export const SpaceListSchema = z
  .object({ spaces: z.array(SpaceSchema), pagination: PaginationSchema })
  .meta({ id: "SpaceList" });
export const OrganizationListSchema = z
  .object({ organizations: z.array(OrganizationSchema), pagination: PaginationSchema })
  .meta({ id: "OrganizationList" });

export const UserIdParamsSchema = z.object({
  id: z.string().max(200).meta({ description: "User id (base64 of `User:<uuid>`)." }),
});

const scopeName = textInput({ error: "Give a name." })
  .trim()
  .min(1, "Give a name.")
  .max(256, "Names are at most 256 characters.");
const description = textInput().max(1000, "Descriptions are at most 1000 characters.");

export const CreateOrganizationSchema = z
  .object({ name: scopeName, description: description.optional() })
  .strict()
  .meta({ id: "CreateOrganizationRequest" });

export const UpdateOrganizationSchema = z
  .object({ name: scopeName.optional(), description: description.nullable().optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.description !== undefined, {
    message: "Give at least one of name, description.",
  })
  .meta({ id: "UpdateOrganizationRequest" });

export const CreateSpaceSchema = z
  .object({
    name: scopeName,
    organization_id: z.string().max(200),
    description: description.optional(),
    is_private: z.boolean().optional(),
  })
  .strict()
  .meta({ id: "CreateSpaceRequest" });

export const UpdateSpaceSchema = z
  .object({
    name: scopeName.optional(),
    description: description.nullable().optional(),
    is_private: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.description !== undefined || b.is_private !== undefined, {
    message: "Give at least one of name, description, is_private.",
  })
  .meta({ id: "UpdateSpaceRequest" });

export const AddMemberSchema = z
  .object({ user_id: z.string().max(200), role: RoleInputSchema })
  .strict()
  .meta({ id: "AddMemberRequest" });

/** A space's add-member body: AddMemberRequest and [ext] `join_organization`. */
export const AddSpaceUserSchema = AddMemberSchema.extend({
  join_organization: z
    .boolean()
    .optional()
    .meta({
      description:
        "[ext] `true`: a person who is not a member of the space's organization joins it as read-only in the same " +
        "transaction (one audit row each; needs the right to manage the organization's members). Without it, 400 as Arize answers.",
    }),
})
  .strict()
  .meta({ id: "AddSpaceUserRequest" });

export const ScopeIdParamsSchema = z.object({
  id: z.string().max(200).meta({ description: "Organization or space id (base64), URL-encoded." }),
});
export const MemberParamsSchema = ScopeIdParamsSchema.extend({
  user_id: z.string().max(200).meta({ description: "User id (base64)." }),
});

export const DeleteScopeQuerySchema = z.object({
  force: z.enum(["true", "false", "1", "0"]).optional().meta({
    description: "[ext] `true`: also revoke the active service keys inside (else 409 naming how many).",
  }),
});

const membershipUser = z
  .object({ name: z.string(), email: z.string(), status: z.string() })
  .optional()
  .meta({ description: "[ext] Member lists only." });

export const OrganizationMembershipSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    organization_id: z.string(),
    role: RoleOutputSchema,
    user: membershipUser,
  })
  .meta({ id: "OrganizationMembership" });

export const SpaceMembershipSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    space_id: z.string(),
    role: RoleOutputSchema,
    user: membershipUser,
  })
  .meta({ id: "SpaceMembership" });

export const OrganizationMemberListSchema = z
  .object({ memberships: z.array(OrganizationMembershipSchema), pagination: PaginationSchema })
  .meta({ id: "OrganizationMemberList" });
export const SpaceMemberListSchema = z
  .object({ memberships: z.array(SpaceMembershipSchema), pagination: PaginationSchema })
  .meta({ id: "SpaceMemberList" });

export const PageQuerySchema = z.object({ limit: limitQuery, cursor: cursorQuery });
