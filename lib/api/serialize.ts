import type { ServiceKeyGrants } from "../keys/api-keys";
import type { ApiKeyView } from "../keys/key-view";
import { encodeId } from "../domain/ids";
import type { ApiKeyCreatedJson, ApiKeyJson, BotUserJson } from "../schemas/api-keys";
import type { Principal } from "../auth/principal";
import type { MeJson } from "../schemas/directory";
import { DEFAULT_DIALECT, enumValue, has, keyStatus, predefinedRole, type Dialect } from "./dialect";

// Every serializer takes the request's dialect (lib/api/dialect.ts); the default is the seeds' shape.

function meJson(principal: Principal, dialect: Dialect = DEFAULT_DIALECT): MeJson {
  const { user, credential } = principal;
  const e = (value: string) => enumValue(dialect, value);
  return {
    user: {
      id: encodeId("User", user.id),
      name: user.name,
      ...(user.email ? { email: user.email } : {}),
      kind: e(user.kind),
    },
    account_role: e(user.accountRole),
    organizations: principal.organizations.map((o) => ({
      id: encodeId("Organization", o.id),
      name: o.name,
      role: e(o.role),
      spaces: o.spaces.map((s) => ({ id: encodeId("Space", s.id), name: s.name, role: e(s.role) })),
    })),
    credential: {
      type: e(credential.type),
      ...(credential.apiKeyId ? { api_key_id: encodeId("ApiKey", credential.apiKeyId) } : {}),
    },
  };
}

/** A JSON text known to hold a `T` (what `JSON.stringify` of a `T` gives). */
export type JsonText<T> = string & { readonly __json: T };

const jsonText = <T>(value: T) => JSON.stringify(value) as JsonText<T>;

/**
 * `/v2/me`'s body, as text, remembered per principal object and enum spelling. A cached verification
 * hands out the same principal object until the key, its user or the directory changes (then a new
 * one), so a cache hit answers without building and serialising the body again (issue 11: those were
 * the largest costs left in a cached `/v2/me` after the write itself). Principals are never mutated.
 */
const meTexts = new WeakMap<Principal, { lower?: JsonText<MeJson>; upper?: JsonText<MeJson> }>();

export function meText(principal: Principal, dialect: Dialect = DEFAULT_DIALECT): JsonText<MeJson> {
  let texts = meTexts.get(principal);
  if (!texts) {
    texts = {};
    meTexts.set(principal, texts);
  }
  const spelling = dialect.upperEnums ? "upper" : "lower";
  return (texts[spelling] ??= jsonText(meJson(principal, dialect)));
}

export function paginationJson(nextCursor: string | undefined) {
  return nextCursor ? { has_more: true, next_cursor: nextCursor } : { has_more: false };
}

export function apiKeyJson(key: ApiKeyView, dialect: Dialect = DEFAULT_DIALECT): ApiKeyJson {
  const json: ApiKeyJson = {
    id: encodeId("ApiKey", key.id),
    name: key.name,
    ...(key.description ? { description: key.description } : {}),
    key_type: enumValue(dialect, key.keyType),
    status: keyStatus(dialect, key.status),
    redacted_key: key.redactedKey,
    created_at: key.createdAt.toISOString(),
    ...(key.expiresAt ? { expires_at: key.expiresAt.toISOString() } : {}),
    created_by_user_id: encodeId("User", key.createdByUserId),
    ...(key.lastUsedAt && has(dialect, "api_key.last_used_at")
      ? { last_used_at: key.lastUsedAt.toISOString() }
      : {}),
  };
  const details = key.details;
  if (details) {
    if (key.spaceId) json.space_id = encodeId("Space", key.spaceId);
    if (details.roles) {
      json.roles = {
        space_role: details.roles.spaceRole,
        org_role: details.roles.orgRole,
        account_role: details.roles.accountRole,
      };
    }
    json.created_by = {
      id: encodeId("User", details.createdBy.id),
      name: details.createdBy.name,
      ...(details.createdBy.email ? { email: details.createdBy.email } : {}),
    };
    if (details.graceUntil) json.grace_until = details.graceUntil.toISOString();
  }
  return json;
}

/**
 * A create or refresh answer: the key, its raw secret, and for generation D's service keys the bot
 * user with every role it holds (not on refresh: generation D's refresh answer has no `bot_user`).
 */
export function apiKeyCreatedJson(
  key: ApiKeyView,
  secret: string,
  dialect: Dialect,
  grants?: ServiceKeyGrants,
): ApiKeyCreatedJson {
  const { redacted_key, ...rest } = apiKeyJson(key, dialect);
  return {
    ...rest,
    ...(has(dialect, "api_key_created.redacted_key") ? { redacted_key } : {}),
    key: secret,
    ...(grants && has(dialect, "service_key.bot_user")
      ? { bot_user: botUserJson(key, grants, dialect) }
      : {}),
  };
}

export function botUserJson(key: ApiKeyView, grants: ServiceKeyGrants, dialect: Dialect): BotUserJson {
  const role = (value: string) => predefinedRole(dialect, value);
  return {
    id: encodeId("User", key.userId),
    name: key.name,
    account_role: role(grants.accountRole),
    organizations: grants.organizations.map((o) => ({
      org_id: encodeId("Organization", o.id),
      role: role(o.role),
      spaces: o.spaces.map((s) => ({ space_id: encodeId("Space", s.id), role: role(s.role) })),
    })),
  };
}
