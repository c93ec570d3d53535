import { z } from "zod";
import { cursorQuery, enumInput, limitQuery, PaginationSchema, textInput, timestamp } from "./common";

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

const operationName = textInput().min(1).max(255);

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
  operation_name: z
    .union([operationName, z.array(operationName).min(1).max(20)])
    .optional()
    .transform((v) => (v === undefined ? undefined : typeof v === "string" ? [v] : v))
    .meta({
      description: "Only these exact, case-sensitive operation names; repeat for more than one (Arize 8.61).",
    }),
  include_unattributed: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .meta({
      description:
        "[ext] Keydesk's own dialect: also rows nobody signed in made — failed sign-ins (`actor` null, `target` the " +
        "email tried) and the admin CLI's. Their `user_id` is empty.",
    }),
  limit: limitQuery,
  cursor: cursorQuery,
});

/** [ext] The export's filters: the list's, without pages (every matching row, in one file). */
export const ExportAuditLogsQuerySchema = ListAuditLogsQuerySchema.omit({ limit: true, cursor: true });

const AuditActorSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    kind: z.enum(["person", "bot"]),
  })
  .meta({ id: "AuditActor" });

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
    actor: AuditActorSchema.nullable().optional().meta({
      description: "[ext] Keydesk's own dialect: who made the change; null when unknown (a failed sign-in).",
    }),
    actor_credential: z
      .string()
      .optional()
      .meta({ description: "[ext] session, user_key, service_key, cli or anonymous." }),
    target: z
      .object({
        type: z.string(),
        id: z.string().nullable(),
        name: z.string().nullable(),
      })
      .optional()
      .meta({
        description:
          "[ext] What the change was made to: its type (api_key, user, space, organization, session, account), public id " +
          "and name (null when deleted since). A failed sign-in's is the email tried, with no id.",
      }),
  })
  .meta({ id: "AuditLog" });

export const AuditLogListSchema = z
  .object({ logs: z.array(AuditLogSchema), pagination: PaginationSchema })
  .meta({ id: "AuditLogList" });

export const AuditLogFilterChoicesSchema = z
  .object({
    actors: z.array(AuditActorSchema),
    operation_names: z.array(z.string()),
  })
  .meta({ id: "AuditLogFilterChoices" });
