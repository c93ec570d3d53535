import { createHash, timingSafeEqual } from "node:crypto";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { DomainError, rateLimited } from "../../domain/errors";
import type { KeyDeps } from "../../keys/api-keys";
import { reportLeakedTokens, type LeakedToken, type LeakSource } from "../../keys/leaks";
import {
  GitHubSecretFeedbackSchema,
  GitHubSecretReportSchema,
  GitLabRevokeTokensSchema,
  GitLabTokenTypesSchema,
  KEYDESK_TOKEN_TYPE,
  MAX_REPORTED_TOKENS,
} from "../../schemas/secret-scanning";
import { ProblemSchema } from "../../schemas/common";
import { clientAddress } from "../client-address";
import type { ApiDeps, ApiEnv } from "../context";
import type { FailureThrottle } from "../failure-throttle";
import { GitHubPublicKeys } from "../github-signatures";
import { problemResponse, validationProblem } from "../problem";
import { json } from "./common";

export const GITHUB_REPORT_PATH = "/v2/secret-scanning/github";
const GITLAB_BASE = "/secret-scanning/gitlab/v1";
/** 1,000 tokens with their places fit easily; GitHub's own messages are far smaller. */
const MAX_REPORT_BYTES = 1024 * 1024;

const GitHubHeadersDoc = z.object({
  "github-public-key-identifier": z.string().meta({ description: "The key that signed the body." }),
  "github-public-key-signature": z
    .string()
    .meta({ description: "Base64 DER ECDSA signature of the raw body." }),
});

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

