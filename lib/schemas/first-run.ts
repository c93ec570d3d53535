import { z } from "zod";
import { textInput } from "./common";
import { SessionSchema } from "./sessions";
import { emailInput, personName } from "./users";

export const SetupStatusSchema = z.object({ setup_required: z.literal(true) }).meta({
  id: "SetupStatus",
  description: "No account exists yet: POST /v2/setup with the token from the server log.",
});

export const SetupSchema = z
  .object({
    token: textInput()
      .max(200)
      .meta({ description: "The one-time token of the `Set up Keydesk:` line in the server log." }),
    account_name: personName,
    name: personName,
    email: emailInput,
    password: z.string().max(1024, "That password is too long."),
  })
  .strict()
  .meta({ id: "SetupRequest" });

export const InvitationSchema = z
  .object({
    purpose: z
      .enum(["invite", "reset"])
      .meta({ description: "`invite`: joining (page **Join <account>**); `reset`: a new password." }),
    account_name: z.string(),
    name: z.string().meta({ description: "The name the admin entered (prefills **Your name**)." }),
    email: z.string(),
  })
  .meta({ id: "Invitation" });

export const AcceptInvitationSchema = z
  .object({
    name: personName
      .optional()
      .meta({ description: "Invitations only: your name (default: the one the admin entered)." }),
    password: z.string().max(1024, "That password is too long."),
  })
  .strict()
  .meta({ id: "AcceptInvitationRequest" });

export const InvitationTokenParamsSchema = z.object({
  token: textInput()
    .max(200)
    .meta({ description: "The token of an `/invite/<token>` or `/reset-password/<token>` link." }),
});

export { SessionSchema };
