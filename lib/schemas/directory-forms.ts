import { z } from "zod";
import { ACCOUNT_ROLES, SCOPE_ROLES } from "../roles/names";
import { textInput } from "./common";
import { MAX_PASSWORD, MIN_PASSWORD } from "./password-rules";

/** The dashboard's forms over the directory API: people, organizations, spaces, passwords. */

const MAX_PERSON_NAME = 255;
const MAX_SCOPE_NAME = 256;
const MAX_SCOPE_DESCRIPTION = 1000;

const personName = textInput()
  .trim()
  .min(1, "Enter a name.")
  .max(MAX_PERSON_NAME, `At most ${MAX_PERSON_NAME} characters.`);
const email = textInput()
  .trim()
  .min(1, "Enter an email address.")
  .max(320, "That email is too long.")
  .pipe(z.email({ error: "Enter a valid email address." }));

/** Passwords: at least 12 characters, the same rule everywhere. */
const passwordSchema = z
  .string()
  .min(MIN_PASSWORD, `Use at least ${MIN_PASSWORD} characters.`)
  .max(MAX_PASSWORD, "That password is too long.");

const scopeName = textInput()
  .trim()
  .min(1, "Enter a name.")
  .max(MAX_SCOPE_NAME, `At most ${MAX_SCOPE_NAME} characters.`);
const scopeDescription = textInput()
  .trim()
  .max(MAX_SCOPE_DESCRIPTION, `At most ${MAX_SCOPE_DESCRIPTION} characters.`);

const INVITE_WITH = ["temporary_password", "invite_link"] as const;

export const SetupFormSchema = z
  .object({
    token: z.string().min(1).max(200),
    accountName: scopeName,
    name: personName,
    email,
    password: passwordSchema,
  })
  .strict();
export type SetupForm = z.input<typeof SetupFormSchema>;

export const ChoosePasswordFormSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter the temporary password you signed in with.").max(MAX_PASSWORD),
    newPassword: passwordSchema,
    confirmPassword: z.string(),
  })
  .strict()
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two passwords differ.",
  });
export type ChoosePasswordForm = z.input<typeof ChoosePasswordFormSchema>;

export const JoinFormSchema = z
  .object({ token: z.string().min(1).max(200), name: personName.optional(), password: passwordSchema })
  .strict();
export type JoinForm = z.input<typeof JoinFormSchema>;

export const InviteMemberFormSchema = z
  .object({
    name: personName,
    email,
    accountRole: z.enum(ACCOUNT_ROLES),
    inviteWith: z.enum(INVITE_WITH),
  })
  .strict();
export type InviteMemberForm = z.input<typeof InviteMemberFormSchema>;

export const NewOrganizationFormSchema = z
  .object({ name: scopeName, description: scopeDescription })
  .strict();
export type NewOrganizationForm = z.input<typeof NewOrganizationFormSchema>;

export const NewSpaceFormSchema = z
  .object({
    organizationId: z.string().min(1, "Choose an organization.").max(200),
    name: scopeName,
    description: scopeDescription,
    isPrivate: z.boolean(),
  })
  .strict();
export type NewSpaceForm = z.input<typeof NewSpaceFormSchema>;

export const RenameFormSchema = z.object({ name: scopeName }).strict();
export type RenameForm = z.input<typeof RenameFormSchema>;

export const AddMemberFormSchema = z
  .object({
    userId: z.string().min(1, "Choose a person.").max(200),
    role: z.enum(SCOPE_ROLES),
  })
  .strict();

/** Ids arriving at an action. */
export const IdSchema = z.string().min(1).max(200);
export const ScopeKindSchema = z.enum(["space", "organization"]);
export type ScopeKind = z.infer<typeof ScopeKindSchema>;
