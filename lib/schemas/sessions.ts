import { z } from "zod";
import { textInput, timestamp } from "./common";

export const SignInSchema = z
  .object({
    email: textInput({ error: "Enter your email." })
      .trim()
      .min(1, "Enter your email.")
      .max(320, "That email is too long."),
    password: z
      .string({ error: "Enter your password." })
      .min(1, "Enter your password.")
      .max(1024, "That password is too long."),
  })
  .strict()
  .meta({ id: "SignInRequest" });
export type SignInInput = z.infer<typeof SignInSchema>;

export const SessionSchema = z
  .object({
    token: z.string().meta({ description: "Opaque bearer token. Shown once; stored only as a digest." }),
    expires_at: timestamp(),
    user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
    password_change_required: z.literal(true).optional().meta({
      description:
        "[ext] Signed in with a temporary password: this session may only call POST /v2/me/password (others answer 403, code `password_change_required`).",
    }),
  })
  .meta({ id: "Session" });
