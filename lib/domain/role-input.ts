import { parseRole, type RoleInput } from "../roles/roles";
import { invalid, unsupported } from "./errors";

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
