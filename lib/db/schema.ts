import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { ACCOUNT_ROLES, SCOPE_ROLES } from "../roles/names";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const accountRole = pgEnum("account_role", ACCOUNT_ROLES);
export const scopeRole = pgEnum("scope_role", SCOPE_ROLES);
export const userKind = pgEnum("user_kind", ["human", "bot"]);
/** `invited`: not yet joined (an invitation link or a temporary password not yet changed). */
export const userStatus = pgEnum("user_status", ["active", "blocked", "invited"]);
export const keyType = pgEnum("key_type", ["user", "service"]);
export const keyStatus = pgEnum("key_status", ["active", "revoked"]);
/** Why a key was revoked (keypage, issue 18 §1). */
export type RevocationReason = "manual" | "leaked" | "owner_blocked" | "scope_deleted";

// ── The directory: account → organizations → spaces, and the users in it ──────────────────────────

export const accounts = pgTable("accounts", {
  id: uuid("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

export const organizations = pgTable(
  "organizations",
  {
    id: uuid("id").primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("organizations_account_idx").on(t.accountId, t.createdAt, t.id),
    uniqueIndex("organizations_account_name_key").on(t.accountId, t.name),
  ],
);

export const spaces = pgTable(
  "spaces",
  {
    id: uuid("id").primaryKey(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** Visible only to its members and the admins above them. */
    isPrivate: boolean("is_private").notNull().default(false),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("spaces_organization_idx").on(t.organizationId, t.createdAt, t.id),
    uniqueIndex("spaces_organization_name_key").on(t.organizationId, t.name),
  ],
);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    kind: userKind("kind").notNull(),
    name: text("name").notNull(),
    /** Lower-cased; humans only. */
    email: text("email"),
    /** `scrypt$N$r$p$salt$hash`; humans only. */
    passwordHash: text("password_hash"),
    accountRole: accountRole("account_role").notNull(),
    status: userStatus("status").notNull().default("active"),
    /** Arize's developer flag (may use the API); kept and returned, not enforced. */
    isDeveloper: boolean("is_developer").notNull().default(true),
    /** A temporary password is in use: the person's sessions may only change it. */
    passwordChangeRequired: boolean("password_change_required").notNull().default(false),
    /** How the person was invited (NONE, EMAIL_LINK, TEMPORARY_PASSWORD); null for the first admin and bots. */
    inviteMode: text("invite_mode"),
    /** SHA-256 (hex) of the one-time invitation or password-reset token; the token itself is never stored. */
    inviteTokenDigest: text("invite_token_digest"),
    /** `invite` (join link) or `reset` (password-reset link). */
    inviteTokenPurpose: text("invite_token_purpose"),
    /** Exclusive end of the token's validity. */
    inviteExpiresAt: ts("invite_expires_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
    blockedAt: ts("blocked_at"),
    // ── Single sign-on (issue 22, sso): the provider's `sub`, pinned at the first OIDC sign-in; a later
    // sign-in for this email must carry the same one (lib/auth/oidc.ts).
    oidcSubject: text("oidc_subject").unique("users_oidc_subject_key"),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    index("users_account_idx").on(t.accountId),
    uniqueIndex("users_invite_token_digest_key").on(t.inviteTokenDigest),
    /** `GET /v2/users`: the account's people in list order, the cursor in the index condition. */
    index("users_list_idx")
      .on(t.accountId, t.createdAt, t.id)
      .where(sql`${t.kind} = 'human'`),
    /** What the memberships' copies of created_at and kind reference (see `memberOf`). */
    unique("users_id_created_at_kind_key").on(t.id, t.createdAt, t.kind),
  ],
);

/**
 * A membership's copy of its user's created_at and kind, which never change: member lists are ordered
 * like the people's list (created_at, id) and hold humans only, and with the copies one index on the
 * membership table serves that order, the cursor and the filter, whatever the scope's size (issue 11).
 */
const memberCopies = () => ({
  userCreatedAt: ts("user_created_at").notNull(),
  userKind: userKind("user_kind").notNull(),
});

/** The copies reference the user's own values (so they cannot differ), and the list's index. */
function memberOf(
  t: { userId: AnyPgColumn; userCreatedAt: AnyPgColumn; userKind: AnyPgColumn },
  table: string,
  scopeId: AnyPgColumn,
) {
  return [
    foreignKey({
      name: `${table}_user_copies_fk`,
      columns: [t.userId, t.userCreatedAt, t.userKind],
      foreignColumns: [users.id, users.createdAt, users.kind],
    })
      .onUpdate("cascade")
      .onDelete("cascade"),
    index(`${table}_list_idx`)
      .on(scopeId, t.userCreatedAt, t.userId)
      .where(sql`${t.userKind} = 'human'`),
  ];
}

export const organizationMemberships = pgTable(
  "organization_memberships",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    role: scopeRole("role").notNull(),
    ...memberCopies(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.organizationId] }),
    index("organization_memberships_org_idx").on(t.organizationId),
    ...memberOf(t, "organization_memberships", t.organizationId),
  ],
);

