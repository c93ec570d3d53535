/** The `ax` CLI's browser sign-in (issue 21): the approval page's data, and the person's signed-in apps. */
import { z } from "zod";
import { timestamp } from "./common";

export const CliSignInRequestSchema = z
  .object({
    uid: z.string(),
    client_id: z.string(),
    client_name: z.string().meta({ description: "What the person is asked to approve, e.g. `ax CLI`." }),
    scopes: z.array(z.string()),
  })
  .meta({
    id: "CliSignInRequest",
    description: "[ext] A sign-in of the ax CLI waiting for the person's approval.",
  });

export const CliSignInDecisionSchema = z
  .object({
    decision: z.enum(["approve", "deny"]),
  })
  .meta({ id: "CliSignInDecision" });

export const CliSignInResultSchema = z
  .object({
    redirect_to: z.string().meta({
      description:
        "Where the browser goes next: the authorization server, which sends the CLI its code or error.",
    }),
  })
  .meta({ id: "CliSignInResult" });

const SignedInAppSchema = z
  .object({
    id: z.string(),
    client_id: z.string(),
    client_name: z.string(),
    signed_in_at: timestamp(),
    expires_at: timestamp().meta({ description: "When the sign-in ends at the latest, refreshes included." }),
  })
  .meta({
    id: "SignedInApp",
    description: "[ext] An app (the ax CLI) signed in as this person through the browser.",
  });
export type SignedInApp = z.infer<typeof SignedInAppSchema>;

export const SignedInAppListSchema = z.object({ signed_in_apps: z.array(SignedInAppSchema) });

/** The header the dashboard forwards the browser's interaction cookies in (and only those). */
export const INTERACTION_COOKIE_HEADER = "x-keydesk-interaction-cookie";
