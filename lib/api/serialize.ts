import { encodeId } from "../keys/ids";
import type { DirectoryEntry } from "../keys/directory";
import type { Principal } from "../keys/principal";
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