export const spaceMemberships = pgTable(
  "space_memberships",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    spaceId: uuid("space_id")
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    role: scopeRole("role").notNull(),
    ...memberCopies(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.spaceId] }),
    index("space_memberships_space_idx").on(t.spaceId),
    ...memberOf(t, "space_memberships", t.spaceId),
  ],
);

// ── Dashboard sessions ────────────────────────────────────────────────────────────────────────────

export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 (hex) of the opaque token; the token itself is never stored. */
    tokenDigest: text("token_digest").notNull(),
    createdAt: ts("created_at").notNull(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [
    uniqueIndex("sessions_token_digest_key").on(t.tokenDigest),
    index("sessions_user_idx").on(t.userId),
  ],
);

// ── API keys ──────────────────────────────────────────────────────────────────────────────────────
// A key is the long-lived thing people name, list and revoke. Its secrets are what clients hold:
// exactly one current secret, plus previous secrets that live on until the end of a refresh's grace
// period. A partial unique index makes "two current secrets" impossible, whatever races happen.

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    keyType: keyType("key_type").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    status: keyStatus("status").notNull().default("active"),
    /** The human who created the key. */
    createdByUserId: uuid("created_by_user_id")
      .notNull()
      .references(() => users.id),
    /** The user the key acts as: the creator for a user key, the bot for a service key. */
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    /** Service keys only. Null once the space is deleted (its keys were revoked first: see deleteSpace). */
    spaceId: uuid("space_id").references(() => spaces.id, { onDelete: "set null" }),
    /** Of the current secret, for display: first 6 + "..." + last 3. */
    redactedKey: text("redacted_key").notNull(),
    /** Of the current secret; null = never. */
    expiresAt: ts("expires_at"),
    createdAt: ts("created_at").notNull(),
    revokedAt: ts("revoked_at"),
    lastUsedAt: ts("last_used_at"),
    // ── keypage (issue 18 §1): who revoked the key and why, its last rotation, old-secret use ──
    /** The person who revoked it; null when Keydesk did (a leak, a policy) or it is active. */
    revokedByUserId: uuid("revoked_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /** `manual` | `leaked` | `owner_blocked` | `scope_deleted`; null while active. */
    revocationReason: text("revocation_reason").$type<RevocationReason>(),
    /** The last refresh. */
    refreshedAt: ts("refreshed_at"),
    /** When a previous secret (in its grace) last verified since the last refresh; approximate. */
    previousSecretLastUsedAt: ts("previous_secret_last_used_at"),
  },
  (t) => [
    index("api_keys_user_list_idx").on(t.userId, t.keyType, t.status, t.createdAt, t.id),
    index("api_keys_space_list_idx").on(t.spaceId, t.status, t.createdAt, t.id),
    index("api_keys_account_list_idx").on(t.accountId, t.keyType, t.status, t.createdAt, t.id),
    // Inventory (lifecycle.md §4, lib/keys/inventory.ts): every key of the account in the list's order,
    // of any type and status, and one owner's keys (the person who made them).
    index("api_keys_inventory_idx").on(t.accountId, t.createdAt, t.id),
    index("api_keys_creator_idx").on(t.createdByUserId, t.createdAt, t.id),
    // Expiring within: the few keys that expire soon, found without walking the account's others.
    index("api_keys_expiry_idx").on(t.accountId, t.expiresAt),
  ],
);

export const apiKeySecrets = pgTable(
  "api_key_secrets",
  {
    id: uuid("id").primaryKey(),
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    /** SHA-256 (hex) of the raw key. A fast hash is right for 128+ bit random secrets (ASVS 6.5.2). */
    digest: text("digest").notNull(),
    isCurrent: boolean("is_current").notNull(),
    createdAt: ts("created_at").notNull(),
    /** Exclusive end of validity (valid iff now < expires_at); null = never. */
    expiresAt: ts("expires_at"),
  },
  (t) => [
    uniqueIndex("api_key_secrets_digest_key").on(t.digest),
    uniqueIndex("api_key_secrets_one_current")
      .on(t.apiKeyId)
      .where(sql`${t.isCurrent}`),
  ],
);

// ── keypage (issue 18 §1): usage of a key per client address ───────────────────────────────────────
// At most the 10 most recently seen distinct addresses per key, written in batches (lib/keys/usage.ts).

