import { z } from "zod";
import { cursorQuery, dialectEnum, limitQuery, PaginationSchema, timestamp } from "./common";

const SCOPE_ROLES = ["admin", "member", "read-only"] as const;
const ACCOUNT_ROLES = ["admin", "member"] as const;
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

const entry = { id: z.string(), name: z.string(), description: z.string(), created_at: timestamp() };

const SpaceSchema = z
  .object({
    ...entry,
    is_private: z.boolean().optional().meta({
      description:
        "Always in the default dialect; sent to Arize clients whose schema has it (Python ≥ 8.43, TypeScript ≥ 1.27).",
    }),
  })
  .meta({ id: "Space" });
const OrganizationSchema = z.object(entry).meta({ id: "Organization" });

export const ListSpacesQuerySchema = z.object({
  org_id: z.string().max(200).optional().meta({ description: "Only spaces of this organization." }),
  name: z.string().max(256).optional().meta({ description: "Case-insensitive substring of the name." }),
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
