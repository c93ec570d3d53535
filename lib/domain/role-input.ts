import type { ScopeRole } from "../roles/names";
import { grantRefusal, parseRole, type RoleInput } from "../roles/roles";
import { invalid, roleAboveCap, unsupported } from "./errors";

/**
 * The one role reader for requests, for keys and memberships alike: a name in any case (`read_only`
 * too) or generation D's role object, as one of `allowed`. ANNOTATOR and CUSTOM are Arize's but not
 * ours: 422 `not_supported`; anything else unknown is 400 `invalid_request` on `field`.
 */
export function readRole<R extends string>(input: RoleInput, allowed: readonly R[], field: string): R {
  const parsed = parseRole(input, allowed);
  if (parsed.ok) return parsed.role;
  if (parsed.unsupported) throw unsupported(parsed.what);
  throw invalid(parsed.detail, field);
}

/**
 * Nobody grants a role above their own at that scope: `role_above_cap`, for memberships as for keys —
 * 422 for generation D clients (`strict`, as their contract says), 400 otherwise; the detail names the
 * scope, the role asked for and the cap (directory.md, "Who may change the directory").
 */
export function assertGrantable(
  scope: string,
  asked: ScopeRole,
  cap: ScopeRole | null,
  strict: boolean,
): void {
  const refusal = grantRefusal(scope, asked, cap);
  if (refusal)
    throw roleAboveCap(refusal, [{ field: "role", message: refusal }], strict ? "unprocessable" : "invalid");
}