export const apiKeyAddresses = pgTable(
  "api_key_addresses",
  {
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    address: text("address").notNull(),
    firstSeenAt: ts("first_seen_at").notNull(),
    lastSeenAt: ts("last_seen_at").notNull(),
    /** Approximate, like last_used_at: counted in memory and added at each flush. */
    requests: bigint("requests", { mode: "number" }).notNull(),
    /** The last seen, at most 200 characters. */
    userAgent: text("user_agent"),
  },
  (t) => [
    primaryKey({ columns: [t.apiKeyId, t.address] }),
    index("api_key_addresses_recent_idx").on(t.apiKeyId, t.lastSeenAt),
  ],
);

/** JSON without secrets: the request's variables (1.28's AuditLog `variables`) and facts about the change. */
export type AuditValue = string | number | boolean | null | AuditValue[] | { [key: string]: AuditValue };
export type AuditDetails = { [key: string]: AuditValue };

// ── Audit log and shared rate-limit counters ──────────────────────────────────────────────────────

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: ts("at").notNull(),
    accountId: uuid("account_id"),
    actorUserId: uuid("actor_user_id"),
    /** session | user_key | service_key | cli | system */
    actorCredential: text("actor_credential").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    clientAddress: text("client_address"),
    details: jsonb("details").$type<AuditDetails>(),
  },
  (t) => [
    index("audit_log_target_idx").on(t.targetType, t.targetId),
    index("audit_log_at_idx").on(t.at),
    index("audit_log_account_idx").on(t.accountId, t.id),
  ],
);

/** Fixed-window counters kept in the database so every instance shares them. */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: ts("window_start").notNull(),
  count: integer("count").notNull(),
});

// ── Key policy and expiry warnings (issue 18, items 3 and 5; lifecycle.md §3, §5) ─────────────────

export const leakAction = pgEnum("leak_action", ["revoke", "notify"]);

/** One per account; no row = the defaults (no caps, no defaults, warnings at 30, 7 and 1 days, revoke). */
export const keyPolicies = pgTable("key_policies", {
  accountId: uuid("account_id")
    .primaryKey()
    .references(() => accounts.id, { onDelete: "cascade" }),
  /** Longest lifetime in days per key type; null = no cap. */
  maxUserLifetimeDays: integer("max_user_lifetime_days"),
  maxServiceLifetimeDays: integer("max_service_lifetime_days"),
  /** Preselected in New API Key; null = none (never expires, or the cap when there is one). */
  defaultUserLifetimeDays: integer("default_user_lifetime_days"),
  defaultServiceLifetimeDays: integer("default_service_lifetime_days"),
  /** 0–5 distinct day counts, 1–365, largest first. */
  warningDays: jsonb("warning_days").$type<number[]>().notNull(),
  leakAction: leakAction("leak_action").notNull().default("revoke"),
  updatedAt: ts("updated_at").notNull(),
  updatedByUserId: uuid("updated_by_user_id").references(() => users.id, { onDelete: "set null" }),
});

/**
 * One row per key, threshold and the expiry it was computed for: the claim that makes each warning
 * go out once, whichever instance scans first (inserted `on conflict do nothing returning`). Threshold
 * 0 is the "has expired" notice. Rows for larger thresholds crossed at the same time are written with
 * `notified` false: they count as sent. A refresh with a new expiry starts afresh.
 */
