import { z } from "zod";
import { cursorQuery, limitQuery, PaginationSchema, timestamp } from "./common";

const role = z.enum(["admin", "member", "read-only"]);

export const MeSchema = z
  .object({
    user: z.object({
      id: z.string(),
      name: z.string(),
      email: z.string().optional(),
      kind: z.enum(["human", "bot"]),
    }),
    account_role: z.enum(["admin", "member"]),
    organizations: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        role,
        spaces: z.array(z.object({ id: z.string(), name: z.string(), role })),
      }),
    ),
    credential: z.object({
      type: z.enum(["session", "user_key", "service_key"]),
      api_key_id: z.string().optional(),
    }),
  })
  .meta({ id: "Me", description: "Who a credential is, with effective roles at every reachable scope." });
export type Me = z.infer<typeof MeSchema>;

const entry = (id: string) =>
  z
    .object({ id: z.string(), name: z.string(), description: z.string(), created_at: timestamp() })
    .meta({ id });

const SpaceSchema = entry("Space");
const OrganizationSchema = entry("Organization");

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
