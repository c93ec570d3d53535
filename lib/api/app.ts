import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { systemClock, type Clock } from "../clock";
import type { Db } from "../db/client";
import { defaultKeyPolicy, type KeyDeps, type KeyEvents } from "../keys/api-keys";
import { verifyApiKey } from "../keys/verify";
import { RateLimiter } from "../domain/rate-limit";
import type { VerificationCache } from "../keys/verification-cache";
import { UsageRecorder } from "../keys/usage";
import { matchedRoutes } from "hono/route";
import { UNMATCHED_ROUTE, type Metrics } from "../server/metrics";
import { clientAddress } from "./client-address";
import { defaultSessionPolicy } from "../auth/sessions";
import { requireAuth, sessionResolver, type CredentialResolver } from "./auth";
import { FailureThrottle } from "./failure-throttle";
import type { ApiConfig, ApiDeps, ApiEnv } from "./context";
import { dialectFromHeaders, sendsProblemCode } from "./dialect";
import { errorToResponse, problemForClient, problemResponse, validationProblem } from "./problem";
import { logger, type RequestLog } from "../domain/logger";
import { REQUEST_ID_HEADER, requestIdOf } from "../server/request-id";
import { registerApiKeyRoutes } from "./routes/api-keys";
import { registerApiKeyDetailRoutes } from "./routes/api-key-details";
import { registerApiKeyLookupRoutes } from "./routes/api-key-lookup";
import { registerInventoryRoutes } from "./routes/inventory";
import { registerKeyPolicyRoutes } from "./routes/key-policy";
import { registerMeRoutes } from "./routes/me";
import { oauthTokenResolver, registerCliSignInRoutes } from "./routes/cli-sign-in";
import type { OAuthServer } from "../auth/oauth/provider";
import { registerSessionRoutes } from "./routes/sessions";
import { registerFirstRunRoutes } from "./routes/first-run";
import { registerUserRoutes } from "./routes/users";
import { registerOrganizationRoutes } from "./routes/organizations";
import { registerSpaceRoutes } from "./routes/spaces";
import { registerRoleAndAuditRoutes } from "./routes/roles-and-audit";
import { registerAuditLogRoutes } from "./routes/audit-logs";
import { registerBackupRoutes } from "./routes/backup";
import { smtpMailer } from "../domain/mailer";
import { FirstRunSetup } from "../directory/setup";
import { registerWebhookRoutes } from "./routes/webhooks";
import { GITHUB_REPORT_PATH, registerSecretScanningRoutes } from "./routes/secret-scanning";
import { registerPasswordResetRoutes } from "./routes/password-resets";
import { defaultPasswordResetPolicy, PasswordResetRequests } from "../directory/password-resets";
import { defaultWebhookPolicy, webhookPolicyFromEnv } from "../webhooks/context";
import { signInConfigFromEnv } from "../auth/oidc-config";
import { registerOidcRoutes } from "./routes/oidc";

const defaultApiConfig: ApiConfig = {
  trustedProxyHops: 0,
  maxBodyBytes: 64 * 1024,
  failedAuthPerMinute: 120,
  sessions: defaultSessionPolicy,
  keys: defaultKeyPolicy,
};

export function apiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const hops = Number(env.TRUST_PROXY_HOPS ?? 0);
  return {
    ...defaultApiConfig,
    trustedProxyHops: Number.isInteger(hops) && hops > 0 ? hops : 0,
    internalToken: env.KEYDESK_INTERNAL_TOKEN || undefined,
    publicUrl: env.PUBLIC_URL || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    smtpFrom: env.SMTP_FROM || undefined,
    webhooks: webhookPolicyFromEnv(env),
    signIn: signInConfigFromEnv(env),
    secretScanning: {
      github: {
        file: env.GITHUB_SECRET_SCANNING_KEYS_FILE || undefined,
        url: env.GITHUB_SECRET_SCANNING_KEYS_URL || undefined,
      },
      gitlabToken: env.GITLAB_REVOCATION_TOKEN || undefined,
    },
    ...(env.KEYS_FAILED_AUTH_PER_MINUTE !== undefined
      ? { failedAuthPerMinute: positiveInt(env.KEYS_FAILED_AUTH_PER_MINUTE) ?? 0 }
      : {}),
    ...(positiveInt(env.KEYS_CHANGES_PER_MINUTE)
      ? {
          keys: {
            changesPerCaller: { limit: positiveInt(env.KEYS_CHANGES_PER_MINUTE) ?? 0, windowMs: 60_000 },
          },
        }
      : {}),
  };
}

