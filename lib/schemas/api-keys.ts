import { z } from "zod";
import {
  cursorQuery,
  dialectEnum,
  enumInput,
  limitQuery,
  PaginationSchema,
  textInput,
  timestamp,
} from "./common";
import { ACCOUNT_ROLES, SCOPE_ROLES } from "../roles/names";

export const KEY_TYPES = ["user", "service"] as const;
const KEY_STATUSES = ["active", "revoked"] as const;
/** What the list's `status` filter accepts: the statuses, and [ext] `expired`, `usable` and `all`. */
export const KEY_STATUS_FILTERS = ["active", "revoked", "expired", "usable", "all"] as const;
export type KeyStatusFilter = (typeof KEY_STATUS_FILTERS)[number];
export const MAX_NAME = 256;
export const MAX_DESCRIPTION = 1000;
export const MAX_GRACE_SECONDS = 86_400;

const roleAliases = { read_only: "read-only", readonly: "read-only" } as const;
const scopeRoleInput = enumInput(SCOPE_ROLES, roleAliases);
const accountRoleInput = enumInput(ACCOUNT_ROLES);

/** `null` from a client means "not given". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === null ? undefined : value), schema.optional());

// RFC 3339 date-time; without an offset it means UTC.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/** JavaScript rolls 2027-02-30 over to March 2 and 24:00 to the next day; RFC 3339 has neither. */
function isCalendarDateTime(value: string): boolean {
  const [year, month, day, hour] = value
    .slice(0, 13)
    .split(/[-Tt ]/)
    .map(Number);
  if (year === undefined || month === undefined || day === undefined || hour === undefined) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23;
}

const dateTimeInput = z
  .string()
  .max(64)
  .regex(DATE_TIME, "Use an RFC 3339 date-time, e.g. 2027-01-01T00:00:00Z.")
  .transform((value, ctx) => {
    const hasOffset = /([Zz]|[+-]\d{2}:?\d{2})$/.test(value);
    const date = new Date(hasOffset ? value : `${value}Z`);
    if (Number.isNaN(date.getTime()) || date.getUTCFullYear() > 9999 || !isCalendarDateTime(value)) {
      ctx.addIssue({ code: "custom", message: "That date does not exist." });
      return z.NEVER;
    }
    return date;
  })
  .meta({ type: "string", format: "date-time", example: "2027-01-01T00:00:00Z" });

export const keyNameSchema = textInput({ error: "Give the key a name." })
  .trim()
  .min(1, "Give the key a name.")
  .max(MAX_NAME, `Names are at most ${MAX_NAME} characters.`);

export const keyDescriptionSchema = textInput()
  .trim()
  .max(MAX_DESCRIPTION, `Descriptions are at most ${MAX_DESCRIPTION} characters.`);

const ApiKeyRolesSchema = z
  .object({
    space_role: optional(scopeRoleInput).meta({ description: "Default `member`." }),
    org_role: optional(scopeRoleInput).meta({ description: "Default `read-only`." }),
    account_role: optional(accountRoleInput).meta({ description: "Default `member`." }),
  })
  .strict()
  .meta({ id: "ApiKeyRoles", description: "Each at most the caller's own effective role at that scope." });

/**
 * Generation D's role assignment: `{ "type": "PREDEFINED", "name": "READ_ONLY" }` (the type may be
 * left out). `{ "type": "CUSTOM", "id": … }` and the ANNOTATOR role are understood but refused with a
 * 422 "not supported by this server" (lib/api/role-input.ts), not a 400.
 * @public For the directory API's membership bodies (in flight on its branch), which take the same objects.
 */
export const RoleAssignmentInputSchema = z
  .object({
    type: optional(enumInput(["predefined", "custom"])),
    name: optional(z.string().max(64)),
    id: optional(z.string().max(200)),
  })
  .strict()
  .meta({
    id: "RoleAssignmentInput",
    description:
      "`{type: PREDEFINED, name}`; names in any case (`READ_ONLY`, `read-only`). CUSTOM and ANNOTATOR: 422.",
  });
export type RoleAssignmentInput = z.output<typeof RoleAssignmentInputSchema>;

const ServiceKeySpaceInputSchema = z
  .object({ space_id: z.string().max(200), role: optional(RoleAssignmentInputSchema) })
  .strict();

const ServiceKeyOrganizationInputSchema = z
  .object({
    org_id: z.string().max(200),
    role: optional(RoleAssignmentInputSchema).meta({ description: "Default READ_ONLY." }),
    spaces: z
      .array(ServiceKeySpaceInputSchema)
      .min(1, "List at least one space of each organization.")
      .max(100, "At most 100 spaces per organization."),
  })
  .strict()
  .meta({ id: "ServiceKeyOrganizationInput" });

