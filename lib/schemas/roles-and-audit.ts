import { z } from "zod";
import { cursorQuery, enumInput, limitQuery, PaginationSchema, timestamp } from "./common";

export const RoleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().optional(),
    permissions: z.array(z.string()),
    is_predefined: z.boolean(),
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .meta({ id: "Role" });

export const RoleListSchema = z
  .object({ roles: z.array(RoleSchema), pagination: PaginationSchema })
  .meta({ id: "RoleList" });

export const ListRolesQuerySchema = z.object({
  limit: limitQuery,
  cursor: cursorQuery,
  is_predefined: z
    .enum(["true", "false"])
    .optional()
    .meta({ description: "`false` lists custom roles: none here." }),
});

export const RoleIdParamsSchema = z.object({ id: z.string().max(200) });

const dateTime = z
  .string()
  .max(64)
  .refine((v) => !Number.isNaN(new Date(v).getTime()), "Give an ISO 8601 date-time.")
  .transform((v) => new Date(v));

export const ListAuditLogsQuerySchema = z.object({
  start_time: dateTime.optional().meta({ description: "Inclusive; default 30 days before `end_time`." }),
  end_time: dateTime.optional().meta({ description: "Inclusive; default now." }),
  user_id: z.string().max(200).optional().meta({ description: "Only changes made by this user." }),
  operation_type: enumInput(["mutation", "query", "subscription"]).optional().meta({
    description: "Every row is a MUTATION: reads are not logged.",
  }),
  limit: limitQuery,
  cursor: cursorQuery,
});

export const AuditLogSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    ip: z.string(),
    operation_type: z.literal("MUTATION"),
    operation_name: z
      .string()
      .meta({ description: "The operation's id: `create_user`, `add_space_user`, `create_api_key`, …" }),
    variables: z.string().meta({ description: "JSON of the request body, every secret removed." }),
    created_at: timestamp(),
  })
  .meta({ id: "AuditLog" });

export const AuditLogListSchema = z
  .object({ logs: z.array(AuditLogSchema), pagination: PaginationSchema })
  .meta({ id: "AuditLogList" });