function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export interface CreateApiOptions {
  db: Db;
  clock?: Clock;
  config?: Partial<ApiConfig>;
  events?: KeyEvents;
  /**
   * Reuse recent key verifications (see lib/keys/verification-cache.ts). Only with a listener on the
   * database's change channel (`listenForKeyChanges`): without one the cache serves nothing.
   */
  verificationCache?: VerificationCache;
  /** The first-run setup token holder; one is made when not given (see `api.firstRun`). */
  firstRun?: FirstRunSetup;
  /**
   * How often counted key usage (addresses, old-secret use: lib/keys/usage.ts) is written. Default
   * 10 s; 0 = only by `api.flushUsage()` and `api.close()` (tests).
   */
  usageFlushMs?: number;
  /**
   * The server's own address (`http://<host>:<port>`): Forgot password's links point there when
   * PUBLIC_URL is unset. Without either, Forgot password is not offered.
   */
  ownBase?: string;
  /** Prometheus metrics (lib/server/metrics.ts); none are kept without. */
  metrics?: Metrics;
  /** The ax CLI's authorization server (lib/auth/oauth/provider.ts), for its approval routes. */
  oauth?: OAuthServer;
  /**
   * Where each request's line goes (operations.md "Logs"): its id, method, route pattern, status,
   * duration and the client's address. None without (in-process tests).
   */
  requestLog?: RequestLog;
}