/** The same digest length whatever the input, so the comparison takes the same time for every guess. */
function sameToken(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * [ext] Leak reports (lifecycle.md §6): GitHub's secret scanning partner endpoint under /v2, and
 * GitLab's token revocation API under its own prefix (self-managed GitLab calls `<base>/v1/…`).
 * Failed signatures and tokens count against the caller's address like failed credentials.
 */
export function registerSecretScanningRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  keys: KeyDeps,
  failures: FailureThrottle,
) {
  const { config } = deps;
  const github = config.secretScanning?.github
    ? new GitHubPublicKeys(config.secretScanning.github, deps.clock)
    : undefined;
  const gitlabToken = config.secretScanning?.gitlabToken;

  /** 401, or 429 once the address has failed too often. */
  const refuse = (c: Context<ApiEnv>, detail: string): never => {
    const wait = failures.fail(clientAddress(c, config) ?? "unknown");
    if (wait !== null) throw rateLimited(wait);
    throw new DomainError("unauthenticated", detail);
  };
  const limit = bodyLimit({
    maxSize: MAX_REPORT_BYTES,
    onError: () => problemResponse(413, "The report is larger than 1 MiB."),
  });

  /** The report's JSON array, or the answer that refuses it. */
  function readReport<T>(raw: string, schema: z.ZodType<T>): T | Response {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return problemResponse(400, "The request body is not valid JSON.");
    }
    if (!Array.isArray(parsed)) return problemResponse(400, "The body must be a JSON array of tokens.");
    if (parsed.length > MAX_REPORTED_TOKENS)
      return problemResponse(
        413,
        `A report holds at most ${MAX_REPORTED_TOKENS.toLocaleString("en")} tokens; this one has ${parsed.length}. Send it in parts.`,
      );
    const result = schema.safeParse(parsed);
    return result.success ? result.data : validationProblem(result.error, "body", parsed);
  }

  const report = (c: Context<ApiEnv>, source: LeakSource, tokens: LeakedToken[]) =>
    reportLeakedTokens(
      {
        db: deps.db,
        clock: deps.clock,
        events: keys.events,
        mailer: deps.mailer,
        publicUrl: config.publicUrl ?? new URL(c.req.url).origin,
      },
      { source, tokens },
    );

  app.openAPIRegistry.registerPath({
    method: "post",
    path: GITHUB_REPORT_PATH,
    tags: ["Secret scanning"],
    summary: "Report leaked tokens (GitHub)",
    description:
      "[ext] GitHub's secret scanning partner endpoint. The body is signed by GitHub (ECDSA P-256, SHA-256, over the raw " +
      "bytes; `Github-Public-Key-Identifier`, `Github-Public-Key-Signature`); an unknown key or a signature that does not " +
      "verify is 401 and nothing is looked at. Each Keydesk secret reported is handled by the account's `leak_action` " +
      "(`revoke`: a current secret revokes its key with reason `leaked`, a previous secret's grace ends at once; " +
      "`notify`: nothing is revoked; either way an audit row, emails and the `API_KEY_LEAKED` event). " +
      `At most ${MAX_REPORTED_TOKENS} tokens (413 otherwise). 503 when GitHub's public keys cannot be read.`,
    request: {
      headers: GitHubHeadersDoc,
      body: { content: json(GitHubSecretReportSchema), required: true },
    },
    responses: {
      200: {
        description: "GitHub's feedback format, one item per token",
        content: json(GitHubSecretFeedbackSchema),
      },
      400: problem("Not a JSON array of tokens"),
      401: problem("No signature, an unknown key identifier, or a signature that does not verify"),
      413: problem(`More than ${MAX_REPORTED_TOKENS} tokens, or more than 1 MiB`),
      429: problem("Too many failed signatures from this address"),
      503: problem("GitHub's public keys cannot be read: nothing can be verified"),
    },
  });
  app.post(GITHUB_REPORT_PATH, limit, async (c) => {
    const identifier = c.req.header("github-public-key-identifier")?.trim();
    const signature = c.req.header("github-public-key-signature")?.trim();
    if (!github)
      return problemResponse(503, "GitHub's secret scanning keys are not configured on this server.", {
        code: "upstream_unavailable",
        retryAfterSeconds: 60,
      });
    if (!identifier || !signature) return refuse(c, "The report is not signed.");
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const check = await github.check(identifier, signature, raw);
    if (check === "unavailable")
      return problemResponse(503, "GitHub's public keys cannot be read right now; nothing was verified.", {
        code: "upstream_unavailable",
        retryAfterSeconds: 60,
      });
    if (check !== "valid") return refuse(c, "The report's signature does not verify.");
    const tokens = readReport(Buffer.from(raw).toString("utf8"), GitHubSecretReportSchema);
    if (tokens instanceof Response) return tokens;
    const verdicts = await report(
      c,
      "github",
      tokens.map((t) => ({ token: t.token, url: t.url ?? "", location: t.source ?? null })),
    );
    return c.json(
      verdicts.map((v) => ({
        token_hash: v.tokenHash,
        token_type: KEYDESK_TOKEN_TYPE,
        label: v.isKey ? "true_positive" : "false_positive",
      })),
      200,
    );
  });

  // GitLab: absent (404) unless the operator set GITLAB_REVOCATION_TOKEN.
  const gitlab = (c: Context<ApiEnv>): Response | null => {
    if (!gitlabToken) return problemResponse(404, "No such endpoint.");
    const given = c.req.header("authorization") ?? "";
    if (!sameToken(given, gitlabToken))
      refuse(c, "The Authorization header is not this server's revocation token.");
    return null;
  };
  const gitlabErrors = {
    401: problem("The Authorization header is not GITLAB_REVOCATION_TOKEN"),
    404: problem("GITLAB_REVOCATION_TOKEN is not set: the API does not exist"),
    429: problem("Too many failed tokens from this address"),
  };

  app.openAPIRegistry.registerPath({
    method: "get",
    path: `${GITLAB_BASE}/revocable_token_types`,
    tags: ["Secret scanning"],
    summary: "Token types this server revokes (GitLab)",
    description: "[ext] GitLab's token revocation API: the types it may send to `revoke_tokens`.",
    responses: { 200: { description: "The types", content: json(GitLabTokenTypesSchema) }, ...gitlabErrors },
  });
  app.get(`${GITLAB_BASE}/revocable_token_types`, (c) => {
    const refused = gitlab(c);
    if (refused) return refused;
    return c.json({ types: [KEYDESK_TOKEN_TYPE] }, 200);
  });

  app.openAPIRegistry.registerPath({
    method: "post",
    path: `${GITLAB_BASE}/revoke_tokens`,
    tags: ["Secret scanning"],
    summary: "Revoke leaked tokens (GitLab)",
    description:
      "[ext] GitLab's token revocation API. Each Keydesk secret reported is handled by the account's `leak_action` " +
      "(`revoke` or `notify`, as for GitHub's reports); other tokens are ignored. " +
      `At most ${MAX_REPORTED_TOKENS} tokens (413 otherwise).`,
    request: { body: { content: json(GitLabRevokeTokensSchema), required: true } },
    responses: {
      204: { description: "Handled" },
      400: problem("Not a JSON array of tokens"),
      413: problem(`More than ${MAX_REPORTED_TOKENS} tokens, or more than 1 MiB`),
      ...gitlabErrors,
    },
  });
  app.post(`${GITLAB_BASE}/revoke_tokens`, limit, async (c) => {
    const refused = gitlab(c);
    if (refused) return refused;
    const tokens = readReport(await c.req.text(), GitLabRevokeTokensSchema);
    if (tokens instanceof Response) return tokens;
    await report(
      c,
      "gitlab",
      tokens.map((t) => ({ token: t.token, url: t.location ?? "", location: null })),
    );
    return c.body(null, 204);
  });
}
