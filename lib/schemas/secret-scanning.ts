import { z } from "zod";
import { timestamp } from "./common";

// Leak reports (lifecycle.md §6): GitHub's secret scanning partner format and GitLab's token
// revocation API, and what the key's page shows of them.

/** Tokens per report at most; a larger report is refused whole (413). */
export const MAX_REPORTED_TOKENS = 1000;
export const KEYDESK_TOKEN_TYPE = "keydesk_api_key";

const reportedToken = z.string().min(1).max(1024);
const place = z.string().max(2048);

export const GitHubSecretReportSchema = z
  .array(
    z.object({
      token: reportedToken,
      type: z.string().max(200).optional(),
      url: place.optional(),
      source: z.string().max(200).optional().meta({
        description: "Where GitHub found it: `content`, `commit`, `pull_request_description`, `npm`, …",
      }),
    }),
  )
  .meta({
    id: "GitHubSecretReport",
    description: `GitHub's secret scanning partner message: the tokens found (at most ${MAX_REPORTED_TOKENS}).`,
  });

export const GitHubSecretFeedbackSchema = z
  .array(
    z.object({
      token_hash: z.string().meta({ description: "SHA-256 (hex) of the reported token." }),
      token_type: z.literal(KEYDESK_TOKEN_TYPE),
      label: z.enum(["true_positive", "false_positive"]),
    }),
  )
  .meta({ id: "GitHubSecretFeedback" });

export const GitLabRevokeTokensSchema = z
  .array(
    z.object({
      type: z.string().max(200).optional(),
      token: reportedToken,
      location: place.optional(),
    }),
  )
  .meta({
    id: "GitLabRevokeTokens",
    description: `GitLab's token revocation request: the tokens found (at most ${MAX_REPORTED_TOKENS}).`,
  });

export const GitLabTokenTypesSchema = z
  .object({ types: z.array(z.string()) })
  .meta({ id: "GitLabRevocableTokenTypes" });

export const LeakReportSchema = z
  .object({
    source: z.enum(["github", "gitlab"]),
    url: z.string().meta({ description: "Where it was found; empty when the report named no place." }),
    location: z.string().optional().meta({ description: "GitHub's `source` (`content`, `commit`, …)." }),
    secret: z.enum(["current", "previous"]),
    outcome: z.enum(["revoked", "grace_ended", "notified", "already_inactive"]),
    reported_at: timestamp(),
  })
  .meta({ id: "ApiKeyLeakReport" });