/** The keys API: a Hono app serving /v2/*. Everything it needs is passed in. */
export function createApi(options: CreateApiOptions) {
  const clock = options.clock ?? systemClock;
  const config = { ...defaultApiConfig, ...options.config };
  const limiter = new RateLimiter(options.db, clock);
  const mailer = smtpMailer(config.smtpUrl, config.smtpFrom);
  const deps: ApiDeps = {
    db: options.db,
    clock,
    limiter,
    config,
    mailer,
    firstRun: options.firstRun ?? new FirstRunSetup(),
    passwordResets: new PasswordResetRequests({
      db: options.db,
      clock,
      limiter,
      mailer,
      linkBase: config.publicUrl ?? options.ownBase,
      policy: config.passwordResets ?? defaultPasswordResetPolicy,
      adminsOnly: config.signIn?.passwordSignIn === false,
    }),
  };
  const cache = options.verificationCache;
  // Keys changed by this instance: its cache drops them, and the caller's listener hears of them.
  const metrics = options.metrics;
  const keyEvents: KeyEvents | undefined =
    cache || metrics
      ? {
          keysChanged: (ids) => {
            cache?.invalidateKeys(ids);
            options.events?.keysChanged(ids);
          },
          committed: (action, n) => metrics?.keyChanged(action, n),
        }
      : options.events;
  if (cache || keyEvents)
    deps.events = {
      usersChanged: (ids) => cache?.invalidateUsers(ids),
      directoryChanged: () => cache?.flush(),
      keysChanged: (ids) => keyEvents?.keysChanged(ids),
    };

  const app = new OpenAPIHono<ApiEnv>({
    // Every validation failure becomes the same problem+json 400, naming the fields.
    defaultHook: (result) => {
      if (!result.success) {
        const where = result.target === "json" ? "body" : result.target === "param" ? "path" : result.target;
        return validationProblem(
          result.error,
          where === "query" || where === "path" || where === "header" ? where : "body",
          // @hono/zod-validator passes the input that failed; @hono/zod-openapi's type leaves it out.
          "data" in result ? result.data : undefined,
        );
      }
    },
  });

  // Each asked method and path's route pattern, for metrics and the request log (a bounded table:
  // listing the matched routes of every request costs more than the counting itself).
  const routeOfPath = new Map<string, string>();
  const requestLog = options.requestLog;
  const timed = metrics !== undefined || requestLog !== undefined;
  // Every request's id (the server's, lib/server/http-server.ts, or for in-process requests the
  // header's when safe), its dialect (lib/api/dialect.ts); problems carry the id and their [ext]
  // `code`, except for clients whose own schema would refuse them. Metrics and the request log are
  // taken here too rather than in middleware of their own: one more async layer around every request
  // was a third of the metrics' cost.
  const observe: MiddlewareHandler<ApiEnv> = async (c, next) => {
    const started = timed ? performance.now() : 0;
    const incoming = c.env?.incoming;
    const sent = incoming ? incoming.headers[REQUEST_ID_HEADER] : c.req.header(REQUEST_ID_HEADER);
    const requestId = requestIdOf(sent);
    c.set("requestId", requestId);
    const dialect = dialectFromHeaders((name) => c.req.header(name));
    c.set("dialect", dialect);
    await next();
    if (timed) {
      // The route pattern: the last matched endpoint (middleware is `ALL`), so an unknown path is one
      // label however many are asked.
      const asked = `${c.req.method} ${c.req.path}`;
      let route = routeOfPath.get(asked);
      if (route === undefined) {
        route = matchedRoutes(c).findLast((r) => r.method !== "ALL")?.path ?? UNMATCHED_ROUTE;
        if (routeOfPath.size >= 2_000) routeOfPath.clear();
        routeOfPath.set(asked, route);
      }
      const ms = performance.now() - started;
      metrics?.request(c.req.method, route, c.res.status, ms / 1000);
      requestLog?.({
        req_id: requestId,
        method: c.req.method,
        route,
        status: c.res.status,
        duration_ms: Math.round(ms * 1000) / 1000,
        address: clientAddress(c, config),
      });
    }
    if (c.res.status >= 400 && c.res.headers.get("content-type")?.startsWith("application/problem+json"))
      c.res = await problemForClient(c.res, {
        extensions: sendsProblemCode(dialect),
        // Over HTTP every request has one (the server's own when none was sent); an in-process request
        // (tests) only when it sent one, so its problems stay comparable byte for byte.
        requestId: incoming || sent !== undefined ? requestId : undefined,
      });
  };
  app.use("/v2/*", observe);
  // GitLab's revocation API, outside /v2 where GitLab expects it: the same ids and lines.
  app.use("/secret-scanning/*", observe);
  const limitBody = bodyLimit({
    maxSize: deps.config.maxBodyBytes,
    onError: () =>
      problemResponse(413, `The request body is larger than ${deps.config.maxBodyBytes / 1024} KiB.`),
  });
  app.use("/v2/*", (c, next) => {
    // Over HTTP, a request has a body only when it declares one (HTTP/1.1 has none without
    // Content-Length or Transfer-Encoding).
    const declaresBody =
      Number(c.req.header("content-length") ?? 0) > 0 || c.req.header("transfer-encoding") !== undefined;
    // Bodies are JSON or nothing: a body in another format is refused rather than silently ignored
    // (a refresh whose grace period went unread would end the old key at once).
    if (declaresBody && !/^application\/(problem\+)?json\s*(;|$)/i.test(c.req.header("content-type") ?? "")) {
      return Promise.resolve(
        problemResponse(400, "Send the request body as JSON, with `Content-Type: application/json`."),
      );
    }
    // Only requests with a body go through the size limit: bodyLimit reads `c.req.raw.body`, which
    // makes @hono/node-server build a full fetch Request and AbortController — the largest cost of a
    // cached GET /v2/me in the CPU profile (issue 11). In-process requests (`app.request`) carry no
    // such headers, and their body is already a plain property.
    const hasBody = c.env?.incoming ? declaresBody : c.req.raw.body !== null;
    // GitHub's leak reports (up to 1,000 tokens) have their own, larger limit.
    return hasBody && c.req.path !== GITHUB_REPORT_PATH ? limitBody(c, next) : next();
  });

  const keys: KeyDeps = {
    db: deps.db,
    clock,
    limiter: deps.limiter,
    policy: deps.config.keys,
    events: keyEvents,
  };
  const usage = new UsageRecorder(deps.db, { flushIntervalMs: options.usageFlushMs });
  if (options.usageFlushMs !== 0) usage.start();
  const verifyDeps = { db: deps.db, clock, cache, usage, observe: metrics?.verification };
  const resolvers: CredentialResolver[] = [
    (credential, c) =>
      verifyApiKey(verifyDeps, credential, () => ({
        address: clientAddress(c, deps.config),
        userAgent: c.req.header("user-agent"),
      })),
    sessionResolver(deps),
    oauthTokenResolver(deps),
  ];
  // Failed credential checks per address, shared by authentication, Check a key's misses and the
  // secret-scanning endpoints' bad signatures and tokens.
  const throttle = {
    failures: new FailureThrottle(clock, deps.config.failedAuthPerMinute),
    config: deps.config,
  };
  const auth = requireAuth(resolvers, throttle);

  registerSessionRoutes(app, deps, auth);
  registerFirstRunRoutes(app, deps, auth);
  registerPasswordResetRoutes(app, deps);
  registerMeRoutes(app, auth);
  registerUserRoutes(app, deps, auth);
  registerOrganizationRoutes(app, deps, auth);
  registerSpaceRoutes(app, deps, auth);
  registerRoleAndAuditRoutes(app, deps, auth);
  registerAuditLogRoutes(app, deps, auth);
  registerApiKeyRoutes(app, deps, keys, auth);
  registerApiKeyDetailRoutes(app, keys, auth);
  registerApiKeyLookupRoutes(app, keys, auth, throttle);
  registerInventoryRoutes(app, deps, keys, auth);
  registerKeyPolicyRoutes(app, deps, auth);
  registerWebhookRoutes(
    app,
    deps,
    { db: deps.db, clock, policy: config.webhooks ?? defaultWebhookPolicy },
    auth,
  );
  registerSecretScanningRoutes(app, deps, keys, throttle.failures);
  registerBackupRoutes(app, deps, auth);
  registerCliSignInRoutes(app, deps, auth, options.oauth);
  registerOidcRoutes(app, deps);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API key (`ak-…`) or a dashboard session token (`kds_…`).",
  });
  app.doc31("/v2/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Keydesk keys API",
      version: "2.0.0",
      description:
        "API keys for users and services, wire-compatible with Arize AX's API-keys REST API v2.\n\n" +
        "**Dialects.** This document describes the default dialect: requests without `sdk-package-name` / " +
        "`sdk-version` headers (curl, the dashboard). Arize's clients send those headers and get answers in their " +
        "own generation's shape, picked by client family and version: generation A (TypeScript < 1.19, Python < 8.35, Go < 0.12) " +
        "lowercase, and a revoked key's status reads `deleted` for Python and Go; B (TypeScript 1.19–1.23, Python " +
        "8.35–8.39, Go 0.12–0.16) lowercase with `revoked`; C (TypeScript 1.24–1.26, Python 8.40, Go 0.17–0.18) " +
        "SCREAMING_SNAKE_CASE enums (keys, roles, `/v2/me`), no `redacted_key` in create/refresh answers, and 422 " +
        "for a refresh that would lengthen a key's life; D (TypeScript ≥ 1.27, Python ≥ 8.41, Go ≥ 0.19) as C, " +
        "plus `bot_user` with role objects in a service key's create answer and 422 for a role above the " +
        "caller's own. Fields a client's own schema lacks are left out for it: `last_used_at` (Python < 8.28.3, " +
        "Go < 0.6), `is_private` on spaces (Python < 8.43, TypeScript < 1.27, Go < 0.22); `bot_user` on listed service keys for Python ≥ 8.45 only. Requests are accepted in " +
        "every dialect, whatever the headers.",
    },
  });

  // A known path asked with a method it does not serve is 405 with `Allow`, not "no such endpoint".
  const allowedMethods = methodsByPath(app.routes);
  app.notFound((c) => {
    const allow = allowedMethods(c.req.path);
    if (!allow) return problemResponse(404, "No such endpoint.");
    const res = problemResponse(405, `${c.req.method} is not allowed here. Allowed: ${allow}.`);
    res.headers.set("allow", allow);
    return res;
  });
  app.onError((err, c) => errorToResponse(err, c));

  // server.ts announces the first-run setup link through this once it knows its address.
  return Object.assign(app, {
    /** Writes the key usage counted so far (lib/keys/usage.ts). */
    flushUsage: () => usage.flush(),
    /** Settles when every Forgot password request so far is looked up and mailed. */
    passwordResetsSettled: () => deps.passwordResets.settled(),
    /** Stops the usage timer and writes what is left: call before closing the database. */
    close: async () => {
      await deps.passwordResets.settled();
      await usage.close();
    },
    /** Prints `Set up Keydesk: <baseUrl>/setup?token=…` when no account exists yet. */
    announceSetup: (baseUrl: string, log?: (line: string) => void) =>
      deps.firstRun.announce(deps.db, baseUrl, log).catch((err: unknown) => {
        logger.error({ err: err instanceof Error ? err.message : "" }, "setup check failed");
        return null;
      }),
  });
}

const METHOD_ORDER = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

/**
 * The `Allow` value of a path from the app's routes (GET implies HEAD, as Hono answers it), or null
 * when no route has that path. The routes are read on first use, once all are registered.
 */
function methodsByPath(routes: readonly { method: string; path: string }[]): (path: string) => string | null {
  let table: { pattern: RegExp; methods: Set<string> }[] | undefined;
  const build = () => {
    const byPath = new Map<string, Set<string>>();
    for (const { method, path } of routes) {
      if (method === "ALL") continue;
      const methods = byPath.get(path) ?? new Set<string>();
      methods.add(method);
      if (method === "GET") methods.add("HEAD");
      byPath.set(path, methods);
    }
    return [...byPath].map(([path, methods]) => ({
      pattern: new RegExp(
        `^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:[A-Za-z_]+/g, "[^/]+")}$`,
      ),
      methods,
    }));
  };
  return (path) => {
    table ??= build();
    const methods = new Set<string>();
    for (const route of table) if (route.pattern.test(path)) for (const m of route.methods) methods.add(m);
    return methods.size ? METHOD_ORDER.filter((m) => methods.has(m)).join(", ") : null;
  };
}
