import type { ApiKeyView } from "../keys/api-keys";
import { encodeId } from "../domain/ids";
import type { ApiKeyJson } from "../schemas/api-keys";
import type { DirectoryEntry } from "../directory/directory";
import type { Principal } from "../auth/principal";
import type { Me } from "../schemas/directory";

export function meJson(principal: Principal): Me {
  const { user, credential } = principal;
  return {
    user: {
      id: encodeId("User", user.id),
      name: user.name,
      ...(user.email ? { email: user.email } : {}),
      kind: user.kind,
    },
    account_role: user.accountRole,
    organizations: principal.organizations.map((o) => ({
      id: encodeId("Organization", o.id),
      name: o.name,
      role: o.role,
      spaces: o.spaces.map((s) => ({ id: encodeId("Space", s.id), name: s.name, role: s.role })),
    })),
    credential: {
      type: credential.type,
      ...(credential.apiKeyId ? { api_key_id: encodeId("ApiKey", credential.apiKeyId) } : {}),
    },
  };
}

export function directoryEntryJson(type: "Space" | "Organization", entry: DirectoryEntry) {
  return {
    id: encodeId(type, entry.id),
    name: entry.name,
    description: entry.description,
    created_at: entry.createdAt.toISOString(),
  };
}

export function paginationJson(nextCursor: string | undefined) {
  return nextCursor ? { has_more: true, next_cursor: nextCursor } : { has_more: false };
}

export function apiKeyJson(key: ApiKeyView): ApiKeyJson {
  const json: ApiKeyJson = {
    id: encodeId("ApiKey", key.id),
    name: key.name,
    ...(key.description ? { description: key.description } : {}),
    key_type: key.keyType,
    status: key.status,
    redacted_key: key.redactedKey,
    created_at: key.createdAt.toISOString(),
    ...(key.expiresAt ? { expires_at: key.expiresAt.toISOString() } : {}),
    created_by_user_id: encodeId("User", key.createdByUserId),
    ...(key.lastUsedAt ? { last_used_at: key.lastUsedAt.toISOString() } : {}),
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