export const CreateApiKeySchema = z
  .object({
    name: keyNameSchema,
    description: optional(keyDescriptionSchema),
    key_type: optional(enumInput(KEY_TYPES)).meta({ description: "Default `user`." }),
    expires_at: optional(dateTimeInput).meta({
      description: "Must be in the future. Absent = never expires.",
    }),
    space_id: optional(z.string().max(200)).meta({
      description: "Service keys only: the one space of the key (or use `organizations`).",
    }),
    roles: optional(ApiKeyRolesSchema),
    organizations: optional(
      z
        .array(ServiceKeyOrganizationInputSchema)
        .min(1, "List at least one organization.")
        .max(100, "At most 100 organizations."),
    ).meta({
      description:
        "Service keys only, instead of `space_id` and `roles` (the body of Arize's generation D clients): the " +
        "organizations and spaces the key's bot user gets a role in. Roles default to space MEMBER, organization READ_ONLY.",
    }),
    account_role: optional(RoleAssignmentInputSchema).meta({
      description: "With `organizations`: the bot user's account role (default MEMBER).",
    }),
  })
  .strict()
  .superRefine((body, ctx) => {
    const issue = (field: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [field], message });
    if ((body.key_type ?? "user") === "user") {
      if (body.space_id !== undefined) issue("space_id", "User keys have no space; leave out `space_id`.");
      if (body.roles !== undefined)
        issue("roles", "User keys carry the user's own roles; leave out `roles`.");
      if (body.organizations !== undefined)
        issue("organizations", "User keys carry the user's own roles; leave out `organizations`.");
      if (body.account_role !== undefined)
        issue("account_role", "User keys carry the user's own roles; leave out `account_role`.");
    } else if (body.organizations !== undefined) {
      if (body.space_id !== undefined)
        issue("space_id", "Give either `space_id` (with `roles`) or `organizations`, not both.");
      if (body.roles !== undefined)
        issue("roles", "With `organizations`, give roles inside it and `account_role` beside it.");
    } else {
      if (!body.space_id) issue("space_id", "Service keys need a `space_id` (or `organizations`).");
      if (body.account_role !== undefined)
        issue("account_role", "With `space_id`, give the account role as `roles.account_role`.");
    }
  })
  .meta({ id: "ApiKeyCreate" });
export type CreateApiKeyBody = z.output<typeof CreateApiKeySchema>;

export const RefreshApiKeySchema = z
  .object({
    expires_at: optional(dateTimeInput).meta({ description: "The new secret's expiry. Absent = never." }),
    grace_period_seconds: optional(
      z
        .number({ error: "`grace_period_seconds` must be a whole number from 0 to 86400." })
        .int("`grace_period_seconds` must be a whole number from 0 to 86400.")
        .min(0, "`grace_period_seconds` must be a whole number from 0 to 86400.")
        .max(MAX_GRACE_SECONDS, "`grace_period_seconds` must be a whole number from 0 to 86400."),
    ).meta({ description: "How long the previous secret keeps working (0–86400, default 0)." }),
  })
  .strict()
  .meta({ id: "ApiKeyRefresh" });

const INCLUDE_VALUES = ["details", "exceeds_creator_role"] as const;
export type IncludeValue = (typeof INCLUDE_VALUES)[number];

/** The values of an `include` parameter (any case, comma-separated), or null if one is unknown. */
export function includeValues(value: string | undefined): IncludeValue[] | null {
  if (value === undefined) return [];
  const out: IncludeValue[] = [];
  for (const part of value.split(",")) {
    const found = INCLUDE_VALUES.find((v) => v === part.trim().toLowerCase());
    if (!found) return null;
    out.push(found);
  }
  return out;
}

export const ListApiKeysQuerySchema = z.object({
  key_type: optional(enumInput(KEY_TYPES)),
  status: optional(enumInput(KEY_STATUS_FILTERS, { deleted: "revoked" })).meta({
    description:
      "Default `active` (an expired key stays `active`); `deleted` means `revoked`. [ext] `expired`: active keys " +
      "past their expiry; `usable`: active keys not past their expiry (usable now); `all`: every status.",
  }),
  space_id: z.string().max(200).optional(),
  user_id: z.string().max(200).optional(),
  limit: limitQuery,
  cursor: cursorQuery,
  include: z
    .string()
    .max(100)
    .refine(
      (value) => includeValues(value) !== null,
      "`include` takes `details` and/or `exceeds_creator_role`, comma-separated.",
    )
    .optional()
    .meta({
      description:
        "[ext] Comma-separated. `details` adds space_id, roles, created_by and grace_until; `exceeds_creator_role` adds " +
        "`exceeds_creator_role` to service keys (true when the key holds a role above its creator's current one).",
    }),
  name: textInput()
    .max(MAX_NAME)
    .optional()
    .meta({ description: "[ext] Case-insensitive substring of the name." }),
  // Inventory (lifecycle.md §4): every key in the account, and its filters.
  scope: optional(enumInput(["account"])).meta({
    description:
      "[ext] `account`: every key of every person and space in the account (account admins only; others 403). " +
      "Takes `key_type`, `status`, `name` and the filters below; not `space_id` or `user_id`.",
  }),
  owner_id: z.string().max(200).optional().meta({
    description: "[ext] With `scope=account`: keys this person made (user keys, service keys they created).",
  }),
  expires_before: optional(dateTimeInput).meta({
    description:
      "[ext] With `scope=account`: keys with an expiry before this moment (expired ones included).",
  }),
  unused_since: optional(dateTimeInput).meta({
    description:
      "[ext] With `scope=account`: keys last used before this moment, and never-used keys created before it.",
  }),
  exceeds_policy: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .meta({
      description:
        "[ext] With `scope=account`: `true` lists only keys the account's key policy would refuse today — no " +
        "expiry, or one later than the longest lifetime it allows from now (`GET /v2/key-policy`).",
    }),
});

