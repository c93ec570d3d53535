import { z } from "zod";
import { cursorQuery, enumInput, limitQuery, PaginationSchema, textInput, timestamp } from "./common";

/** A person's or a scope's display name: 1–255 characters after trimming (1.28's limit). */
export const personName = textInput({ error: "Give a name." })
  .trim()
  .min(1, "Give a name.")
  .max(255, "Names are at most 255 characters.");

export const emailInput = textInput({ error: "Give an email address." })
  .trim()
  .max(320, "That email is too long.")
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "Give a valid email address.");

/**
 * A role as requests give it: a name in any case (`read_only` too), or generation D's role object
 * `{ "type": "PREDEFINED", "name": "MEMBER" }`. Which names a scope accepts, and the 422 for
 * ANNOTATOR and CUSTOM, are decided by lib/roles's `parseRole`.
 */
export const RoleInputSchema = z
  .union([
    z.string().max(40),
    z
      .object({
        type: z.string().max(20),
        name: z.string().max(40).optional(),
        id: z.string().max(200).optional(),
      })
      .strict(),
  ])
  .meta({
    id: "RoleInput",
    description:
      'A predefined role: a name in any case (`admin`, `member`, `read-only`/`READ_ONLY`) or `{ "type": "PREDEFINED", "name": "MEMBER" }`. ' +
      "ANNOTATOR and CUSTOM roles answer 422 (not supported by this server).",
  });

/** Roles in answers: a lowercase name by default; SCREAMING_SNAKE for generation C; an object for D. */
export const RoleOutputSchema = z
  .union([z.string(), z.object({ type: z.literal("PREDEFINED"), name: z.string() })])
  .meta({
    id: "RoleOutput",
    description:
      "Default dialect: `admin` | `member` | `read-only`. Generation C clients: `ADMIN` | `MEMBER` | `READ_ONLY`. " +
      'Generation D clients (TypeScript ≥ 1.27, Python ≥ 8.41, Go ≥ 0.19): `{ "type": "PREDEFINED", "name": "ADMIN" }`.',
  });

const INVITE_MODES = ["NONE", "EMAIL_LINK", "TEMPORARY_PASSWORD"] as const;

export const CreateUserSchema = z
  .object({
    name: personName,
    email: emailInput,
    role: RoleInputSchema,
    invite_mode: z.preprocess(
      (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
      z.enum(INVITE_MODES, { error: () => `Expected one of: ${INVITE_MODES.join(", ")}.` }),
    ),
    is_developer: z.boolean().optional(),
  })
  .strict()
  .meta({ id: "CreateUserRequest" });

export const UpdateUserSchema = z
  .object({
    name: personName.optional(),
    is_developer: z.boolean().optional(),
    role: RoleInputSchema.optional().meta({ description: "[ext] The account role (`admin` | `member`)." }),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.is_developer !== undefined || b.role !== undefined, {
    message: "Give at least one of name, is_developer, role.",
  })
  .meta({ id: "UpdateUserRequest" });

const USER_STATUSES = ["active", "invited", "expired", "blocked"] as const;

export const UserSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    created_at: timestamp(),
    status: z.string().meta({
      description:
        "Default dialect: `active` | `invited` | `expired` | `blocked`. Generations C/D: `ACTIVE` | `INVITED` | `EXPIRED` (blocked people are 404 to them).",
    }),
    role: RoleOutputSchema,
    is_developer: z.boolean(),
  })
  .meta({ id: "User" });

export const UserCreatedSchema = UserSchema.extend({
  invite_mode: z.enum(INVITE_MODES),
  temporary_password: z
    .string()
    .optional()
    .meta({ description: "TEMPORARY_PASSWORD only: returned once, here. Treat it as a secret." }),
  invitation_url: z.string().optional().meta({
    description:
      "[ext] EMAIL_LINK, default dialect only: the absolute one-time link `/invite/<token>` (7 days), also emailed when SMTP_URL is set.",
  }),
}).meta({ id: "UserCreated" });

export const UserListSchema = z
  .object({ users: z.array(UserSchema), pagination: PaginationSchema })
  .meta({ id: "UserList" });

const statusList = z.preprocess(
  (v) => (typeof v === "string" ? v.split(",") : v),
  z.array(enumInput(USER_STATUSES)).max(4),
);

export const ListUsersQuerySchema = z.object({
  limit: limitQuery,
  cursor: cursorQuery,
  email: textInput().max(320).optional().meta({ description: "Case-insensitive substring of the email." }),
  search: textInput().max(255).optional().meta({
    description: "[ext] Case-insensitive substring of the name or the email (with `email`: both must match).",
  }),
  status: statusList
    .optional()
    .meta({ description: "Only people with these statuses (repeat or comma-separate)." }),
  include: z
    .preprocess((v) => (typeof v === "string" ? v.trim().toLowerCase() : v), z.enum(["blocked"]))
    .optional()
    .meta({ description: "[ext] `blocked` also lists blocked people (default dialect only)." }),
});

export const InvitationSecretSchema = z
  .object({
    temporary_password: z.string().optional(),
    invitation_url: z.string().optional(),
  })
  .meta({
    id: "InvitationSecret",
    description:
      "[ext] The new temporary password, or (default dialect) the new one-time link. Returned once.",
  });

export const ResetPasswordQuerySchema = z.object({
  mode: z
    .preprocess(
      (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
      z.enum(["email", "temporary_password"]),
    )
    .optional()
    .meta({
      description:
        "[ext] `temporary_password`: answer 200 with a temporary password (returned once; to be changed at the next sign-in). Default `email`: a 30-minute link by email (400 without SMTP_URL).",
    }),
});

export const ChangePasswordSchema = z
  .object({
    current_password: z.string({ error: "Enter your current password." }).min(1).max(1024),
    new_password: z.string({ error: "Choose a new password." }).max(1024, "That password is too long."),
  })
  .strict()
  .meta({ id: "ChangePasswordRequest" });

export const UserPathSchema = z.object({
  id: z.string().max(200).meta({ description: "User id (base64 of `User:<uuid>`)." }),
});
