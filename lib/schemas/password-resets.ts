import { z } from "zod";
import { emailInput } from "./users";

/** Forgot password ([ext]): the one field of the request, and of the dashboard's form. */
export const RequestPasswordResetSchema = z
  .object({ email: emailInput })
  .strict()
  .meta({ id: "RequestPasswordResetRequest" });
export type RequestPasswordResetInput = z.infer<typeof RequestPasswordResetSchema>;

export const PasswordResetAvailabilitySchema = z
  .object({
    available: z.boolean().meta({
      description: "Whether Forgot password is offered: the server sends email (SMTP_URL).",
    }),
  })
  .meta({ id: "PasswordResetAvailability" });

/** What the page says after any request, whoever the address belongs to. */