export const ApiKeyIdParamsSchema = z.object({
  id: z.string().max(200).meta({ description: "API key id (base64 of `ApiKey:<uuid>`), URL-encoded." }),
});

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().optional(),
    key_type: dialectEnum(KEY_TYPES),
    status: dialectEnum(KEY_STATUSES).meta({
      description:
        "Generation C/D clients: ACTIVE/REVOKED. Python and Go clients of generation A read a revoked key as `deleted`.",
    }),
    redacted_key: z.string().optional().meta({
      example: "ak-1a2...xyz",
      description:
        "Always in the default dialect. Absent from create/refresh answers to generation C clients.",
    }),
    created_at: timestamp(),
    expires_at: timestamp().optional(),
    created_by_user_id: z.string(),
    last_used_at: timestamp().optional().meta({
      description: "Approximate: updated at most once a minute. Not sent to Python ≤ 8.28.2 or Go < 0.6.",
    }),
    space_id: z.string().optional().meta({ description: "[ext] include=details, service keys." }),
    roles: z
      .object({
        space_role: z.enum(SCOPE_ROLES),
        org_role: z.enum(SCOPE_ROLES),
        account_role: z.enum(ACCOUNT_ROLES),
      })
      .optional()
      .meta({ description: "[ext] include=details, service keys." }),
    created_by: z
      .object({ id: z.string(), name: z.string(), email: z.string().optional() })
      .optional()
      .meta({ description: "[ext] include=details." }),
    exceeds_creator_role: z.boolean().optional().meta({
      description:
        "[ext] include=exceeds_creator_role, service keys: the key holds a role above its creator's current role at some scope (it keeps working; review it).",
    }),
    grace_until: timestamp().optional().meta({
      description:
        "[ext] include=details: when the previous secret of a refreshed key stops working, while in the future.",
    }),
    space_name: z
      .string()
      .optional()
      .meta({ description: "[ext] scope=account, service keys: the space's name." }),
  })
  .meta({ id: "ApiKey" });
export type ApiKeyJson = z.infer<typeof ApiKeySchema>;

const roleObject = z
  .object({ type: z.literal("PREDEFINED"), name: z.string() })
  .meta({ id: "RoleAssignment", description: "Generation D's role: `{type: PREDEFINED, name: READ_ONLY}`." });

const BotUserSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    account_role: roleObject,
    organizations: z.array(
      z.object({
        org_id: z.string(),
        role: roleObject,
        spaces: z.array(z.object({ space_id: z.string(), role: roleObject })),
      }),
    ),
  })
  .meta({
    id: "BotUser",
    description: "Generation D clients only: the service key's bot user with every role it was given.",
  });
export type BotUserJson = z.infer<typeof BotUserSchema>;

export const ApiKeyCreatedSchema = ApiKeySchema.extend({
  key: z.string().meta({ description: "The raw key. Returned once, here, and never again." }),
  bot_user: BotUserSchema.optional(),
}).meta({ id: "ApiKeyCreated" });
export type ApiKeyCreatedJson = z.infer<typeof ApiKeyCreatedSchema>;

/** A list's key: Python ≥ 8.45 also reads each service key's bot user (issue 21). */
const ListedApiKeySchema = ApiKeySchema.extend({
  bot_user: BotUserSchema.optional().meta({
    description:
      "Service keys, to Python clients ≥ 8.45 only (their ServiceApiKey declares it): the bot user the key acts as and every role it holds now.",
  }),
}).meta({ id: "ListedApiKey" });

export const ApiKeyListSchema = z
  .object({ api_keys: z.array(ListedApiKeySchema), pagination: PaginationSchema })
  .meta({ id: "ApiKeyList" });
export type ApiKeyListJson = z.infer<typeof ApiKeyListSchema>;
