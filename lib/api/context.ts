import type { HttpBindings } from "@hono/node-server";
import type { Clock } from "../clock";
import type { KeyPolicy } from "../keys/api-keys";
import type { Db } from "../db/client";
import type { DirectoryEvents } from "../directory/directory";
import type { Principal } from "../auth/principal";
import type { RateLimiter } from "../domain/rate-limit";
import type { SessionPolicy } from "../auth/sessions";
import type { Dialect } from "./dialect";
import type { Mailer } from "../domain/mailer";
import type { FirstRunSetup } from "../directory/setup";
import type { WebhookPolicy } from "../webhooks/context";
import type { GitHubKeysConfig } from "./github-signatures";
import type { PasswordResetPolicy, PasswordResetRequests } from "../directory/password-resets";
import type { SignInConfig } from "../auth/oidc-config";

export interface ApiConfig {
  /** Number of reverse proxies in front of Keydesk whose X-Forwarded-For we trust (0 = none). */
  trustedProxyHops: number;
  /** Shared with the dashboard's server actions so they may pass on the browser's address. */
  internalToken?: string;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes: number;
  /** Failed credential checks allowed per client address per minute, per instance (0 = no limit). */
  failedAuthPerMinute: number;
  sessions: SessionPolicy;
  keys: KeyPolicy;
  /** Base of absolute links in invitations (`PUBLIC_URL`); else the request's origin. */
  publicUrl?: string;
  /** SMTP server for invitation and reset emails (`SMTP_URL`); none = no email. */
  smtpUrl?: string;
  /** Sender of those emails (`SMTP_FROM`). */
  smtpFrom?: string;
  /** Webhooks: where they may point and how deliveries retry (`KEYDESK_WEBHOOK_*`); strict by default. */
  webhooks?: WebhookPolicy;
  /** Leak reports (lifecycle.md §6): where GitHub's public keys come from; GitLab's revocation token. */
  secretScanning?: { github?: GitHubKeysConfig; gitlabToken?: string };
  /** Forgot password's rate limits (lib/directory/password-resets.ts); the defaults when absent. */
  passwordResets?: PasswordResetPolicy;
  /** Single sign-on and `PASSWORD_SIGN_IN` (lib/auth/oidc-config.ts); none = passwords only. */
  signIn?: SignInConfig;
}

export interface ApiDeps {
  db: Db;
  clock: Clock;
  limiter: RateLimiter;
  config: ApiConfig;
  /** Told after directory changes commit (blocking, roles), so caches of verified keys drop them at once. */
  events?: DirectoryEvents;
  mailer?: Mailer;
  /** The first-run setup token of this process (lib/directory/setup.ts). */
  firstRun: FirstRunSetup;
  /** Forgot password: requests answered at once, looked up and mailed afterwards. */
  passwordResets: PasswordResetRequests;
}

export interface ApiEnv {
  // Present when served by @hono/node-server; absent for in-process `app.request()`.
  Bindings: Partial<HttpBindings>;
  Variables: {
    principal: Principal;
    clientAddress: string | null;
    /** The response dialect of this request (dialect.ts), set for every /v2 request. */
    dialect: Dialect;
    /** The request's id (lib/server/request-id.ts), set for every /v2 request. */
    requestId: string;
  };
}