export const apiKeyExpiryWarnings = pgTable(
  "api_key_expiry_warnings",
  {
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    thresholdDays: integer("threshold_days").notNull(),
    expiresAt: ts("expires_at").notNull(),
    notified: boolean("notified").notNull(),
    claimedAt: ts("claimed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.thresholdDays, t.expiresAt] })],
);

// ── Webhooks (issue 18, lifecycle.md §5): organization-owned destinations, their subscriptions, and
// the delivery queue. Events are written by the outbox (lib/domain/outbox.ts) in the transaction of
// the change they describe; deliveries are claimed by any instance's worker (lib/webhooks/delivery.ts).

export const webhooks = pgTable(
  "webhooks",
  {
    id: uuid("id").primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    url: text("url").notNull(),
    /** `BEARER` | `HMAC_SHA256`, fixed at creation. */
    authType: text("auth_type").notNull(),
    /** BEARER: the Authorization header value, sent verbatim. A secret: never returned or logged. */
    authToken: text("auth_token"),
    /** HMAC_SHA256: the whole `whsec_…` string deliveries are signed with. A secret: returned once. */
    signingSecret: text("signing_secret"),
    signingSecretHint: text("signing_secret_hint"),
    timeoutMs: integer("timeout_ms").notNull(),
    /** Custom headers sent with each delivery; values are write-only. */
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhooks_organization_name_key").on(t.organizationId, t.name),
    index("webhooks_account_list_idx").on(t.accountId, t.createdAt, t.id),
  ],
);

export const webhookSubscriptions = pgTable(
  "webhook_subscriptions",
  {
    id: uuid("id").primaryKey(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    accountId: uuid("account_id").notNull(),
    /** `SPACE` | `ORGANIZATION` [ext]. */
    sourceType: text("source_type").notNull(),
    /** The space's or organization's uuid (no foreign key: one column for both kinds). */
    sourceId: uuid("source_id").notNull(),
    event: text("event").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_subscriptions_unique_key").on(t.webhookId, t.sourceType, t.sourceId, t.event),
    index("webhook_subscriptions_source_idx").on(t.sourceId, t.event),
    index("webhook_subscriptions_account_list_idx").on(t.accountId, t.createdAt, t.id),
  ],
);

/** One event, once: its id and payload are what every delivery of it carries, on every attempt. */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: uuid("id").primaryKey(),
    accountId: uuid("account_id").notNull(),
    type: text("type").notNull(),
    /** The whole body as sent (`{id, type, created_at, data}`); never a secret. */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: ts("created_at").notNull(),
  },
  // Housekeeping deletes the old ones (lib/webhooks/history.ts).
  (t) => [index("webhook_events_created_idx").on(t.createdAt)],
);

/** The queue: one row per event and webhook, claimed by a worker with a lease (`locked_until`). */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    /** `pending` | `delivered` | `failed` (all attempts used). */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull(),
    /** A claim's lease: another worker may take the row once it has passed (a crashed worker). */
    lockedUntil: ts("locked_until"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_webhook_key").on(t.eventId, t.webhookId),
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);

export const webhookDeliveryAttempts = pgTable(
  "webhook_delivery_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    attemptNumber: integer("attempt_number").notNull(),
    /** null: no response (refused address, connection error, timeout). */
    statusCode: integer("status_code"),
    errorMessage: text("error_message"),
    durationMs: integer("duration_ms").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [index("webhook_delivery_attempts_webhook_idx").on(t.webhookId, t.id)],
);

// ── Leak reports (issue 19, s19-leak; lifecycle.md §6): a key's secret found in public by GitHub's
// secret scanning or a self-managed GitLab. One row per reported secret, source and place found: the
// unique index makes a repeated report a no-op (one revocation, one audit row), whichever instance
// receives it.

export const apiKeyLeakReports = pgTable(
  "api_key_leak_reports",
  {
    id: uuid("id").primaryKey(),
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    /** SHA-256 (hex) of the reported token: the digest of the secret it matched (never the token). */
    digest: text("digest").notNull(),
    /** `github` | `gitlab`. */
    source: text("source").notNull(),
    /** Where it was found: GitHub's `url`, GitLab's `location`; "" when the report gave none. */
    url: text("url").notNull(),
    /** GitHub's `source` (`content`, `commit`, `pull_request_description`, …); null for GitLab. */
    location: text("location"),
    /** Whether the secret was the key's current one (else a previous secret). */
    currentSecret: boolean("current_secret").notNull(),
    /** What the report did: `revoked` | `grace_ended` | `notified` | `already_inactive`. */
    outcome: text("outcome").notNull(),
    reportedAt: ts("reported_at").notNull(),
  },
  (t) => [
    uniqueIndex("api_key_leak_reports_once").on(t.digest, t.source, t.url),
    index("api_key_leak_reports_key_idx").on(t.apiKeyId, t.reportedAt),
  ],
);

// ── ax CLI sign-in (issue 21, part ax): oidc-provider's records — authorization codes, access and
// refresh tokens, grants, interactions, its own short sessions — one row each, kept here so every
// instance over one PostgreSQL sees the same ones. `id` is the SHA-256 (hex) of oidc-provider's id:
// for a token that id is the token itself, so the raw token is never stored. The provider's signing
// and cookie keys are one more row (model `KeydeskServerKeys`), made by the first instance to start.

export const oauthRecords = pgTable(
  "oauth_records",
  {
    /** oidc-provider's model name: `AccessToken`, `RefreshToken`, `AuthorizationCode`, `Grant`, `Interaction`, `Session`, … */
    model: text("model").notNull(),
    /** SHA-256 (hex) of the record's id (for tokens: of the token). */
    id: text("id").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    grantId: text("grant_id"),
    /** The person (`users.id`) a token or grant belongs to, for their list of signed-in apps. */
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    uid: text("uid"),
    userCode: text("user_code"),
    /** null: kept until deleted (the server's keys). */
    expiresAt: ts("expires_at"),
    consumedAt: ts("consumed_at"),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index("oauth_records_grant_idx").on(t.grantId),
    index("oauth_records_uid_idx").on(t.model, t.uid),
    index("oauth_records_user_idx").on(t.userId, t.model),
  ],
);
