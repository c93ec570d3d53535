import type { AccountRole, ScopeRole } from "../roles/names";
import type { EffectiveOrganization } from "../roles/roles";

type CredentialType = "session" | "user_key" | "service_key";

/** Who is calling, as resolved from one credential, with effective roles at every scope they reach. */
export interface Principal {
  user: {
    id: string;
    accountId: string;
    name: string;
    email: string | null;
    kind: "human" | "bot";
    accountRole: AccountRole;
  };
  /** `oauthGrantId`: a token of an app signed in through the browser (the ax CLI), a session of that app. */
  credential: { type: CredentialType; sessionId?: string; apiKeyId?: string; oauthGrantId?: string };
  organizations: EffectiveOrganization[];
  /** A session opened with a temporary password: it may only change the password. */
  passwordChangeRequired?: boolean;
}

/** @public Used by the directory API (in flight on its branch). */
export function organizationRole(principal: Principal, organizationId: string): ScopeRole | null {
  return principal.organizations.find((o) => o.id === organizationId)?.role ?? null;
}

/** The space, its organization and the principal's effective role there; null if out of reach. */
export function findSpace(
  principal: Principal,
  spaceId: string,
): { organization: EffectiveOrganization; role: ScopeRole; name: string } | null {
  for (const organization of principal.organizations) {
    const space = organization.spaces.find((s) => s.id === spaceId);
    if (space) return { organization, role: space.role, name: space.name };
  }
  return null;
}

export function reachableSpaceIds(principal: Principal): string[] {
  return principal.organizations.flatMap((o) => o.spaces.map((s) => s.id));
}

export const isAccountAdmin = (principal: Principal) => principal.user.accountRole === "admin";
